package dev.isthmus.stack.spi;

import java.util.Objects;

/**
 * A re-armable timer of a {@link TimerWheel}: made once (a connection's retransmission timer, its
 * delayed ACK, a TIME_WAIT, a listener's back-off) and armed, re-armed and cancelled as often as the
 * protocol needs. The entry links itself into the wheel's slot (an intrusive list, as the kernel's
 * {@code timer_list} does), so {@link #arm} and {@link #cancel} are O(1) and allocate nothing.
 *
 * <p>Worker thread only: the wheel and its entries belong to one worker. Another thread uses
 * {@link dev.isthmus.stack.Worker#schedule}, which may allocate and may be cancelled from anywhere.
 */
public final class Timeout {
    private final TimerWheel wheel;
    private final Runnable action;
    // Links and position, owned by the wheel.
    Timeout prev;
    Timeout next;
    /** The slot this entry is linked in, or -1 when it is not armed. */
    int slot = -1;
    long deadlineTick;
    long deadlineNanos;

    Timeout(TimerWheel wheel, Runnable action) {
        this.wheel = wheel;
        this.action = Objects.requireNonNull(action, "action");
    }

    /**
     * Arms the timer to run its action {@code delayNanos} from now (at the first tick at or after it,
     * never before), replacing any earlier deadline. Allocates nothing.
     */
    public void arm(long delayNanos) {
        if (delayNanos < 0) {
            throw new IllegalArgumentException("delay must not be negative, was " + delayNanos);
        }
        wheel.arm(this, wheel.now() + Math.min(delayNanos, TimerWheel.MAX_DELAY_NANOS));
    }

    /** Arms the timer for {@code deadlineNanos} on the {@link System#nanoTime()} scale. */
    public void armAt(long deadlineNanos) {
        wheel.arm(this, deadlineNanos);
    }

    /** Disarms the timer; returns whether it was armed. */
    public boolean cancel() {
        return wheel.cancel(this);
    }

    /** Whether the timer is armed and has not run yet. */
    public boolean isArmed() {
        return slot >= 0;
    }

    /** The deadline it was last armed for ({@link System#nanoTime()} scale). */
    public long deadlineNanos() {
        return deadlineNanos;
    }

    void fire() {
        action.run();
    }

    @Override
    public String toString() {
        return "Timeout[" + (isArmed() ? "armed, due in " + (deadlineNanos - System.nanoTime()) + " ns" : "idle") + "]";
    }
}
