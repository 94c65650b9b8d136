package dev.isthmus.dpdk.tcp;

import java.util.function.LongSupplier;

/**
 * RFC 5961 section 7: challenge ACKs are limited per system (here per worker, which owns its flows), so
 * that a flood of forged in-window RSTs, SYNs or ACKs cannot make us a reflector, nor spend the worker's
 * time answering. A budget of {@code perSecond} ACKs refilled each second, as Linux's
 * {@code tcp_challenge_ack_limit}; one beyond it is not sent (and counted).
 *
 * <p>A shared fixed budget is the side channel of CVE-2016-5696 (an off-path attacker who sees the budget
 * run out learns that its guess was in a window); Linux answered by randomizing the limit each second. Not
 * done here yet: the limit is an upper bound on what is sent, which is what the RFC asks.
 */
final class ChallengeAckLimiter {
    private static final long SECOND = 1_000_000_000L;

    private final int perSecond;
    private final LongSupplier clock;
    private long windowEnd = Long.MIN_VALUE;
    private int sent;

    ChallengeAckLimiter(int perSecond, LongSupplier clock) {
        this.perSecond = perSecond;
        this.clock = clock;
    }

    /** Whether one more challenge ACK may go now; counts it if so. */
    boolean tryAcquire() {
        long now = clock.getAsLong();
        if (windowEnd == Long.MIN_VALUE || now - windowEnd >= 0) {
            windowEnd = now + SECOND;
            sent = 0;
        }
        if (sent >= perSecond) {
            return false;
        }
        sent++;
        return true;
    }
}
