package dev.isthmus.stack.spi;

/**
 * For a poller that never sleeps in the kernel (a DPDK rx queue, in-memory queues): after a turn without
 * work, spin ({@link Thread#onSpinWait()}) for {@code maxSpins} turns (and, if given, until {@code spinNanos}
 * have passed since the last work), then {@link Thread#yield()} for
 * {@code maxYields} turns, then park, the park doubling from {@code minParkNanos} up to
 * {@code maxParkNanos}. Any work resets it to spinning. The bound on the park is how late a packet that
 * arrives while the worker sleeps may be seen (nothing in memory wakes a parked thread when a NIC
 * writes a descriptor); tasks and timers wake it on time. After Agrona's {@code BackoffIdleStrategy}.
 */
public final class BackoffIdle implements IdleStrategy {
    /** The phase the strategy is in. */
    public enum Phase { WORKING, SPINNING, YIELDING, PARKING }

    private final long maxSpins;
    private final long spinNanos;
    private final long maxYields;
    private final long minParkNanos;
    private final long maxParkNanos;
    private Phase phase = Phase.WORKING;
    private long count;
    private long idleSince;
    private long parkNanos;

    /**
     * @param maxSpins     idle turns spent spinning, at least 0
     * @param maxYields    idle turns then spent yielding, at least 0
     * @param minParkNanos the first park, at least 1
     * @param maxParkNanos the longest park, at least {@code minParkNanos}
     */
    public BackoffIdle(long maxSpins, long maxYields, long minParkNanos, long maxParkNanos) {
        this(maxSpins, 0, maxYields, minParkNanos, maxParkNanos);
    }

    /**
     * @param maxSpins     idle turns spent spinning at least, at least 0
     * @param spinNanos    time since the last work during which the worker keeps spinning (0: count turns only);
     *                     one clock read per idle turn while it is not 0
     * @param maxYields    idle turns then spent yielding, at least 0
     * @param minParkNanos the first park, at least 1
     * @param maxParkNanos the longest park, at least {@code minParkNanos}
     */
    public BackoffIdle(long maxSpins, long spinNanos, long maxYields, long minParkNanos, long maxParkNanos) {
        if (maxSpins < 0 || maxYields < 0 || spinNanos < 0) {
            throw new IllegalArgumentException("maxSpins, spinNanos and maxYields must not be negative, were "
                    + maxSpins + ", " + spinNanos + " and " + maxYields);
        }
        this.spinNanos = spinNanos;
        if (minParkNanos < 1 || maxParkNanos < minParkNanos) {
            throw new IllegalArgumentException("need 1 <= minParkNanos <= maxParkNanos, were " + minParkNanos
                    + " and " + maxParkNanos);
        }
        this.maxSpins = maxSpins;
        this.maxYields = maxYields;
        this.minParkNanos = minParkNanos;
        this.maxParkNanos = maxParkNanos;
    }

    @Override
    public boolean idle(int workDone, Parker parker) {
        if (workDone > 0) {
            phase = Phase.WORKING;
            return false;
        }
        switch (phase) {
            case WORKING -> {
                phase = Phase.SPINNING;
                count = 0;
                if (spinNanos > 0) {
                    idleSince = System.nanoTime();
                }
                idle(0, parker);
            }
            case SPINNING -> {
                if (count++ < maxSpins || spinNanos > 0 && System.nanoTime() - idleSince < spinNanos) {
                    Thread.onSpinWait();
                } else {
                    phase = Phase.YIELDING;
                    count = 0;
                    idle(0, parker);
                }
            }
            case YIELDING -> {
                if (count++ < maxYields) {
                    Thread.yield();
                } else {
                    phase = Phase.PARKING;
                    parkNanos = minParkNanos;
                    idle(0, parker);
                }
            }
            case PARKING -> {
                parker.park(parkNanos);
                parkNanos = Math.min(parkNanos << 1, maxParkNanos);
            }
        }
        return false;
    }

    /** The current phase (for tests and diagnostics; worker thread). */
    public Phase phase() {
        return phase;
    }

    /** The length of the next park, while {@link Phase#PARKING}. */
    public long nextParkNanos() {
        return parkNanos;
    }

    @Override
    public String toString() {
        return "backoff(spin " + maxSpins + (spinNanos > 0 ? " turns or " + spinNanos + " ns" : "") + ", yield " + maxYields + ", park " + minParkNanos + ".." + maxParkNanos + " ns)";
    }
}
