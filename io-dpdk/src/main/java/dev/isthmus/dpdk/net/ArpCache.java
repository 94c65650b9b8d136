package dev.isthmus.dpdk.net;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * IPv4 address to MAC address, each entry valid for a fixed time after it was learnt, and the frames
 * waiting for an address being resolved.
 *
 * <p>The resolved entries live in an open-addressed table of primitives (no object per entry, no boxing
 * on lookup); a key is probed over a window of {@link #PROBE} slots, and a new key takes an empty or
 * expired slot of its window, else evicts the entry of the window that expires first, so the table is
 * bounded however many hosts talk to us. Frames waiting for resolution are the slow path: copied into
 * byte arrays, at most {@link #MAX_QUEUED} per address and {@link #MAX_PENDING} addresses (Linux keeps a
 * similar per-neighbour queue, see unres_qlen in ip-sysctl.rst).
 */
public final class ArpCache {
    static final int CAPACITY = 1024;
    static final int PROBE = 16;
    /** Frames queued per unresolved address: Linux's unres_qlen default (ip-sysctl.rst), so a burst sent before the first ARP reply is not cut short. */
    public static final int MAX_QUEUED = 101;
    /** Addresses being resolved at once. */
    public static final int MAX_PENDING = 256;

    private final int[] keys = new int[CAPACITY];
    private final long[] macs = new long[CAPACITY];
    private final long[] expires = new long[CAPACITY];
    private final boolean[] used = new boolean[CAPACITY];
    private final long timeoutNanos;
    private final Map<Integer, Pending> pending = new HashMap<>();

    /** A cache whose entries are valid for {@code timeoutNanos} after they were learnt. */
    public ArpCache(long timeoutNanos) {
        if (timeoutNanos <= 0) {
            throw new IllegalArgumentException("ARP entry timeout must be positive, was " + timeoutNanos + " ns");
        }
        this.timeoutNanos = timeoutNanos;
    }

    /** Frames waiting for one address, and when to ask again. */
    static final class Pending {
        final ArrayDeque<byte[]> frames = new ArrayDeque<>();
        long nextRequest;
        int requestsSent;
    }

    private static int hash(int ip) {
        int h = ip * 0x9E3779B9;
        return (h ^ (h >>> 16)) & (CAPACITY - 1);
    }

    /** The MAC for {@code ip}, or -1 if unknown or expired. */
    public long lookup(int ip, long now) {
        int h = hash(ip);
        for (int i = 0; i < PROBE; i++) {
            int s = (h + i) & (CAPACITY - 1);
            if (used[s] && keys[s] == ip) {
                return now - expires[s] < 0 ? macs[s] : -1;
            }
        }
        return -1;
    }

    /** Whether {@code ip} has an entry (even an expired one): RFC 826's "merge" test. */
    public boolean contains(int ip) {
        int h = hash(ip);
        for (int i = 0; i < PROBE; i++) {
            int s = (h + i) & (CAPACITY - 1);
            if (used[s] && keys[s] == ip) {
                return true;
            }
        }
        return false;
    }

    /** Learns or refreshes {@code ip} at {@code mac}, valid for the timeout from {@code now}. */
    public void put(int ip, long mac, long now) {
        int h = hash(ip);
        int free = -1;
        int oldest = -1;
        for (int i = 0; i < PROBE; i++) {
            int s = (h + i) & (CAPACITY - 1);
            if (used[s] && keys[s] == ip) {
                free = s;
                break;
            }
            if (free < 0 && (!used[s] || now - expires[s] >= 0)) {
                free = s;
            }
            if (oldest < 0 || expires[s] - expires[oldest] < 0) {
                oldest = s;
            }
        }
        int s = free >= 0 ? free : oldest;
        used[s] = true;
        keys[s] = ip;
        macs[s] = mac;
        expires[s] = now + timeoutNanos;
    }

    /**
     * Queues a copy of {@code frame} (its destination MAC to be filled in) until {@code ip} resolves.
     * Returns true if this is a new resolution (the caller sends the first request), false if one runs
     * already; returns false and counts nothing if queue bounds are hit: the caller sees
     * {@link #queueFull} then.
     */
    public boolean enqueue(int ip, byte[] frame, long now, long retryNanos) {
        Pending p = pending.get(ip);
        boolean fresh = p == null;
        if (fresh) {
            if (pending.size() >= MAX_PENDING) {
                queueFull = true;
                return false;
            }
            p = new Pending();
            p.nextRequest = now + retryNanos;
            p.requestsSent = 1;
            pending.put(ip, p);
        }
        if (p.frames.size() >= MAX_QUEUED) {
            queueFull = true;
            return false;
        }
        queueFull = false;
        p.frames.add(frame);
        return fresh;
    }

    /** Set by {@link #enqueue} when it refused a frame for a bound. */
    public boolean queueFull;

    /** Takes the frames waiting for {@code ip} (none: an empty list), ending its resolution. */
    public List<byte[]> resolved(int ip) {
        Pending p = pending.remove(ip);
        return p == null ? List.of() : new ArrayList<>(p.frames);
    }

    /** Whether frames wait for any address. */
    public boolean hasPending() {
        return !pending.isEmpty();
    }

    /** When the next resolution is due (to ask again or give up); only while {@link #hasPending()}. */
    public long nextRequest() {
        long next = 0;
        boolean first = true;
        for (Pending p : pending.values()) {
            if (first || p.nextRequest - next < 0) {
                next = p.nextRequest;
                first = false;
            }
        }
        if (first) {
            throw new IllegalStateException("no ARP resolution pending");
        }
        return next;
    }

    /** Addresses being resolved. */
    public int pendingCount() {
        return pending.size();
    }

    /**
     * Resolution timers: for every address due, either asks again (its ip goes to {@code askAgain}) or, after
     * {@code maxRequests} requests, gives up; returns how many queued frames were given up.
     */
    public int tick(long now, long retryNanos, int maxRequests, List<Integer> askAgain) {
        int dropped = 0;
        var it = pending.entrySet().iterator();
        while (it.hasNext()) {
            var e = it.next();
            Pending p = e.getValue();
            if (now - p.nextRequest < 0) {
                continue;
            }
            if (p.requestsSent >= maxRequests) {
                dropped += p.frames.size();
                it.remove();
            } else {
                p.requestsSent++;
                p.nextRequest = now + retryNanos;
                askAgain.add(e.getKey());
            }
        }
        return dropped;
    }
}
