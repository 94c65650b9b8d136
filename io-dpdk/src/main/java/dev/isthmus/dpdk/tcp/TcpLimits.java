package dev.isthmus.dpdk.tcp;

/**
 * What a worker's TCP spends on a peer that does not play fair, and when it gives up on one.
 *
 * @param synCookies            when a listener's half-open queue (its backlog) is full, answer SYNs with
 *                              SYN cookies instead of dropping them (Linux's {@code tcp_syncookies=1})
 * @param challengeAcksPerSecond challenge ACKs (RFC 5961 3.2, 4.2, 5.2) a worker sends per second at most,
 *                              RFC 5961 section 7's limit (Linux's {@code tcp_challenge_ack_limit}, 1000)
 * @param windowStallNanos      how long a connection with data to send may face a zero or tiny window
 *                              (below one MSS) before it is aborted: a peer that never reads cannot hold
 *                              the connection's buffers for ever (FreeBSD bounds its persist state alike)
 * @param reassemblyMaxBytes    out-of-order reassembly memory of a worker, over all its connections
 */
public record TcpLimits(boolean synCookies, int challengeAcksPerSecond, long windowStallNanos,
                        long reassemblyMaxBytes) {
    public TcpLimits {
        if (challengeAcksPerSecond < 1) {
            throw new IllegalArgumentException("challengeAcksPerSecond must be at least 1, was " + challengeAcksPerSecond);
        }
        if (windowStallNanos < 1_000_000L) {
            throw new IllegalArgumentException("windowStallNanos must be at least 1 ms, was " + windowStallNanos);
        }
        if (reassemblyMaxBytes < 0) {
            throw new IllegalArgumentException("reassemblyMaxBytes must be >= 0, was " + reassemblyMaxBytes);
        }
    }

    /** Cookies on, 1000 challenge ACKs a second, 120 s of stalled window, 64 MiB of reassembly a worker. */
    public static TcpLimits defaults() {
        return new TcpLimits(true, 1000, 120_000_000_000L, 64L << 20);
    }
}
