package dev.isthmus.stack.spi;

import java.util.function.LongSupplier;

/**
 * The kernel stacks' strategy: after a turn with work, keep polling with a zero timeout until
 * {@code spinNanos} pass without work, then block in the poller. Blocking costs a wake-up (tens of µs on
 * a VM, DESIGN's ping-pong figures); spinning costs a CPU, so the spin window is the user's choice
 * ({@link dev.isthmus.stack.StackOptions#spin()}). With a window of 0 it blocks at once and reads no clock.
 */
final class SpinThenBlockIdle implements IdleStrategy {
    private final long spinNanos;
    private final LongSupplier clock;
    private long lastWork;

    SpinThenBlockIdle(long spinNanos, LongSupplier clock) {
        if (spinNanos < 0) {
            throw new IllegalArgumentException("spin must not be negative, was " + spinNanos + " ns");
        }
        this.spinNanos = spinNanos;
        this.clock = clock;
        this.lastWork = clock.getAsLong();
    }

    @Override
    public boolean idle(int workDone, Parker parker) {
        if (spinNanos == 0) {
            return true;
        }
        long now = clock.getAsLong();
        if (workDone > 0) {
            lastWork = now;
            return false;
        }
        return now - lastWork >= spinNanos;
    }

    @Override
    public String toString() {
        return spinNanos == 0 ? "block" : "spin " + spinNanos + " ns, then block";
    }
}
