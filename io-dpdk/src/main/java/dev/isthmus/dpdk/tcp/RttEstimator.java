package dev.isthmus.dpdk.tcp;

/**
 * The retransmission timeout of RFC 6298: SRTT and RTTVAR from round-trip samples (section 2, alpha
 * 1/8, beta 1/4, K 4), the RTO doubled on each expiry (5.5) and reset by the next sample. Bounds as
 * Linux (include/net/tcp.h TCP_RTO_MIN 200 ms, TCP_RTO_MAX 120 s) rather than RFC 6298's 1 s minimum
 * (2.4 lets an implementation choose): a 1 s floor would make every loss on a LAN cost a second.
 * Several samples per round trip (timestamps) are weighed as RFC 7323 appendix G says.
 * The initial RTO is RFC 6298's 1 s (2.1). Nanoseconds throughout.
 */
public final class RttEstimator {
    public static final long INITIAL_RTO = 1_000_000_000L;
    public static final long MIN_RTO = 200_000_000L;
    public static final long MAX_RTO = 120_000_000_000L;
    /** The clock granularity G of 2.2/2.3: the timer wheel's tick. */
    private static final long GRANULARITY = 1_000_000L;

    private long srtt;
    private long rttvar;
    private long rto = INITIAL_RTO;
    private int backoffs;
    private boolean sampled;

    /** Takes one round-trip measurement (Karn's rule, RFC 6298 3: never of a retransmitted segment). */
    public void sample(long rtt) {
        sample(rtt, 1);
    }

    /**
     * Takes one of about {@code expectedSamples} measurements per round trip. With timestamps every ACK
     * gives one (RFC 7323 4.1); weighed as RFC 6298's one per RTT they would make SRTT and RTTVAR forget in
     * one window what RFC 6298 forgets in several, and RTTVAR collapse between bursts of delay: RFC 7323
     * appendix G divides alpha and beta by {@code ExpectedSamples = ceil(FlightSize / (2 * SMSS))}.
     */
    public void sample(long rtt, int expectedSamples) {
        if (rtt < 0) {
            return;
        }
        long n = Math.max(1, expectedSamples);
        if (!sampled) {
            srtt = rtt;
            rttvar = rtt / 2;
            sampled = true;
        } else {
            long delta = Math.abs(srtt - rtt);
            rttvar += (delta - rttvar) / (4 * n);
            srtt += (rtt - srtt) / (8 * n);
        }
        restart();
    }

    /**
     * The backoff ends and the RTO is SRTT + max(G, 4 * RTTVAR) again (RFC 6298 2.3): after a sample, or
     * when the timeout that backed it off turned out spurious (RFC 4015).
     */
    public void restart() {
        backoffs = 0;
        rto = sampled ? clamp(srtt + Math.max(GRANULARITY, 4 * rttvar)) : INITIAL_RTO;
    }

    /** The timer expired: back off (RFC 6298 5.5). */
    public void backoff() {
        backoffs++;
        rto = clamp(rto * 2);
    }

    private static long clamp(long v) {
        return Math.max(MIN_RTO, Math.min(MAX_RTO, v));
    }

    public long rto() { return rto; }
    public long srtt() { return srtt; }
    public long rttvar() { return rttvar; }
    public int backoffs() { return backoffs; }
    public boolean hasSample() { return sampled; }
}
