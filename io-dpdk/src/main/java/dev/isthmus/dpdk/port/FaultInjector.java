package dev.isthmus.dpdk.port;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;

/**
 * Loss and reordering for one direction of one worker's queue ({@link FaultPlan}): a burst of mbufs (a
 * pointer array, as rx_burst fills it and tx_burst takes it) goes through {@link #filter}, which frees the
 * frames it drops, keeps aside those it holds back, and puts the held ones back after 1..{@value #MAX_DELAY}
 * later frames have passed, or after {@value #MAX_HOLD_NANOS} ns if none follow (so that a lone last
 * frame, a FIN say, is late and not lost). The verdicts come from a {@link SplittableRandom} seeded by the
 * plan, the worker and the direction: the same seed and the same frames give the same faults.
 * Allocates nothing per frame. Worker thread only.
 */
public final class FaultInjector {
    /** Frames held back at once; a frame drawn for holding while this many are held passes. */
    public static final int MAX_HELD = 8;
    /** The most later frames a held frame waits behind. */
    public static final int MAX_DELAY = 3;
    /** The longest a frame is held when no frame follows it. */
    public static final long MAX_HOLD_NANOS = 2_000_000;

    private final double loss;
    private final double lossOrReorder;
    private final SplittableRandom random;
    private final MemorySegment dropped;
    /** The burst as it came in: held frames put back make the output run ahead of the input. */
    private final MemorySegment in;
    private final int[] inLengths;
    private final long[] held = new long[MAX_HELD];
    private final int[] heldLength = new int[MAX_HELD];
    private final int[] heldWait = new int[MAX_HELD];
    private final long[] heldSince = new long[MAX_HELD];
    private int heldCount;
    private long droppedFrames;
    private long reorderedFrames;

    /**
     * An injector dropping {@code loss} and holding back {@code reorder} of the frames, for bursts of at
     * most {@code maxBurst} frames; its scratch array lives in {@code arena}.
     */
    public FaultInjector(double loss, double reorder, long seed, int maxBurst, Arena arena) {
        this.loss = loss;
        this.lossOrReorder = loss + reorder;
        this.random = new SplittableRandom(seed);
        this.dropped = arena.allocate(ValueLayout.ADDRESS, Math.max(maxBurst, MAX_HELD));
        this.in = arena.allocate(ValueLayout.ADDRESS, maxBurst);
        this.inLengths = new int[maxBurst];
    }

    /** The seed of a worker's direction: distinct streams from one plan seed (a SplitMix64 step apart). */
    public static long seedFor(long planSeed, int worker, boolean rx) {
        long z = planSeed + 0x9E3779B97F4A7C15L * (2L * worker + (rx ? 1 : 2));
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /**
     * Filters the {@code n} mbufs of {@code burst} (and their {@code lengths}, when not null) in place and
     * returns how many remain to pass on: fewer when frames were dropped or held, more when held frames
     * come back. {@code burst} and {@code lengths} must have room for {@code n + }{@value #MAX_HELD}.
     * Call it also with {@code n == 0} while {@link #holding()}, so that held frames leave in time.
     */
    public int filter(MemorySegment burst, int[] lengths, int n, long now) {
        int out = 0;
        int drops = 0;
        MemorySegment.copy(burst, 0, in, 0, (long) n * ValueLayout.ADDRESS.byteSize());
        if (lengths != null) {
            System.arraycopy(lengths, 0, inLengths, 0, n);
        }
        for (int i = 0; i < n; i++) {
            long m = in.getAtIndex(ValueLayout.JAVA_LONG, i);
            int len = lengths == null ? 0 : inLengths[i];
            double r = random.nextDouble();
            if (r < loss) {
                dropped.setAtIndex(ValueLayout.JAVA_LONG, drops++, m);
                continue;
            }
            if (r < lossOrReorder && heldCount < MAX_HELD) {
                held[heldCount] = m;
                heldLength[heldCount] = len;
                heldWait[heldCount] = 1 + random.nextInt(MAX_DELAY);
                heldSince[heldCount] = now;
                heldCount++;
                reorderedFrames++;
                continue;
            }
            out = put(burst, lengths, out, m, len);
            // One frame passed: each held frame waits for one fewer; those done follow it.
            for (int h = 0; h < heldCount; ) {
                if (--heldWait[h] == 0) {
                    out = put(burst, lengths, out, held[h], heldLength[h]);
                    removeHeld(h);
                } else {
                    h++;
                }
            }
        }
        for (int h = 0; h < heldCount; ) {
            if (now - heldSince[h] >= MAX_HOLD_NANOS) {
                out = put(burst, lengths, out, held[h], heldLength[h]);
                removeHeld(h);
            } else {
                h++;
            }
        }
        if (drops > 0) {
            droppedFrames += drops;
            MbufPool.freeBulk(dropped, drops);
        }
        return out;
    }

    private static int put(MemorySegment burst, int[] lengths, int at, long m, int len) {
        burst.setAtIndex(ValueLayout.JAVA_LONG, at, m);
        if (lengths != null) {
            lengths[at] = len;
        }
        return at + 1;
    }

    private void removeHeld(int h) {
        heldCount--;
        held[h] = held[heldCount];
        heldLength[h] = heldLength[heldCount];
        heldWait[h] = heldWait[heldCount];
        heldSince[h] = heldSince[heldCount];
    }

    /** Whether frames are held back now. */
    public boolean holding() {
        return heldCount > 0;
    }

    /** Frames dropped so far. */
    public long dropped() {
        return droppedFrames;
    }

    /** Frames held back so far (each one arrives behind later ones). */
    public long reordered() {
        return reorderedFrames;
    }

    /** Frees the frames still held (the worker is stopping); their mbufs go back to their pools. */
    public void close() {
        for (int h = 0; h < heldCount; h++) {
            dropped.setAtIndex(ValueLayout.JAVA_LONG, h, held[h]);
        }
        MbufPool.freeBulk(dropped, heldCount);
        heldCount = 0;
    }
}
