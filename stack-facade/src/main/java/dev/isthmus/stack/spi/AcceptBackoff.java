package dev.isthmus.stack.spi;

/**
 * The one back-off policy for a listener whose accept fails for lack of descriptors or memory (EMFILE,
 * ENFILE, ENOBUFS, ENOMEM; accept(2)). The connection stays in the backlog, so a listener that is asked
 * again at once fails again at once and its worker spins; instead the stack pauses the listener and
 * resumes it with a worker timer ({@link dev.isthmus.stack.Worker#schedule}) after {@link #nextDelayNanos()}:
 * 1 ms, doubling while the error persists, up to {@link #MAX_DELAY_NANOS}; the first accept that succeeds
 * calls {@link #reset()}. Netty and nginx also back off rather than spin (nginx: accept disabled for 500 ms).
 *
 * <p>One instance per listening socket; confined to its worker thread. Nothing here allocates, so
 * {@link #reset()} may sit on the accept path.
 */
public final class AcceptBackoff {
    /** The first pause: short, so a transient shortage costs little. */
    public static final long MIN_DELAY_NANOS = 1_000_000L;
    /** The longest pause: long enough not to spin, short enough to pick up freed descriptors soon. */
    public static final long MAX_DELAY_NANOS = 100_000_000L;

    private long next = MIN_DELAY_NANOS;
    private long failures;

    /** The pause before the next accept after a resource error; doubles the one after it, to the cap. */
    public long nextDelayNanos() {
        failures++;
        long d = next;
        next = Math.min(MAX_DELAY_NANOS, next * 2);
        return d;
    }

    /** An accept succeeded: the next shortage starts again from the shortest pause. */
    public void reset() {
        next = MIN_DELAY_NANOS;
    }

    /** How many times accept failed for lack of resources (for tests and logs). */
    public long failures() {
        return failures;
    }
}
