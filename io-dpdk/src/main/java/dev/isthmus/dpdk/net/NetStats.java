package dev.isthmus.dpdk.net;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.EnumMap;
import java.util.Map;

/**
 * One worker's network counters: frames and bytes in and out, bursts, and drops by {@link DropReason}.
 * Written by the worker thread only and read from any thread; the values live in an array of their own
 * ({@code setOpaque} of the writer's last value, {@code getOpaque} to read: no fence on the hot path) or,
 * on a worker, in its SPI backend counters ({@link Counters}), which work the same way.
 */
public final class NetStats {
    private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);
    private static final DropReason[] REASONS = DropReason.values();

    /**
     * Where the values live: by default an array of this object's own; on a worker, the worker's backend
     * counters (AbstractWorker.registerCounter), so that {@code Worker.counters()} shows them by name.
     * {@link #add} is called by one thread only; {@link #get} from any.
     */
    public interface Counters {
        /** Adds {@code delta} to slot {@code i} (one writer thread, no fence needed). */
        void add(int i, long delta);

        /** Slot {@code i}'s value, from any thread. */
        long get(int i);
    }

    /** The slots' names, in slot order: what a worker registers as its backend counters. */
    public static final java.util.List<String> NAMES;

    static {
        java.util.List<String> n = new java.util.ArrayList<>(java.util.List.of("rxFrames", "rxBytes", "txFrames",
                "txBytes", "rxBursts", "txBursts", "arpRequestsSent", "arpRepliesSent"));
        for (DropReason r : REASONS) {
            n.add("drop." + r.name());
        }
        NAMES = java.util.List.copyOf(n);
    }

    private static final int RX_FRAMES = 0;
    private static final int RX_BYTES = 1;
    private static final int TX_FRAMES = 2;
    private static final int TX_BYTES = 3;
    private static final int RX_BURSTS = 4;
    private static final int TX_BURSTS = 5;
    private static final int ARP_REQUESTS = 6;
    private static final int ARP_REPLIES = 7;
    private static final int BASIC = 8;

    private final Counters c;

    /** Counters in an array of their own (unit tests, tools). */
    public NetStats() {
        long[] values = new long[BASIC + REASONS.length];
        this.c = new Counters() {
            @Override
            public void add(int i, long delta) {
                // Single writer: a plain read of our own last write, then an opaque store for readers.
                LONGS.setOpaque(values, i, values[i] + delta);
            }

            @Override
            public long get(int i) {
                return (long) LONGS.getOpaque(values, i);
            }
        };
    }

    /** Counters kept in {@code c}, slot {@code i} named {@code NAMES.get(i)}. */
    public NetStats(Counters c) {
        this.c = java.util.Objects.requireNonNull(c, "c");
    }

    private void add(int i, long d) {
        c.add(i, d);
    }

    private long get(int i) {
        return c.get(i);
    }

    /** One frame of {@code bytes} received. */
    public void received(int bytes) {
        add(RX_FRAMES, 1);
        add(RX_BYTES, bytes);
    }

    /** One frame of {@code bytes} handed to the driver. */
    public void sent(int bytes) {
        add(TX_FRAMES, 1);
        add(TX_BYTES, bytes);
    }

    /** One rx burst that returned frames. */
    public void rxBurst() {
        add(RX_BURSTS, 1);
    }

    /** One tx burst. */
    public void txBurst() {
        add(TX_BURSTS, 1);
    }

    /** One ARP request sent (a resolution, a retry or the announcement). */
    public void arpRequestSent() {
        add(ARP_REQUESTS, 1);
    }

    /** One ARP reply sent. */
    public void arpReplySent() {
        add(ARP_REPLIES, 1);
    }

    public long arpRequestsSent() {
        return get(ARP_REQUESTS);
    }

    public long arpRepliesSent() {
        return get(ARP_REPLIES);
    }

    /** One drop for {@code why}. */
    public void drop(DropReason why) {
        add(BASIC + why.ordinal(), 1);
    }

    public long rxFrames() {
        return get(RX_FRAMES);
    }

    public long rxBytes() {
        return get(RX_BYTES);
    }

    public long txFrames() {
        return get(TX_FRAMES);
    }

    public long txBytes() {
        return get(TX_BYTES);
    }

    public long rxBursts() {
        return get(RX_BURSTS);
    }

    public long txBursts() {
        return get(TX_BURSTS);
    }

    /** Drops counted for {@code why}. */
    public long drops(DropReason why) {
        return get(BASIC + why.ordinal());
    }

    /** All drops. */
    public long drops() {
        long n = 0;
        for (DropReason r : REASONS) {
            n += drops(r);
        }
        return n;
    }

    /** The non-zero drop counters (allocates: for reports, not the hot path). */
    public Map<DropReason, Long> dropsByReason() {
        Map<DropReason, Long> m = new EnumMap<>(DropReason.class);
        for (DropReason r : REASONS) {
            long n = drops(r);
            if (n != 0) {
                m.put(r, n);
            }
        }
        return m;
    }

    @Override
    public String toString() {
        return "rx " + rxFrames() + " frames/" + rxBytes() + " B in " + rxBursts() + " bursts, tx " + txFrames()
                + " frames/" + txBytes() + " B in " + txBursts() + " bursts, ARP " + arpRequestsSent() + " requests/" + arpRepliesSent() + " replies sent, drops "
                + dropsByReason();
    }
}
