package dev.isthmus.dpdk.tcp;

/**
 * The fixed parameters of a worker's TCP.
 *
 * @param mtu              the interface MTU; our MSS is {@code mtu - 40} (RFC 9293 3.7.1, no IP/TCP options)
 * @param receiveBuffer    bytes a connection queues for the application before its window closes
 * @param delayedAckNanos  how long an ACK may wait for a second segment or data to ride on (RFC 5681 4.2:
 *                         under 500 ms; 40 ms as Linux's TCP_DELACK_MIN)
 * @param timeWaitNanos    2*MSL (Linux: 60 s, TCP_TIMEWAIT_LEN)
 * @param maxRetransmits   retransmissions of data before giving up (Linux tcp_retries2, 15)
 * @param synRetries       SYN or SYN-ACK retransmissions before giving up (Linux tcp_syn_retries, 6)
 * @param congestionControl the congestion control of every connection ({@link CongestionControl.Algorithm})
 * @param limits           what hostile peers may cost ({@link TcpLimits})
 * @param sack             offer SACK-permitted (RFC 2018), send SACK blocks and recover by them (RFC 6675)
 * @param timestamps       offer timestamps (RFC 7323 3): RTT measured per ACK, PAWS
 * @param tailLossProbe    send a tail loss probe (RFC 8985 7) when ACKs stop with SACK agreed
 */
public record TcpConfig(int mtu, int receiveBuffer, long delayedAckNanos, long timeWaitNanos,
                        int maxRetransmits, int synRetries, CongestionControl.Algorithm congestionControl,
                        TcpLimits limits, boolean sack, boolean timestamps, boolean tailLossProbe) {
    /** NewReno, the default limits, SACK, timestamps and tail loss probes on (as Linux's tcp_sack, tcp_timestamps, tcp_early_retrans). */
    public TcpConfig(int mtu, int receiveBuffer, long delayedAckNanos, long timeWaitNanos, int maxRetransmits,
                     int synRetries) {
        this(mtu, receiveBuffer, delayedAckNanos, timeWaitNanos, maxRetransmits, synRetries,
                CongestionControl.Algorithm.NEWRENO, TcpLimits.defaults(), true, true, true);
    }

    public TcpConfig withCongestionControl(CongestionControl.Algorithm a) {
        return new TcpConfig(mtu, receiveBuffer, delayedAckNanos, timeWaitNanos, maxRetransmits, synRetries, a, limits,
                sack, timestamps, tailLossProbe);
    }

    public TcpConfig withLimits(TcpLimits l) {
        return new TcpConfig(mtu, receiveBuffer, delayedAckNanos, timeWaitNanos, maxRetransmits, synRetries,
                congestionControl, l, sack, timestamps, tailLossProbe);
    }

    /** This configuration with SACK and timestamps on or off. */
    public TcpConfig withOptions(boolean sack, boolean timestamps) {
        return new TcpConfig(mtu, receiveBuffer, delayedAckNanos, timeWaitNanos, maxRetransmits, synRetries,
                congestionControl, limits, sack, timestamps, tailLossProbe);
    }

    /** This configuration with tail loss probes (RFC 8985 7) on or off. */
    public TcpConfig withTailLossProbe(boolean on) {
        return new TcpConfig(mtu, receiveBuffer, delayedAckNanos, timeWaitNanos, maxRetransmits, synRetries,
                congestionControl, limits, sack, timestamps, on);
    }

    /** How long a closed connection waits in FIN_WAIT_2 for the peer's FIN: 2*MSL, Linux's tcp_fin_timeout 60 s. */
    public long finWait2Nanos() {
        return timeWaitNanos;
    }

    public TcpConfig {
        if (mtu < 68 || mtu > 9000) {
            throw new IllegalArgumentException("mtu must be 68..9000, was " + mtu);
        }
        if (receiveBuffer < 1 || receiveBuffer > (1 << 30)) {
            throw new IllegalArgumentException("receiveBuffer must be 1..2^30, was " + receiveBuffer);
        }
        if (congestionControl == null || limits == null) {
            throw new IllegalArgumentException("congestionControl and limits must be given");
        }
    }

    /** Linux's defaults, 256 KiB receive buffer. */
    public static TcpConfig defaults(int mtu) {
        return new TcpConfig(mtu, 256 * 1024, 40_000_000L, 60_000_000_000L, 15, 6);
    }

    /** The MSS we announce: what fits in one IPv4 packet of the MTU without options. */
    public int mss() {
        return mtu - 40;
    }

    /** The window shift we offer: the least that lets the receive buffer be advertised (RFC 7323 2.2). */
    public int windowShift() {
        return windowShiftFor(receiveBuffer);
    }

    /** The least window shift that lets a buffer of {@code bytes} be advertised (RFC 7323 2.2). */
    public static int windowShiftFor(int bytes) {
        int shift = 0;
        while ((bytes >> shift) > 0xFFFF && shift < TcpSegment.MAX_WINDOW_SHIFT) {
            shift++;
        }
        return shift;
    }
}
