package dev.isthmus.dpdk.port;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A single-producer, single-consumer ring of mbuf addresses between two workers: how a worker hands a
 * received frame to the worker that owns its flow without a copy and without an object (an mbuf is a
 * native pointer; the frame stays where the driver put it). The shape of DPDK's rte_ring in SP/SC mode and
 * of Agrona's OneToOneConcurrentArrayQueue: the producer writes the slot, then publishes its tail with a
 * release store; the consumer reads the tail with an acquire load, takes the slots, then releases its
 * head, which the producer reads (acquire) only when its cached copy says the ring is full.
 */
public final class MbufRing {
    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(long[].class);
    private static final VarHandle HEAD;
    private static final VarHandle TAIL;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            HEAD = l.findVarHandle(MbufRing.class, "head", long.class);
            TAIL = l.findVarHandle(MbufRing.class, "tail", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final long[] slots;
    private final int mask;
    // Padding keeps the producer's and the consumer's indices on cache lines of their own.
    @SuppressWarnings("unused") private long p0, p1, p2, p3, p4, p5, p6;
    private volatile long head;
    @SuppressWarnings("unused") private long q0, q1, q2, q3, q4, q5, q6;
    private volatile long tail;
    @SuppressWarnings("unused") private long r0, r1, r2, r3, r4, r5, r6;
    /** The producer's last view of {@link #head}: re-read only when it says the ring is full. */
    private long headCache;

    /** A ring of {@code capacity} mbufs, a power of two. */
    public MbufRing(int capacity) {
        if (capacity < 2 || Integer.bitCount(capacity) != 1) {
            throw new IllegalArgumentException("capacity must be a power of two of at least 2, was " + capacity);
        }
        slots = new long[capacity];
        mask = capacity - 1;
    }

    /** Producer: adds mbuf {@code m}; false when the ring is full (the caller still owns {@code m}). */
    public boolean offer(long m) {
        long t = tail;
        if (t - headCache > mask) {
            headCache = (long) HEAD.getAcquire(this);
            if (t - headCache > mask) {
                return false;
            }
        }
        slots[(int) t & mask] = m;
        TAIL.setRelease(this, t + 1);
        return true;
    }

    /** Consumer: moves up to {@code max} mbufs into the pointer array {@code to}; returns how many. */
    public int drain(MemorySegment to, int max) {
        long h = head;
        long t = (long) TAIL.getAcquire(this); // one acquire per drain, which takes all it can
        if (h == t) {
            return 0;
        }
        int n = (int) Math.min(max, t - h);
        for (int i = 0; i < n; i++) {
            to.setAtIndex(ValueLayout.JAVA_LONG, i, (long) SLOT.get(slots, (int) (h + i) & mask));
        }
        HEAD.setRelease(this, h + n);
        return n;
    }

    /** mbufs in the ring now (a moment's view from any thread). */
    public int size() {
        return (int) ((long) TAIL.getAcquire(this) - (long) HEAD.getAcquire(this));
    }
}
