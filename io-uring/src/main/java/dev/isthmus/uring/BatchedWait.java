package dev.isthmus.uring;

/**
 * How many completions a worker's blocking io_uring_enter asks for, so that under load one enter
 * (and one sleep and wake-up) serves many requests, while a lone request is never held back.
 *
 * <p>The kernel does the waiting (Linux 6.12, IORING_FEAT_MIN_TIMEOUT): with DEFER_TASKRUN it does not
 * even wake the worker until {@code min_complete} completions are pending, and {@code min_wait_usec}
 * bounds that: once it has passed, the enter returns as soon as there is any completion at all. What
 * is left to choose here is {@code min_complete}:
 * <ul>
 *   <li>the sends the turn submits, which the kernel completes inline (their CQEs are posted before it
 *       starts to wait, and must not count as arrivals), plus</li>
 *   <li>the arrivals (completions other than those inline sends) the previous turn saw, at most
 *       {@link #max}: after a busy turn the next waits for about as many.</li>
 * </ul>
 * After a quiet turn (one arrival or none) the worker waits as before, for one completion and with no
 * min-wait timer: a request-response connection on its own sees no added latency and no extra timer,
 * and under load a request waits at most {@code minWaitMicros} longer than it would have.
 */
final class BatchedWait {
    /** The most arrivals one enter waits for. */
    final int max;
    /** min_wait_usec: the longest an enter holds completions back waiting for more. */
    final int minWaitMicros;
    private int target = 1;

    BatchedWait(int max, int minWaitMicros) {
        if (max < 1) {
            throw new IllegalArgumentException("max must be at least 1, was " + max);
        }
        if (minWaitMicros < 1) {
            throw new IllegalArgumentException("minWaitMicros must be at least 1, was " + minWaitMicros);
        }
        this.max = max;
        this.minWaitMicros = minWaitMicros;
    }

    /** How many arrivals the next blocking enter waits for; 1 asks for a plain wait. */
    int target() {
        return target;
    }

    /**
     * A turn is over: it handled {@code completions} CQEs, {@code inlineSends} of which were the
     * completions of the sends it submitted.
     */
    void turnEnded(int completions, int inlineSends) {
        int arrivals = completions - inlineSends;
        target = arrivals <= 1 ? 1 : Math.min(arrivals, max);
    }

    /** {@code min_complete} for an enter that submits {@code inlineSends} sends. */
    int minComplete(int inlineSends) {
        return inlineSends + target;
    }

    /** True when waiting {@code timeoutNanos} (negative: no deadline) leaves room for the min wait. */
    boolean fits(long timeoutNanos) {
        return timeoutNanos < 0 || timeoutNanos > minWaitMicros * 1_000L;
    }
}
