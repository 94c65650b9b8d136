package dev.isthmus.dpdk.tcp;

import dev.isthmus.dpdk.tcp.TcpStats.Counter;
import dev.isthmus.stack.buffer.OutboundChain;
import dev.isthmus.stack.buffer.PooledBuffer;
import dev.isthmus.stack.buffer.SegmentSink;
import dev.isthmus.stack.spi.Timeout;
import dev.isthmus.stack.spi.TimerWheel;

import java.lang.foreign.MemorySegment;
import java.util.function.LongSupplier;

import static dev.isthmus.dpdk.tcp.SequenceNumbers.ge;
import static dev.isthmus.dpdk.tcp.SequenceNumbers.gt;
import static dev.isthmus.dpdk.tcp.SequenceNumbers.le;
import static dev.isthmus.dpdk.tcp.SequenceNumbers.lt;
import static dev.isthmus.dpdk.tcp.TcpFlags.ACK;
import static dev.isthmus.dpdk.tcp.TcpFlags.FIN;
import static dev.isthmus.dpdk.tcp.TcpFlags.PSH;
import static dev.isthmus.dpdk.tcp.TcpFlags.RST;
import static dev.isthmus.dpdk.tcp.TcpFlags.SYN;

/**
 * One TCP connection's state (RFC 9293's Transmission Control Block) and the state machine that moves
 * it: segments in through {@link #input}, segments out through a {@link TcpOutput}, data and events to
 * a {@link TcbEvents}, time from a {@link TimerWheel}. No I/O and no thread of its own, so a test drives
 * it with scripted segments and a clock it sets.
 *
 * <p>The bytes to send live in an {@link OutboundChain}: its head is SND.UNA's byte, its sent cursor
 * SND.NXT's; a segment's payload is copied from the cursor into the packet buffer, kept in the chain
 * until acknowledged, and sent again after a timeout by rewinding the cursor (go-back-N from SND.UNA,
 * RFC 5681 3.1 / RFC 6298 5.4) or, on three duplicate ACKs, by sending the first segment alone.
 *
 * <p>Implemented: the RFC 9293 state machine (active, passive and simultaneous open and close,
 * TIME_WAIT, RST in and out with RFC 5961's exact-match rule and challenge ACKs), MSS and window scaling
 * (RFC 7323 2), RFC 6298's timer with Karn's rule, NewReno (RFC 5681, 6582) or CUBIC (RFC 9438), delayed ACKs (RFC 5681 4.2),
 * Nagle (RFC 896, RFC 1122 4.2.3.4) unless no-delay, receiver SWS avoidance (RFC 1122 4.2.3.3), zero
 * window probes (RFC 9293 3.8.6.1), keepalive (RFC 1122 4.2.3.6), an out-of-order queue, SACK (RFC
 * 2018: blocks sent from the out-of-order queue, received ones kept in a {@link SackScoreboard}) with
 * RFC 6675's loss recovery, timestamps with RTT measurement and PAWS (RFC 7323 3-5, {@link Timestamps}),
 * spurious timeouts detected by timestamps or D-SACK and undone ({@link SpuriousTimeout}, RFC 3522, 3708,
 * 4015), tail loss probes (RFC 8985 7) and, from RACK's time order, a lost retransmission of SND.UNA
 * resent before the RTO, D-SACK blocks for data received twice below RCV.NXT (RFC 2883). Not implemented:
 * RACK itself, D-SACK for duplicates within the out-of-order queue, urgent data. Worker
 * thread only.
 */
public final class Tcb {
    private static final int KEEPALIVE_PROBES_DEFAULT = 9;
    /**
     * RFC 8985 7.2's WCDelAckT: with one segment in flight the PTO waits this much more for the receiver's
     * delayed ACK (Linux: TCP_DELACK_MAX).
     */
    private static final long WORST_CASE_DELAYED_ACK = 200_000_000L;
    /**
     * The least PTO: the TSval tick is 1 ms, so 2*SRTT below a few ticks is noise; as Linux's lower bound
     * of a few jiffies.
     */
    private static final long MIN_PTO = 10_000_000L;

    private final int localIp;
    private final int localPort;
    private final int remoteIp;
    private final int remotePort;
    private final TcpConfig config;
    private final TcpOutput output;
    private TcbEvents events;
    private OutboundChain out;
    private final LongSupplier clock;
    private final TcpStats stats;
    private final PayloadCopier copier = new PayloadCopier();

    private TcpState state = TcpState.CLOSED;
    private Object attachment;
    /** The layer whose flow table holds this TCB, told when it closes; null for a TCB on its own (tests). */
    TcpLayer owner;
    /** The challenge ACK limit of a TCB without a layer (tests); a layer's TCBs share the layer's. */
    private ChallengeAckLimiter ownChallengeAcks;

    // Send sequence variables (RFC 9293 3.3.1). sndMax: the highest SND.NXT reached, which a rewind
    // for retransmission leaves behind.
    private final int iss;
    private int sndUna;
    private int sndNxt;
    private int sndMax;
    private long sndWnd;
    private int sndWl1;
    private int sndWl2;
    private int sndShift;
    private int sndMss;
    private long maxSndWnd;
    /** The end of the last segment sent shorter than the MSS (Nagle, Minshall's variant). */
    private int sndSml;
    /** The application finished sending (close or shutdownOutput): FIN follows the last byte. */
    private boolean finQueued;
    /** FIN's sequence number, once it has been sent. */
    private int finSeq;
    private boolean finSeqValid;

    // Receive sequence variables.
    private int irs;
    private int rcvNxt;
    private int rcvShift;
    /** Linux's largest send buffer, tcp_wmem[2] (tcp(7)): the default bound of bytes in flight. */
    public static final int DEFAULT_SEND_BUFFER = 4 << 20;
    private int receiveBuffer;
    private int sendBuffer = DEFAULT_SEND_BUFFER;
    private boolean windowScaling;
    /** The right edge of the window last advertised: never moved left (RFC 9293 3.8.6.2.2, no shrinking). */
    private int rcvAdv;
    /** Bytes delivered to the application and not yet {@link #consumed}. */
    private long rcvQueued;
    private boolean peerFin;
    /** Data received beyond a hole; made at the first loss. */
    private OutOfOrderQueue ooo;
    /** Both ends agreed to SACK (RFC 2018 2): we report blocks and read the peer's. */
    private boolean sackOk;
    /** What the peer's SACK blocks told us; made when SACK is agreed. */
    private SackScoreboard board;
    /** The blocks of the next ACK; made when SACK is agreed. */
    private SackBlocks sackOut;
    /** The sequence number of the last segment put in the out-of-order queue: the first SACK block's. */
    private int lastOutOfOrderSeq;
    private final Timestamps ts;

    // Timing.
    private final RttEstimator rtt = new RttEstimator();
    private final CongestionControl cc;
    private final WindowStallGuard stall;
    private boolean timing;
    private int timedSeq;
    private long timedAt;
    private int consecutiveRetransmits;
    private long retransmits;
    private int persistBackoff;
    private int segmentsUnacked;
    private long lastReceiveNanos;
    private long lastSendNanos;
    private boolean noDelay;
    /** The application closed: nobody reads any more (Linux's orphaned socket). */
    private boolean orphaned;
    private long keepaliveIdleNanos;
    private long keepaliveIntervalNanos = 75_000_000_000L;
    private int keepaliveProbes = KEEPALIVE_PROBES_DEFAULT;
    private int keepaliveSent;

    /** Whether a spurious timeout is to be undone (RFC 3522, RFC 3708, RFC 4015). */
    private final SpuriousTimeout spurious = new SpuriousTimeout();
    /** The retransmission timer is armed as RFC 8985's PTO, not as the RTO. */
    private boolean probeArmed;
    /** The tail loss probe's episode (RFC 8985 7.4). */
    private final TailLossProbe tlp = new TailLossProbe();
    /** Data received twice below RCV.NXT, {@code [dsackStart, dsackEnd)}, to report in the next ACK (RFC 2883). */
    private boolean dsackPending;
    private int dsackStart;
    private int dsackEnd;
    /** SND.UNA's segment was resent at {@code rexmitSeq} when SND.MAX was {@code rexmitSndMax}. */
    private boolean rexmitWatch;
    private int rexmitSeq;
    private int rexmitSndMax;

    private final Timeout retransmitTimer;
    private final Timeout delayedAckTimer;
    private final Timeout persistTimer;
    private final Timeout keepaliveTimer;
    private final Timeout timeWaitTimer;

    /**
     * A TCB for the 4-tuple, CLOSED until {@link #connect} or {@link #acceptSyn}.
     *
     * @param iss the initial send sequence number ({@link IsnGenerator})
     * @param out the connection's outbound chain: what {@code write} accepted, sent from here
     */
    public Tcb(int localIp, int localPort, int remoteIp, int remotePort, int iss, TcpConfig config,
               TcpOutput output, TcbEvents events, OutboundChain out, TimerWheel wheel, LongSupplier clock,
               TcpStats stats) {
        this.localIp = localIp;
        this.localPort = localPort;
        this.remoteIp = remoteIp;
        this.remotePort = remotePort;
        this.iss = iss;
        this.config = config;
        this.output = output;
        this.events = events;
        this.out = out;
        this.clock = clock;
        this.stats = stats;
        this.sndUna = iss;
        this.sndNxt = iss;
        this.sndMax = iss;
        this.sndSml = iss;
        this.sndMss = Math.min(config.mss(), TcpSegment.DEFAULT_MSS);
        this.receiveBuffer = config.receiveBuffer();
        this.cc = config.congestionControl().create(sndMss, iss, clock, rtt);
        this.stall = new WindowStallGuard(config.limits().windowStallNanos());
        // A random TSval offset per connection (as Linux's tsoffset): the clock behind it stays private.
        this.ts = new Timestamps(java.util.concurrent.ThreadLocalRandom.current().nextInt());
        this.retransmitTimer = wheel.newTimeout(this::onRetransmitTimeout);
        this.delayedAckTimer = wheel.newTimeout(this::onDelayedAckTimeout);
        this.persistTimer = wheel.newTimeout(this::onPersistTimeout);
        this.keepaliveTimer = wheel.newTimeout(this::onKeepaliveTimeout);
        this.timeWaitTimer = wheel.newTimeout(this::onTimeWaitTimeout);
    }

    // ---------------------------------------------------------------- opening

    /** Active open (RFC 9293 3.10.1): sends SYN with our MSS and window shift; SYN_SENT. */
    public void connect() {
        requireState(TcpState.CLOSED, "connect");
        state = TcpState.SYN_SENT;
        stats.count(Counter.ACTIVE_OPENS);
        sendSyn();
    }

    /**
     * Passive open: {@code syn} (a SYN without ACK that reached a listener) starts this TCB, which answers
     * SYN-ACK; SYN_RECEIVED (RFC 9293 3.10.7.2).
     */
    public void acceptSyn(TcpSegment syn) {
        requireState(TcpState.CLOSED, "acceptSyn");
        stats.count(Counter.PASSIVE_OPENS);
        takeSyn(syn);
        state = TcpState.SYN_RECEIVED;
        sendSyn();
    }

    /**
     * Passive open from a SYN cookie ({@link SynCookies}): {@code ack} is the handshake's last ACK, whose
     * cookie said the SYN offered {@code mss} and window shift {@code shift} (-1: none); our SYN-ACK went
     * out with this TCB's ISS. ESTABLISHED at once; the caller then hands it {@code ack} for its data.
     */
    public void acceptCookie(TcpSegment ack, int mss, int shift) {
        requireState(TcpState.CLOSED, "acceptCookie");
        stats.count(Counter.PASSIVE_OPENS);
        irs = ack.seq() - 1;
        rcvNxt = ack.seq();
        sndMss = Math.max(64, Math.min(mss, config.mss()));
        cc.onHandshake(sndMss);
        windowScaling = shift >= 0;
        sndShift = windowScaling ? shift : 0;
        rcvShift = windowScaling ? config.windowShift() : 0;
        sndNxt = iss + 1;
        sndMax = sndNxt;
        // What the cookie SYN-ACK offered (unscaled, as every SYN-ACK).
        rcvAdv = rcvNxt + (int) Math.min(receiveSpace(), 0xFFFF);
        lastReceiveNanos = clock.getAsLong();
        state = TcpState.SYN_RECEIVED;
        established(ack);
    }

    private void takeSyn(TcpSegment syn) {
        irs = syn.seq();
        rcvNxt = irs + 1;
        int peerMss = syn.mss() > 0 ? syn.mss() : TcpSegment.DEFAULT_MSS;
        sndMss = Math.max(64, Math.min(peerMss, config.mss()));
        // SACK and timestamps (RFC 2018 2, RFC 7323 3.2): used when our SYN offered them (or, answering,
        // when we would have) and the peer's carries them.
        ts.negotiate(config.timestamps(), syn, clock.getAsLong());
        if (ts.on()) {
            sndMss -= 12; // every segment now carries 12 bytes of options: the payload makes room (Linux's mss_cache)
        }
        sackOk = config.sack() && syn.sackPermitted();
        if (sackOk) {
            board = new SackScoreboard();
            sackOut = new SackBlocks();
        }
        cc.onHandshake(sndMss);
        windowScaling = syn.windowShift() >= 0;
        sndShift = windowScaling ? syn.windowShift() : 0;
        rcvShift = windowScaling ? TcpConfig.windowShiftFor(receiveBuffer) : 0;
        // The window of a SYN is never scaled (RFC 7323 2.2).
        sndWnd = syn.window();
        maxSndWnd = sndWnd;
        sndWl1 = syn.seq();
        sndWl2 = syn.ack();
        // The SYN or SYN-ACK we send offers this much, unscaled (RFC 7323 2.2).
        rcvAdv = rcvNxt + (int) Math.min(receiveSpace(), 0xFFFF);
        lastReceiveNanos = clock.getAsLong();
    }

    private void sendSyn() {
        boolean synAck = state == TcpState.SYN_RECEIVED;
        // Our SYN offers the window shift; a SYN-ACK echoes it only if the peer's SYN offered one.
        int shift = synAck ? (windowScaling ? rcvShift : -1) : TcpConfig.windowShiftFor(receiveBuffer);
        int window = (int) Math.min(receiveSpace(), 0xFFFF);
        // SACK-permitted and timestamps: offered on a SYN as configured, answered on a SYN-ACK if agreed.
        boolean offerSack = synAck ? sackOk : config.sack();
        boolean offerTs = synAck ? ts.on() : config.timestamps();
        sendSegment(iss, synAck ? rcvNxt : 0, synAck ? SYN | ACK : SYN, window, config.mss(), shift, offerSack, offerTs);
        if (gt(iss + 1, sndNxt)) {
            sndNxt = iss + 1;
            sndMax = sndNxt;
        }
        if (!timing && consecutiveRetransmits == 0) {
            timing = true;
            timedSeq = iss;
            timedAt = clock.getAsLong();
        }
        armRto();
    }

    // ---------------------------------------------------------------- application side

    /** New data was written to the outbound chain, or room appeared: send what the windows allow. */
    public void output() {
        if (!state.sendsData()) {
            return;
        }
        // Pipe-based sending needs SND.NXT at SND.MAX: after a go-back (a timeout, a closed window) the
        // bytes between them are not in the network, and the ordinary window applies until they are sent.
        boolean sackRecovery = sackRecovering() && sndNxt == sndMax;
        if (sackRecovery) {
            sackRetransmit();
        }
        int sndMaxBefore = sndMax;
        boolean sentNew = false;
        while (true) {
            if (board != null && lt(sndNxt, sndMax)) {
                skipSacked(); // going back after a timeout: what the peer holds is not sent again
            }
            long unsent = out.unsentBytes();
            long inFlight = Integer.toUnsignedLong(sndNxt - sndUna);
            // In SACK recovery the congestion window is ssthresh and what is in the network is RFC 6675's
            // pipe, not SND.NXT - SND.UNA (section 5 step (C)); the send buffer (SO_SNDBUF) bounds both.
            long usable = sackRecovery
                    ? Math.min(Math.min(sndWnd, sendBuffer) - inFlight, cc.ssthresh() - board.pipe(sndUna, sndMax, sndMss))
                    : Math.min(Math.min(sndWnd, cc.cwnd() + limitedTransmit()), sendBuffer) - inFlight;
            if (board != null && lt(sndNxt, sndMax)) {
                usable = Math.min(usable, Integer.toUnsignedLong(board.nextSacked(sndNxt, sndMax) - sndNxt));
            }
            int len = (int) Math.max(0, Math.min(Math.min(sndMss, unsent), usable));
            boolean finNow = finQueued && !finInFlight() && !finAcked() && len == unsent;
            if (len == 0 && !finNow) {
                break;
            }
            if (len > 0 && len < sndMss && !finNow && inFlight > 0
                    && (len < unsent || (!noDelay && gt(sndSml, sndUna)))) {
                // Sender SWS avoidance (RFC 1122 4.2.3.4): no sliver that the window cut off while data
                // is in flight (its ACK will open the window). Nagle (RFC 896) in Minshall's variant,
                // as Linux's tcp_minshall_check: a small segment waits only while an earlier *small*
                // one is unacknowledged, so the tail of a response does not wait for a delayed ACK of
                // the full segments before it; TCP_NODELAY turns it off.
                break;
            }
            int flags = ACK | (finNow ? FIN : 0) | (len > 0 && len == unsent ? PSH : 0);
            int seq = sndNxt;
            if (!sendData(seq, len, flags)) {
                break;
            }
            out.sent(len);
            if (len > 0 && len < sndMss) {
                sndSml = seq + len;
            }
            if (finNow) {
                finSeq = seq + len;
                finSeqValid = true;
            }
            sndNxt = seq + len + (finNow ? 1 : 0);
            if (gt(sndNxt, sndMax)) {
                if (!timing && ge(seq, sndMax)) {
                    // Karn: time only a segment sent for the first time.
                    timing = true;
                    timedSeq = seq;
                    timedAt = clock.getAsLong();
                }
                sndMax = sndNxt;
            } else {
                stats.count(Counter.RETRANSMITTED_SEGMENTS);
                retransmits++;
                spurious.retransmitted(seq, sndNxt - seq);
            }
            if (!retransmitTimer.isArmed()) {
                armRetransmitTimer();
            }
            sentNew |= ge(seq, sndMaxBefore) && len > 0;
            persistTimer.cancel();
            if (finNow) {
                break;
            }
        }
        if (sentNew) {
            // RFC 8985 7.2: the PTO restarts after new data (the RTO does not, RFC 6298 5.1); and the first
            // segment may have armed the RTO because, alone in flight, its PTO waited for a delayed ACK.
            armProbe();
        }
        if (out.unsentBytes() > 0 && sndWnd == 0 && sndNxt == sndUna && !persistTimer.isArmed()) {
            // The peer's window is closed and nothing is in flight to bring its opening: probe
            // (RFC 9293 3.8.6.1).
            persistBackoff = 0;
            persistTimer.arm(rtt.rto());
        }
    }

    /**
     * The application finished sending ({@code shutdownOutput} or {@code close}): FIN goes after the
     * queued data (RFC 9293 3.10.4). ESTABLISHED becomes FIN_WAIT_1, CLOSE_WAIT LAST_ACK; a TCB still
     * in SYN_SENT is deleted.
     */
    public void shutdownOutput() {
        if (finQueued) {
            return;
        }
        switch (state) {
            case SYN_SENT -> {
                close(CloseReason.ABORTED);
                return;
            }
            case SYN_RECEIVED -> finQueued = true; // FIN_WAIT_1 once established (RFC 9293 3.10.4)
            case ESTABLISHED -> {
                finQueued = true;
                state = TcpState.FIN_WAIT_1;
            }
            case CLOSE_WAIT -> {
                finQueued = true;
                state = TcpState.LAST_ACK;
            }
            default -> {
                return;
            }
        }
        output();
    }

    /**
     * The application closed the connection (both directions, {@code close(2)}): FIN after the queued
     * data as {@link #shutdownOutput}, and from now on, as Linux does for an orphaned socket, data from
     * the peer is answered with RST (nobody will read it) and FIN_WAIT_2 lasts at most
     * {@link TcpConfig#finWait2Nanos()} (tcp_fin_timeout).
     */
    public void close() {
        orphaned = true;
        shutdownOutput();
        if (state == TcpState.FIN_WAIT_2) {
            timeWaitTimer.arm(config.finWait2Nanos());
        }
    }

    /** Aborts (RFC 9293 3.10.5): RST to the peer in a synchronized state, then CLOSED. */
    public void abort() {
        if (state == TcpState.CLOSED) {
            return;
        }
        if (state.synchronizedState() || state == TcpState.SYN_RECEIVED) {
            sendControl(sndNxt, 0, RST, 0, -1, -1);
            stats.count(Counter.RESETS_SENT);
        }
        close(CloseReason.ABORTED);
    }

    /**
     * The application read {@code bytes} of what {@link TcbEvents#onData} delivered: the receive window
     * opens; an ACK announces it when it grew enough to matter (RFC 1122 4.2.3.3).
     */
    public void consumed(long bytes) {
        if (bytes < 0 || bytes > rcvQueued) {
            throw new IllegalArgumentException("consumed must be 0.." + rcvQueued + ", was " + bytes);
        }
        long before = advertisableWindow();
        rcvQueued -= bytes;
        if (state.receivesData() && advertisableWindow() > before && windowUpdateWorthIt()) {
            sendAck();
        }
    }

    private boolean windowUpdateWorthIt() {
        long current = advertisedWindow();
        return advertisableWindow() - current >= swsThreshold();
    }

    /** How far the right edge must move before we announce it (RFC 1122 4.2.3.3: min(buffer/2, MSS)). */
    private long swsThreshold() {
        return Math.min(receiveBuffer / 2, sndMss);
    }

    /** TCP_NODELAY: small segments go at once instead of waiting for the outstanding data's ACK. */
    /**
     * SO_RCVBUF: bytes queued for the application before the window closes (default the worker's
     * {@link TcpConfig#receiveBuffer()}). Set before connect, it also chooses the window shift the SYN
     * offers; later, the window is never shrunk below what was advertised (RFC 9293 3.8.6.2.2) and cannot
     * grow past what the shift agreed at the handshake can say.
     */
    public void setReceiveBuffer(int bytes) {
        if (bytes < 1 || bytes > (1 << 30)) {
            throw new IllegalArgumentException("SO_RCVBUF must be 1..2^30, was " + bytes);
        }
        receiveBuffer = bytes;
    }

    public int receiveBuffer() { return receiveBuffer; }

    /**
     * SO_SNDBUF: bytes sent and not yet acknowledged at most (default {@link #DEFAULT_SEND_BUFFER}). What
     * is not sent yet waits in the outbound chain, bounded by the facade's write watermarks; Linux's
     * sk_sndbuf counts both, so here the part the TCB keeps is bounded.
     */
    public void setSendBuffer(int bytes) {
        if (bytes < 1 || bytes > (1 << 30)) {
            throw new IllegalArgumentException("SO_SNDBUF must be 1..2^30, was " + bytes);
        }
        sendBuffer = bytes;
        output();
    }

    public int sendBuffer() { return sendBuffer; }

    public void setNoDelay(boolean on) {
        noDelay = on;
        if (on) {
            output();
        }
    }

    /**
     * Keepalive (RFC 1122 4.2.3.6, as Linux's TCP_KEEPIDLE / TCP_KEEPINTVL / TCP_KEEPCNT): after
     * {@code idleNanos} without a segment from the peer, probe every {@code intervalNanos}; after
     * {@code probes} unanswered, the connection times out. {@code idleNanos == 0} turns it off.
     */
    public void setKeepalive(long idleNanos, long intervalNanos, int probes) {
        keepaliveIdleNanos = idleNanos;
        keepaliveIntervalNanos = intervalNanos;
        keepaliveProbes = probes;
        keepaliveSent = 0;
        if (idleNanos > 0 && state.synchronizedState()) {
            keepaliveTimer.arm(idleNanos);
        } else {
            keepaliveTimer.cancel();
        }
    }

    // ---------------------------------------------------------------- segment arrives (RFC 9293 3.10.7)

    /**
     * Handles a segment for this TCB: {@code seg} parsed from {@code packet}, whose payload starts at
     * {@code seg.payloadOffset()}.
     */
    public void input(TcpSegment seg, MemorySegment packet) {
        stats.count(Counter.SEGMENTS_IN);
        switch (state) {
            case CLOSED -> {
                return;
            }
            case SYN_SENT -> {
                inputSynSent(seg);
                return;
            }
            default -> { }
        }
        int segLen = seg.segmentLength();
        int seq = seg.seq();
        if (segLen > 0 && ts.rejects(seg, clock.getAsLong())) {
            // PAWS (RFC 7323 5.3 R1): an old duplicate, as the sequence check below would find an
            // unacceptable segment: dropped, and an ACK says where we are. Not for a segment without data,
            // SYN or FIN: a pure ACK that a later one overtook (Linux's tcp_disordered_ack) carries nothing
            // PAWS protects, and answering it would send the peer a duplicate ACK.
            stats.count(Counter.PAWS_REJECTED);
            sendAck();
            return;
        }
        long wnd = advertisedWindow();
        // First: sequence number acceptable? (RFC 9293 3.10.7.4, the four cases)
        boolean acceptable;
        if (segLen == 0) {
            acceptable = wnd == 0 ? seq == rcvNxt : ge(seq, rcvNxt) && lt(seq, (int) (rcvNxt + wnd));
        } else {
            acceptable = wnd != 0 && ((ge(seq, rcvNxt) && lt(seq, (int) (rcvNxt + wnd)))
                    || (ge(seq + segLen - 1, rcvNxt) && lt(seq + segLen - 1, (int) (rcvNxt + wnd))));
        }
        if (!acceptable) {
            // A zero window still takes ACKs and RST at RCV.NXT; and a segment entirely old still
            // carries an ACK worth reading, e.g. a keepalive or a probe answer.
            if (wnd == 0 && seq == rcvNxt && !seg.has(RST)) {
                acceptable = true; // its data, if any, is dropped below (no room)
            } else {
                stats.count(Counter.OUT_OF_WINDOW);
                if (seg.has(SYN) && !seg.has(RST)) {
                    challengeAck(); // RFC 5961 4.2: a SYN, whatever its sequence number
                } else if (!seg.has(RST)) {
                    if (state == TcpState.TIME_WAIT && seg.has(FIN)) {
                        timeWaitTimer.arm(config.timeWaitNanos()); // a retransmitted FIN restarts 2MSL
                    }
                    if (seg.payloadLength() > 0 && le(seq + seg.payloadLength(), rcvNxt)
                            && lt(seq, rcvNxt) && ge(seq, rcvNxt - (int) Math.min(receiveBuffer, Integer.MAX_VALUE))) {
                        duplicateReceived(seq, seq + seg.payloadLength()); // all of it held already
                    }
                    sendAck();
                }
                return;
            }
        }
        lastReceiveNanos = clock.getAsLong();
        keepaliveSent = 0;
        ts.accepted(seg, lastReceiveNanos);
        // Second: RST (RFC 9293 3.10.7.4 and RFC 5961 3.2: only an exact RCV.NXT resets; any other
        // in-window RST gets a challenge ACK).
        if (seg.has(RST)) {
            stats.count(Counter.RESETS_RECEIVED);
            if (seq != rcvNxt) {
                challengeAck();
                return;
            }
            if (state == TcpState.ESTABLISHED || state == TcpState.CLOSE_WAIT) {
                stats.count(Counter.ESTABLISHED_RESETS);
            }
            close(state == TcpState.SYN_RECEIVED ? CloseReason.REFUSED
                    : state == TcpState.CLOSING || state == TcpState.LAST_ACK || state == TcpState.TIME_WAIT
                    ? CloseReason.NORMAL : CloseReason.RESET);
            return;
        }
        // Fourth: SYN in a synchronized state (or SYN_RECEIVED): RFC 5961 4.2, a challenge ACK.
        if (seg.has(SYN)) {
            challengeAck();
            return;
        }
        // Fifth: ACK.
        if (!seg.has(ACK)) {
            return;
        }
        if (state == TcpState.SYN_RECEIVED) {
            if (gt(seg.ack(), sndUna) && le(seg.ack(), sndMax)) {
                established(seg);
            } else {
                sendReset(seg.ack());
                return;
            }
        }
        if (!processAck(seg)) {
            return;
        }
        if (state == TcpState.CLOSED) {
            return;
        }
        // Seventh: data.
        boolean ackNow = false;
        int payload = seg.payloadLength();
        if (payload > 0 && orphaned && SequenceNumbers.gt(seq + payload, rcvNxt)) {
            // New data for a connection the application closed: RST, as Linux (TCPAbortOnData).
            abort();
            return;
        }
        if (payload > 0) {
            if (state.receivesData()) {
                ackNow = receiveData(seg, packet);
            } else {
                ackNow = true; // data after FIN: ignore, ACK (RFC 9293 3.10.7.4 seventh)
            }
        }
        // Eighth: FIN, once everything before it was taken.
        if (seg.has(FIN) && seq + payload == rcvNxt && !peerFin) {
            rcvNxt++;
            peerFin = true;
            ackNow = true;
            switch (state) {
                case SYN_RECEIVED, ESTABLISHED -> state = TcpState.CLOSE_WAIT;
                case FIN_WAIT_1 -> state = finAcked() ? enterTimeWait() : TcpState.CLOSING;
                case FIN_WAIT_2 -> state = enterTimeWait();
                default -> { }
            }
            events.onPeerFin(this);
        } else if (seg.has(FIN) && state == TcpState.TIME_WAIT) {
            ackNow = true;
            timeWaitTimer.arm(config.timeWaitNanos());
        }
        if (ackNow) {
            sendAck();
        }
        output();
    }

    private void inputSynSent(TcpSegment seg) {
        // RFC 9293 3.10.7.3.
        boolean ackOk = false;
        if (seg.has(ACK)) {
            if (le(seg.ack(), iss) || gt(seg.ack(), sndMax)) {
                if (!seg.has(RST)) {
                    sendReset(seg.ack());
                }
                return;
            }
            ackOk = true;
        }
        if (seg.has(RST)) {
            if (ackOk) {
                stats.count(Counter.RESETS_RECEIVED);
                stats.count(Counter.ATTEMPT_FAILS);
                close(CloseReason.REFUSED);
            }
            return;
        }
        if (!seg.has(SYN)) {
            return;
        }
        takeSyn(seg);
        if (ackOk) {
            established(seg);
            sndWl1 = seg.seq();
            sndWl2 = seg.ack();
            sendAck();
            output();
        } else {
            // Simultaneous open: answer SYN-ACK with our ISS again (RFC 9293 3.5, figure 7).
            state = TcpState.SYN_RECEIVED;
            retransmitTimer.cancel();
            timing = false;
            sendSyn();
        }
    }

    private void established(TcpSegment seg) {
        if (timing && gt(seg.ack(), timedSeq) && consecutiveRetransmits == 0) {
            rtt.sample(clock.getAsLong() - timedAt);
        }
        timing = false;
        consecutiveRetransmits = 0;
        sndUna = iss + 1;
        sndWnd = (long) seg.window() << (seg.has(SYN) ? 0 : sndShift);
        maxSndWnd = Math.max(maxSndWnd, sndWnd);
        sndWl1 = seg.seq();
        sndWl2 = seg.ack();
        retransmitTimer.cancel();
        state = finQueued ? TcpState.FIN_WAIT_1 : TcpState.ESTABLISHED;
        if (keepaliveIdleNanos > 0) {
            keepaliveTimer.arm(keepaliveIdleNanos);
        }
        events.onEstablished(this);
    }

    /** RFC 9293 3.10.7.4 fifth, ESTABLISHED and after. Returns false when the segment is to be dropped. */
    private boolean processAck(TcpSegment seg) {
        int ack = seg.ack();
        if (gt(ack, sndMax)) {
            // Acknowledges something not yet sent (RFC 9293 3.10.7.4 fifth; RFC 5961 5.2: a challenge ACK).
            stats.count(Counter.ACKS_OF_UNSENT);
            challengeAck();
            return false;
        }
        if (lt(ack, sndUna - (int) Math.min(maxSndWnd, Integer.MAX_VALUE))) {
            // RFC 5961 5.2: older than SND.UNA - MAX.SND.WND, a blind injection rather than a late
            // duplicate: dropped with a challenge ACK.
            stats.count(Counter.ACKS_TOO_OLD);
            challengeAck();
            return false;
        }
        long window = (long) seg.window() << sndShift;
        boolean newlySacked = false;
        if (board != null && seg.sackBlocks() > 0) {
            if (SpuriousTimeout.isDsack(seg)) {
                duplicateReported(seg.sackStart(0), seg.sackEnd(0));
            }
            newlySacked = board.update(seg, gt(ack, sndUna) ? ack : sndUna, sndMax);
        }
        if (gt(ack, sndUna)) {
            long rttNanos = ts.roundTrip(seg, clock.getAsLong());
            if (rttNanos >= 0) {
                // RFC 7323 4.1: the echoed TSval times every ACK of new data, retransmitted or not; about
                // one ACK per two segments of the flight, each weighed as appendix G says.
                rtt.sample(rttNanos, (int) Math.min(Integer.MAX_VALUE, (flight() + 2L * sndMss - 1) / (2L * sndMss)));
                timing = false;
            }
            long acked = Integer.toUnsignedLong(ack - sndUna);
            newAck(ack, seg);
            SpuriousTimeout.Verdict verdict = spurious.decide(seg.timestamps(), seg.tsEcr());
            if (verdict == SpuriousTimeout.Verdict.SPURIOUS_BY_TIMESTAMP || verdict == SpuriousTimeout.Verdict.SPURIOUS_BY_DSACK) {
                undoTimeout(verdict, acked);
            }
        } else if (ack == sndUna && seg.payloadLength() == 0 && !seg.has(FIN) && window == sndWnd
                && sndMax != sndUna && (board == null || newlySacked)) {
            // A duplicate ACK in RFC 5681's sense (section 2): no data, no window change, data outstanding;
            // with SACK, RFC 6675's (section 2): one that SACKs data not SACKed before, so that a window
            // update or an ACK sent twice is not taken for a sign of loss.
            stats.count(Counter.DUPLICATE_ACKS);
            if (cc.onDupAck(ack, sndMax, flight())) {
                stats.count(Counter.FAST_RETRANSMITS);
                if (board != null) {
                    board.startRecovery(sndUna); // RFC 6675 5 step 4: SACK recovery, first SND.UNA's segment
                }
                retransmitFirst();
            }
        }
        if (newlySacked && !cc.inRecovery() && sndMax != sndUna && ge(sndUna, cc.recover())
                && (board.isLost(sndUna, sndUna, sndMss) || probeSackedAboveHole())) {
            // RFC 6675 5 step (3): the scoreboard shows SND.UNA lost (enough SACKed above it) before three
            // duplicate ACKs did, e.g. when the hole starts right at the last recovery's end. Or the tail
            // loss probe, sent a PTO after everything below it, arrived and SND.UNA did not (RFC 8985 7.4:
            // the probe's ACK lets RACK find the tail lost; one segment SACKed is no IsLost for RFC 6675).
            startSackRecovery();
        } else if (lostRetransmission()) {
            stats.count(Counter.LOST_RETRANSMISSIONS);
            stats.count(Counter.FAST_RETRANSMITS);
            retransmitFirst();
        }
        // Window update (RFC 9293 3.10.7.4): from a segment newer than the last that set it.
        if (lt(sndWl1, seg.seq()) || (sndWl1 == seg.seq() && le(sndWl2, ack))) {
            boolean opened = sndWnd == 0 && window > 0;
            sndWnd = window;
            maxSndWnd = Math.max(maxSndWnd, window);
            sndWl1 = seg.seq();
            sndWl2 = ack;
            if (opened) {
                persistTimer.cancel();
            }
        }
        if (windowStalled()) {
            return false;
        }
        if (finAcked()) {
            switch (state) {
                case FIN_WAIT_1 -> {
                    state = TcpState.FIN_WAIT_2;
                    if (orphaned) {
                        timeWaitTimer.arm(config.finWait2Nanos());
                    }
                }
                case CLOSING -> state = enterTimeWait();
                case LAST_ACK -> {
                    close(CloseReason.NORMAL);
                    return false;
                }
                default -> { }
            }
        }
        return true;
    }

    private void newAck(int ack, TcpSegment seg) {
        if (gt(ack, sndNxt)) {
            // Acknowledges bytes sent before a rewind and not yet sent again: the cursor moves up.
            long skip = Math.min(Integer.toUnsignedLong(ack - sndNxt), out.unsentBytes());
            out.sent(skip);
            sndNxt = ack;
        }
        long flightBefore = flight();
        long acked = Integer.toUnsignedLong(ack - sndUna);
        boolean finNowAcked = finSeqValid && ge(finSeq, sndUna) && lt(finSeq, ack);
        long dataAcked = acked - (finNowAcked ? 1 : 0);
        if (timing && gt(ack, timedSeq)) {
            rtt.sample(clock.getAsLong() - timedAt);
            timing = false;
        }
        sndUna = ack;
        if (board != null) {
            board.acknowledged(ack);
        }
        consecutiveRetransmits = 0;
        if (tlp.repairedLoss(ack, ts.on() && seg.timestamps(), seg.tsEcr()) && !cc.inRecovery()) {
            // The probe carried the only copy of a lost segment: a loss that calls for the congestion
            // response of a fast recovery, entered and left at once.
            stats.count(Counter.TAIL_LOSS_PROBE_REPAIRS);
            cc.enterRecovery(flightBefore, ack);
        }
        boolean partial = cc.onNewAck(ack, acked, flightBefore);
        if (sndUna == sndMax) {
            retransmitTimer.cancel();
            probeArmed = false;
        } else {
            armRetransmitTimer(); // RFC 6298 5.3; RFC 8985 7.2: or the PTO
        }
        if (dataAcked > 0) {
            // The connection releases them (OutboundChain.acknowledged, through AbstractConnection so
            // that writability and a waiting close follow); the chain's head is SND.UNA's byte again.
            events.onAcknowledged(this, dataAcked);
        }
        if (partial && state != TcpState.CLOSED && (!sackRecovering() || (board.ranges() == 0 && board.notRetransmitted(sndUna)))) {
            // NewReno's partial ACK (RFC 6582 3.2 step 3): the segment at the new SND.UNA, sent before
            // recovery began, is lost. With SACK the scoreboard usually knows better (output() resends what
            // it marks lost), but when nothing above SND.UNA is SACKed (the tail of the flight lost) it knows
            // nothing, and waiting for the RTO would cost 200 ms: resend it, once per recovery.
            stats.count(Counter.FAST_RETRANSMITS);
            retransmitFirst();
        }
    }

    private boolean receiveData(TcpSegment seg, MemorySegment packet) {
        int seq = seg.seq();
        int len = seg.payloadLength();
        long off = seg.payloadOffset();
        if (lt(seq, rcvNxt)) {
            int skip = rcvNxt - seq; // already received: trim the front (RFC 9293 3.10.7.4)
            duplicateReceived(seq, seq + Math.min(skip, len));
            if (skip >= len) {
                return true; // all old: a duplicate, ACK it so the peer stops
            }
            off += skip;
            len -= skip;
        } else if (seq != rcvNxt) {
            // Beyond a hole: kept for when the hole fills, within the room the buffer has; and an
            // immediate duplicate ACK (RFC 5681 4.2) starts the peer's fast retransmit.
            long room = Math.min(receiveBuffer, outOfOrder().capacity()) - rcvQueued - Integer.toUnsignedLong(seq - rcvNxt);
            int keep = (int) Math.max(0, Math.min(len, room));
            int kept = keep > 0 ? outOfOrder().add(seq, packet, off, keep) : OutOfOrderQueue.TOO_MANY_RANGES;
            if (kept == OutOfOrderQueue.KEPT) {
                lastOutOfOrderSeq = seq;
            }
            stats.count(kept == OutOfOrderQueue.KEPT ? Counter.OUT_OF_ORDER_QUEUED
                    : kept == OutOfOrderQueue.NO_MEMORY ? Counter.OUT_OF_ORDER_NO_MEMORY : Counter.OUT_OF_ORDER_DROPPED);
            return true;
        }
        // What we advertised we take (RFC 9293 3.8.6: the window is an offer), even the few bytes that
        // rounding to the window scale added beyond the buffer: refusing them would leave the peer's
        // later segments, ACKs included, beyond our window and unread.
        long room = Math.max(receiveBuffer - rcvQueued, advertisedWindow());
        if (room <= 0) {
            return true; // window closed: drop, the ACK says where we are
        }
        if (len > room) {
            len = (int) room;
        }
        rcvNxt += len;
        rcvQueued += len;
        events.onData(this, packet, off, len);
        if (ooo != null && !ooo.isEmpty()) {
            // The segment filled (part of) a hole: what was kept behind it follows, and the ACK goes
            // at once (RFC 5681 4.2).
            ooo.drain(this);
            return !ooo.isEmpty() || ts.lastAckSent() != rcvNxt;
        }
        if (ts.lastAckSent() == rcvNxt) {
            // The application read at once and the window update that followed acknowledged it all: a
            // second ACK, identical, would be a duplicate ACK to the peer (RFC 5681 2), and three of them
            // a spurious fast retransmit.
            return false;
        }
        // Delayed ACK (RFC 5681 4.2): at least every second full-sized segment, else within 40 ms.
        segmentsUnacked++;
        if (segmentsUnacked >= 2 || len < seg.payloadLength()) {
            return true;
        }
        if (!delayedAckTimer.isArmed()) {
            delayedAckTimer.arm(config.delayedAckNanos());
        }
        return false;
    }

    /**
     * Bytes {@code [start, end)} below RCV.NXT arrived again: the next ACK reports them first in a D-SACK
     * block (RFC 2883 4), once, so that the sender can tell a spurious retransmission (RFC 3708; Linux
     * undoes by it). With SACK agreed only.
     */
    private void duplicateReceived(int start, int end) {
        if (sackOk && lt(start, end)) {
            dsackPending = true;
            dsackStart = start;
            dsackEnd = end;
        }
    }

    private OutOfOrderQueue outOfOrder() {
        if (ooo == null) {
            ooo = new OutOfOrderQueue(owner != null ? owner.reassemblyRings()
                    : new ReassemblyRings(ReassemblyRings.ringSizeFor(config.receiveBuffer()),
                    config.limits().reassemblyMaxBytes()));
        }
        return ooo;
    }

    /** Bytes of the out-of-order queue that are now in order, delivered as received data. */
    void deliverReassembled(MemorySegment ring, long offset, int length) {
        rcvNxt += length;
        rcvQueued += length;
        events.onData(this, ring, offset, length);
    }

    // ---------------------------------------------------------------- retransmission

    /**
     * Limited Transmit (RFC 3042 2): each of the first two duplicate ACKs outside recovery lets one segment of
     * new data go beyond the congestion window, cwnd itself unchanged. With the small windows a lossy path
     * leaves (about ten segments at 1 % loss), a loss among the last three segments of a flight otherwise
     * brings fewer than three duplicate ACKs, and only the RTO recovers it. Only while SND.NXT is SND.MAX:
     * after a go-back the bytes between them are not new data.
     */
    private long limitedTransmit() {
        if (cc.inRecovery() || sndNxt != sndMax) {
            return 0;
        }
        return (long) Math.min(cc.dupAcks(), 2) * sndMss;
    }

    /** Whether SACK loss recovery (RFC 6675) runs: SACK agreed and fast recovery entered. */
    private boolean sackRecovering() {
        return board != null && cc.inRecovery();
    }

    /**
     * RFC 6675 5 step (C), rules 1 and 3 of NextSeg: while the pipe leaves a segment of room under the
     * congestion window (ssthresh in recovery), resend the next lost segment the scoreboard names.
     */
    private void sackRetransmit() {
        while (true) {
            if (cc.ssthresh() - board.pipe(sndUna, sndMax, sndMss) < sndMss) {
                return;
            }
            boolean noNewData = out.unsentBytes() == 0 || Integer.toUnsignedLong(sndMax - sndUna) >= sndWnd;
            long next = board.nextSeg(sndUna, sndMss, noNewData);
            if (next < 0) {
                return;
            }
            int seq = (int) next;
            int len = board.segmentLength(seq, sndMax, sndMss);
            if (len <= 0 || !retransmitAt(seq, len)) {
                return;
            }
            stats.count(Counter.SACK_RETRANSMITS);
            board.retransmitted(seq + len);
        }
    }

    /** Sends {@code len} sequence numbers from {@code seq} (at or above SND.UNA) again, SND.NXT left where it is. */
    private boolean retransmitAt(int seq, int len) {
        int savedNxt = sndNxt;
        long unacked = out.rewindToAcknowledged();
        int offset = seq - sndUna;
        boolean fin = finSeqValid && finInFlightAt(savedNxt) && lt(finSeq, seq + len) && ge(finSeq, seq);
        int data = fin ? finSeq - seq : len;
        data = (int) Math.min(data, Math.max(0, out.unsentBytes() - offset));
        out.sent(offset);
        boolean sent = (data > 0 || fin) && sendData(seq, data, ACK | (fin ? FIN : 0));
        out.rewindToAcknowledged();
        out.sent(unacked);
        sndNxt = savedNxt;
        if (sent) {
            stats.count(Counter.RETRANSMITTED_SEGMENTS);
            retransmits++;
            spurious.retransmitted(seq, len);
            if (seq == sndUna) {
                watchRetransmission();
            }
            timing = false;
        }
        return sent;
    }

    /** SND.NXT (behind SND.MAX after a timeout) sits in a range the peer SACKed: moves past it. */
    private void skipSacked() {
        int to = board.skipSacked(sndNxt);
        if (to != sndNxt) {
            long skip = Math.min(Integer.toUnsignedLong(to - sndNxt), out.unsentBytes());
            out.sent(skip);
            sndNxt += (int) skip;
        }
    }

    /** Sends the first unacknowledged segment again, without moving SND.NXT (fast retransmit, RFC 5681 3.2). */
    private void retransmitFirst() {
        int savedNxt = sndNxt;
        long unacked = out.rewindToAcknowledged();
        int len = (int) Math.min(sndMss, out.unsentBytes());
        boolean fin = finSeqValid && finSeq == sndUna + len && len == out.unsentBytes() && finInFlightAt(savedNxt);
        if (len > 0 || fin) {
            if (sendData(sndUna, len, ACK | (fin ? FIN : 0))) {
                stats.count(Counter.RETRANSMITTED_SEGMENTS);
                retransmits++;
                spurious.retransmitted(sndUna, len + (fin ? 1 : 0));
                watchRetransmission();
                if (board != null) {
                    board.retransmitted(sndUna + len + (fin ? 1 : 0));
                }
            }
        }
        // Back to where the cursor was: the bytes after the first segment stay sent.
        out.sent(unacked);
        sndNxt = savedNxt;
        timing = false;
        armRto();
    }

    /** Fast retransmit of SND.UNA's segment into SACK recovery (RFC 6675 5 steps (3) and (4)). */
    private void startSackRecovery() {
        stats.count(Counter.FAST_RETRANSMITS);
        cc.enterRecovery(flight(), sndMax);
        board.startRecovery(sndUna);
        retransmitFirst();
    }

    /** SND.UNA's segment was just sent again: watch whether that copy is lost too. */
    private void watchRetransmission() {
        if (board != null) {
            rexmitWatch = true;
            rexmitSeq = sndUna;
            rexmitSndMax = sndMax;
        }
    }

    /**
     * Whether the retransmission of SND.UNA's segment was lost as well: in SACK recovery, data first sent
     * after it (at or above the SND.MAX of that moment) is SACKed while SND.UNA has not moved. RFC 6675
     * only sees this at the RTO; it is RACK's time order (RFC 8985 6.2: a segment is lost when one sent
     * later was delivered) applied to the one segment that holds the window back, as Linux's
     * tcp_mark_lost_retrans did before RACK. Assumes no reordering across the retransmission's own RTT.
     */
    private boolean lostRetransmission() {
        return rexmitWatch && sackRecovering() && sndUna == rexmitSeq && board.ranges() > 0
                && gt(board.end(board.ranges() - 1), rexmitSndMax);
    }

    /** Arms the retransmission timer with the RTO (RFC 6298 5.1, 5.3). */
    private void armRto() {
        probeArmed = false;
        retransmitTimer.arm(rtt.rto());
    }

    /**
     * Arms the retransmission timer: with RFC 8985 7.2's PTO in place of the RTO while a tail loss probe may
     * go, else with the RTO. PTO = 2*SRTT, plus WCDelAckT when one segment is in flight (its ACK may be a
     * delayed one), at most the RTO.
     */
    private void armRetransmitTimer() {
        if (!armProbe()) {
            armRto();
        }
    }

    /** Arms the PTO if a probe may go and it comes before the RTO; returns whether it did. */
    private boolean armProbe() {
        if (!probeAllowed()) {
            return false;
        }
        long pto = Math.max(2 * rtt.srtt(), MIN_PTO);
        if (flight() <= sndMss) {
            pto += WORST_CASE_DELAYED_ACK;
        }
        if (pto >= rtt.rto()) {
            return false;
        }
        probeArmed = true;
        retransmitTimer.arm(pto);
        return true;
    }

    /**
     * RFC 8985 7.2's conditions: SACK agreed (the probe's answer must tell what arrived), no loss recovery
     * (fast recovery or a timeout's), an RTT measured, no probe already out.
     */
    private boolean probeAllowed() {
        return config.tailLossProbe() && board != null && state.sendsData() && !cc.inRecovery()
                && consecutiveRetransmits == 0 && !spurious.armed() && !tlp.outstanding() && rtt.hasSample()
                && sndNxt == sndMax;
    }

    /**
     * The PTO expired (RFC 8985 7.3): one segment goes out to draw an ACK. This sends the last segment sent
     * again rather than new data, which RFC 8985 prefers: the ACKs stop most often because the receiver
     * delays them (Linux until its reader catches up or its delayed-ACK timer fires, up to 200 ms), and a
     * segment that is new and in order may wait behind that delay too, whereas a duplicate is answered at
     * once (RFC 9293 3.10.7.4: an ACK for an unacceptable segment; Linux's tcp_send_dupack) and, with SACK,
     * in a D-SACK block that tells the probe was not needed. If the tail was lost, the probe repairs its last
     * segment and its SACK block reveals any hole below.
     */
    private void sendTailLossProbe() {
        if (!state.sendsData() || sndNxt != sndMax || sndUna == sndMax) {
            return;
        }
        if (board.ranges() > 0 && board.skipSacked(sndUna) == sndUna) {
            // Data above SND.UNA is SACKed, too little for IsLost, and for a PTO no ACK filled the hole:
            // RACK (RFC 8985 6.2) would have marked it lost a reordering window (RTT/4) after a later
            // segment arrived, sooner than this. Resent by fast recovery rather than probed.
            startSackRecovery();
            return;
        }
        int len = (int) Math.min(sndMss, flight());
        int seq = sndMax - len;
        if (retransmitAt(seq, len)) {
            stats.count(Counter.TAIL_LOSS_PROBES);
            tlp.sent(seq, sndMax, ts.value(clock.getAsLong()));
        }
    }

    /** Whether the tail loss probe's segment is SACKed while SND.UNA is not: the bytes below it were lost. */
    private boolean probeSackedAboveHole() {
        return tlp.outstanding() && gt(tlp.seq(), sndUna) && board.skipSacked(tlp.seq()) != tlp.seq()
                && board.skipSacked(sndUna) == sndUna;
    }

    /** A D-SACK block {@code [s, e)} (RFC 2883): the peer received these bytes twice. */
    private void duplicateReported(int s, int e) {
        stats.count(Counter.DSACKS_RECEIVED);
        spurious.duplicated(s, e);
        tlp.duplicated(s, e);
    }

    /**
     * The last retransmission timeout was spurious: the Eifel response (RFC 4015 3.2). The congestion
     * control's reduction is undone ({@link CongestionControl#undoTimeout}) and SND.NXT goes back to SND.MAX,
     * so that new data follows instead of a go-back-N of what the peer holds; the RTO's backoff ends.
     */
    private void undoTimeout(SpuriousTimeout.Verdict verdict, long acked) {
        stats.count(verdict == SpuriousTimeout.Verdict.SPURIOUS_BY_TIMESTAMP
                ? Counter.SPURIOUS_TIMEOUTS_BY_TIMESTAMP : Counter.SPURIOUS_TIMEOUTS_BY_DSACK);
        cc.undoTimeout(flight(), acked);
        rtt.restart();
        if (lt(sndNxt, sndMax)) {
            long skip = Math.min(Integer.toUnsignedLong(sndMax - sndNxt), out.unsentBytes());
            out.sent(skip);
            sndNxt += (int) skip;
            if (finSeqValid && sndNxt == finSeq && sndMax == finSeq + 1) {
                sndNxt = sndMax; // the FIN was sent too
            }
        }
    }

    private void onRetransmitTimeout() {
        if (state == TcpState.SYN_SENT || state == TcpState.SYN_RECEIVED) {
            if (++consecutiveRetransmits > config.synRetries()) {
                stats.count(Counter.ATTEMPT_FAILS);
                if (state == TcpState.SYN_RECEIVED) {
                    sendControl(sndNxt, 0, RST, 0, -1, -1);
                }
                close(CloseReason.TIMED_OUT);
                return;
            }
            stats.count(Counter.TIMEOUTS);
            retransmits++;
            rtt.backoff();
            timing = false;
            sendSyn();
            return;
        }
        if (sndUna == sndMax || state == TcpState.CLOSED || state == TcpState.TIME_WAIT) {
            return;
        }
        if (probeArmed) {
            probeArmed = false;
            sendTailLossProbe();
            armRto(); // RFC 8985 7.3: after the probe, the RTO
            return;
        }
        tlp.clear();
        if (sndWnd == 0) {
            // The peer closed its window on data in flight (and dropped it): nothing may be sent again
            // until it reopens; the persist timer probes meanwhile, without giving up the connection.
            sndNxt = sndUna;
            out.rewindToAcknowledged();
            timing = false;
            output();
            return;
        }
        if (++consecutiveRetransmits > config.maxRetransmits()) {
            sendControl(sndNxt, 0, RST, 0, -1, -1);
            stats.count(Counter.RESETS_SENT);
            close(CloseReason.TIMED_OUT);
            return;
        }
        stats.count(Counter.TIMEOUTS);
        // What the retransmission will carry, kept to tell later whether this timeout was spurious.
        spurious.timeout(sndUna, sndMax, ts.on(), ts.value(clock.getAsLong()));
        cc.onTimeout(flight(), sndMax);
        rtt.backoff();
        timing = false;
        // Go back to SND.UNA (RFC 6298 5.4, RFC 5681 3.1: a loss window of one segment). The SACK
        // scoreboard is forgotten (RFC 2018 8: the receiver may have reneged; and the ACK that covered a
        // range may have been the one lost): the first segment always goes again, and the peer's next
        // ACKs rebuild what it holds.
        if (board != null) {
            board.clear();
        }
        sndNxt = sndUna;
        out.rewindToAcknowledged();
        output();
        if (!retransmitTimer.isArmed() && sndUna != sndMax) {
            armRto();
        }
    }

    private void onPersistTimeout() {
        if (!state.sendsData() || sndWnd != 0 || out.unsentBytes() == 0) {
            return;
        }
        // A probe that carries no new byte but an old sequence number, which the peer answers with an
        // ACK showing its current window (as Linux's tcp_xmit_probe_skb); backed off like the RTO.
        if (windowStalled()) {
            return;
        }
        stats.count(Counter.ZERO_WINDOW_PROBES);
        sendControl(sndUna - 1, rcvNxt, ACK, advertise(), -1, -1);
        persistBackoff = Math.min(persistBackoff + 1, 10);
        persistTimer.arm(Math.min(RttEstimator.MAX_RTO, rtt.rto() << persistBackoff));
    }

    /**
     * Whether the peer has kept its window shut on our data past the limit ({@link WindowStallGuard}); if
     * so the connection is aborted (RST) and counted.
     */
    private boolean windowStalled() {
        boolean waiting = state.sendsData() && (out.unsentBytes() > 0 || sndMax != sndUna);
        if (!waiting || sndWnd >= sndMss) {
            stall.clear(); // the common case, without reading the clock
            return false;
        }
        if (!stall.check(clock.getAsLong(), true, sndWnd, sndUna, sndMss)) {
            return false;
        }
        stats.count(Counter.WINDOW_STALL_ABORTS);
        sendControl(sndMax, 0, RST, 0, -1, -1);
        stats.count(Counter.RESETS_SENT);
        close(CloseReason.TIMED_OUT);
        return true;
    }

    /**
     * A challenge ACK (RFC 5961 3.2, 4.2, 5.2): the current ACK, which a peer that is in sync answers by
     * itself (with an exact RST, or nothing); within the worker's rate limit (RFC 5961 7).
     */
    private void challengeAck() {
        if (challengeAcks().tryAcquire()) {
            stats.count(Counter.CHALLENGE_ACKS);
            sendAck();
        } else {
            stats.count(Counter.CHALLENGE_ACKS_SUPPRESSED);
        }
    }

    private ChallengeAckLimiter challengeAcks() {
        if (owner != null) {
            return owner.challengeAcks();
        }
        if (ownChallengeAcks == null) {
            ownChallengeAcks = new ChallengeAckLimiter(config.limits().challengeAcksPerSecond(), clock);
        }
        return ownChallengeAcks;
    }

    private void onKeepaliveTimeout() {
        if (keepaliveIdleNanos <= 0 || !state.synchronizedState() || state == TcpState.TIME_WAIT) {
            return;
        }
        long idle = clock.getAsLong() - lastReceiveNanos;
        if (keepaliveSent == 0 && idle < keepaliveIdleNanos) {
            keepaliveTimer.arm(keepaliveIdleNanos - idle);
            return;
        }
        if (keepaliveSent >= keepaliveProbes) {
            sendControl(sndNxt, 0, RST, 0, -1, -1);
            stats.count(Counter.RESETS_SENT);
            close(CloseReason.TIMED_OUT);
            return;
        }
        keepaliveSent++;
        stats.count(Counter.KEEPALIVE_PROBES);
        sendControl(sndUna - 1, rcvNxt, ACK, advertise(), -1, -1); // RFC 1122 4.2.3.6: SEG.SEQ = SND.NXT-1
        keepaliveTimer.arm(keepaliveIntervalNanos);
    }

    private void onDelayedAckTimeout() {
        if (segmentsUnacked > 0 && state != TcpState.CLOSED) {
            stats.count(Counter.DELAYED_ACKS);
            sendAck();
        }
    }

    private void onTimeWaitTimeout() {
        if (state == TcpState.TIME_WAIT || (state == TcpState.FIN_WAIT_2 && orphaned)) {
            close(CloseReason.NORMAL);
        }
    }

    private TcpState enterTimeWait() {
        retransmitTimer.cancel();
        persistTimer.cancel();
        keepaliveTimer.cancel();
        timeWaitTimer.arm(config.timeWaitNanos());
        return TcpState.TIME_WAIT;
    }

    /**
     * Hands the TCB to the connection made when its handshake completed (a listener made it before any
     * connection existed): events and outbound chain from now on. Only before data was queued.
     */
    public void rebind(TcbEvents events, OutboundChain out) {
        if (this.out.pendingBytes() != 0) {
            throw new IllegalStateException("rebind with " + this.out.pendingBytes() + " bytes queued");
        }
        this.events = events;
        this.out = out;
    }

    /** A TIME_WAIT TCB gives way to a new incarnation of its flow: closed without a segment. */
    void closeQuietly() {
        close(CloseReason.NORMAL);
    }

    /** An ICMP destination unreachable for a connection still opening (RFC 1122 4.2.3.9). */
    void unreachable() {
        if (state == TcpState.SYN_SENT) {
            stats.count(Counter.ATTEMPT_FAILS);
            close(CloseReason.UNREACHABLE);
        }
    }

    private void close(CloseReason reason) {
        if (state == TcpState.CLOSED) {
            return;
        }
        state = TcpState.CLOSED;
        if (ooo != null) {
            ooo.clear();
        }
        if (owner != null) {
            owner.forget(this);
        }
        retransmitTimer.cancel();
        delayedAckTimer.cancel();
        persistTimer.cancel();
        keepaliveTimer.cancel();
        timeWaitTimer.cancel();
        events.onClosed(this, reason);
    }

    // ---------------------------------------------------------------- segments out

    /** An ACK now, with the current window. */
    public void sendAck() {
        sendControl(ackSeq(), rcvNxt, ACK, advertise(), -1, -1);
    }

    /**
     * The sequence number of an ACK without data: SND.MAX, the highest we sent, while it lies in the
     * peer's window (else the window's end), as Linux's {@code tcp_acceptable_seq}; not SND.NXT, which a
     * timeout's go-back-N moved back. The peer may have received everything up to SND.MAX, and it drops a
     * segment below its RCV.NXT as unacceptable, ACK field and all (RFC 9293 3.10.7.4 first): if both
     * sides had rewound, each would drop the other's ACKs and retransmissions for good.
     */
    private int ackSeq() {
        int windowEnd = sndUna + (int) Math.min(sndWnd, Integer.MAX_VALUE);
        return le(sndMax, windowEnd) ? sndMax : windowEnd;
    }

    /** RST for an unacceptable ACK (RFC 9293 3.10.7.3 and .4: {@code <SEQ=SEG.ACK><CTL=RST>}). */
    private void sendReset(int seq) {
        stats.count(Counter.RESETS_SENT);
        sendControl(seq, 0, RST, 0, -1, -1);
    }

    private void sendControl(int seq, int ack, int flags, int window, int mss, int shift) {
        // Timestamps on every segment but a RST once agreed (RFC 7323 3.2); SACK blocks on an ACK while
        // data waits beyond a hole (RFC 2018 4).
        sendSegment(seq, ack, flags, window, mss, shift, false, ts.on() && (flags & RST) == 0);
    }

    private void sendSegment(int seq, int ack, int flags, int window, int mss, int shift, boolean sackPermitted,
                             boolean timestamps) {
        int blocks = 0;
        if (sackOk && (flags & (ACK | SYN | RST)) == ACK) {
            int max = timestamps ? 3 : TcpSegment.MAX_SACK_BLOCKS;
            if (dsackPending) {
                dsackPending = false;
                blocks = sackOut.fillWithDuplicate(dsackStart, dsackEnd, ooo, lastOutOfOrderSeq, max, rcvNxt);
            } else if (ooo != null && !ooo.isEmpty()) {
                blocks = sackOut.fill(ooo, lastOutOfOrderSeq, max, rcvNxt);
            }
        }
        int hl = TcpSegment.HEADER + TcpSegment.optionsLength(mss >= 0, sackPermitted, timestamps, shift, blocks);
        long at = output.allocate(remoteIp, hl);
        if (at < 0) {
            stats.count(Counter.NO_BUFFER);
            return;
        }
        MemorySegment room = output.segment();
        long now = clock.getAsLong();
        TcpSegment.write(room, at, localPort, remotePort, seq, ack, flags, window, mss, shift, sackPermitted, timestamps,
                ts.value(now), (flags & ACK) != 0 ? ts.echo() : 0,
                sackOut == null ? null : sackOut.starts, sackOut == null ? null : sackOut.ends, blocks);
        if ((flags & ACK) != 0) {
            ts.ackSent(ack);
        }
        finishSegment(room, at, hl, (flags & ACK) != 0);
    }

    /** A data segment of {@code len} bytes from the outbound chain's sent cursor (which sits at {@code seq}). */
    private boolean sendData(int seq, int len, int flags) {
        boolean stamp = ts.on();
        long at = output.allocate(remoteIp, TcpSegment.HEADER + TcpSegment.optionsLength(false, false, stamp, -1, 0) + len);
        if (at < 0) {
            stats.count(Counter.NO_BUFFER);
            return false;
        }
        MemorySegment room = output.segment();
        int hl = TcpSegment.write(room, at, localPort, remotePort, seq, rcvNxt, flags, advertise(), -1, -1, false, stamp,
                ts.value(clock.getAsLong()), ts.echo(), null, null, 0);
        ts.ackSent(rcvNxt);
        if (len > 0) {
            copier.start(room, at + hl, len);
            out.gather(copier, Integer.MAX_VALUE);
            copier.room = null;
        }
        finishSegment(room, at, hl + len, true);
        return true;
    }

    private void finishSegment(MemorySegment room, long at, int length, boolean carriesAck) {
        TcpSegment.checksum(room, at, length, localIp, remoteIp);
        output.transmit();
        stats.count(Counter.SEGMENTS_OUT);
        lastSendNanos = clock.getAsLong();
        if (carriesAck) {
            segmentsUnacked = 0;
            delayedAckTimer.cancel();
        }
    }

    /** The window field to send (scaled), moving {@link #rcvAdv}; never shrinks the offered window. */
    private int advertise() {
        long window = advertisableWindow();
        long current = advertisedWindow();
        if (window < current || window - current < swsThreshold()) {
            // Never shrink (RFC 9293 3.8.6.2.2); and receiver SWS avoidance (RFC 1122 4.2.3.3): keep the
            // right edge until it can move by a full segment or half the buffer.
            window = current;
        }
        // Round up so the edge stays where it was when the scaled field cannot say it exactly.
        int field = (int) Math.min((window + (1L << rcvShift) - 1) >> rcvShift, 0xFFFF);
        rcvAdv = rcvNxt + (field << rcvShift);
        return field;
    }

    private long advertisableWindow() {
        return Math.max(0, receiveBuffer - rcvQueued);
    }

    /** What the last advertisement still offers beyond RCV.NXT. */
    private long advertisedWindow() {
        return Math.max(0, rcvAdv - rcvNxt);
    }

    private long receiveSpace() {
        return advertisableWindow();
    }

    private long flight() {
        return Integer.toUnsignedLong(sndMax - sndUna);
    }

    private boolean finInFlight() {
        return finSeqValid && gt(sndNxt, finSeq);
    }

    private boolean finInFlightAt(int nxt) {
        return finSeqValid && gt(nxt, finSeq);
    }

    private boolean finAcked() {
        return finSeqValid && gt(sndUna, finSeq);
    }

    private void requireState(TcpState expected, String what) {
        if (state != expected) {
            throw new IllegalStateException(what + " in state " + state + ", needs " + expected);
        }
    }

    /** Copies gathered pieces into a packet, up to the segment's length (the chain may hold more). */
    private static final class PayloadCopier implements SegmentSink {
        MemorySegment room;
        long at;
        int remaining;

        void start(MemorySegment room, long at, int length) {
            this.room = room;
            this.at = at;
            this.remaining = length;
        }

        @Override
        public void piece(int index, PooledBuffer buffer, MemorySegment segment, long offset, int length) {
            int n = Math.min(length, remaining);
            if (n <= 0) {
                return;
            }
            MemorySegment.copy(segment, offset, room, at, n);
            at += n;
            remaining -= n;
        }
    }

    // ---------------------------------------------------------------- inspection

    public TcpState state() { return state; }
    public int localIp() { return localIp; }
    public int localPort() { return localPort; }
    public int remoteIp() { return remoteIp; }
    public int remotePort() { return remotePort; }
    public int iss() { return iss; }
    public int sndUna() { return sndUna; }
    public int sndNxt() { return sndNxt; }
    public long sndWnd() { return sndWnd; }
    public int sndMss() { return sndMss; }
    public int rcvNxt() { return rcvNxt; }
    public long rcvQueued() { return rcvQueued; }
    public long cwnd() { return cc.cwnd(); }
    public long ssthresh() { return cc.ssthresh(); }
    public long rtoNanos() { return rtt.rto(); }
    public long srttNanos() { return rtt.srtt(); }
    public long retransmits() { return retransmits; }
    public boolean peerFinReceived() { return peerFin; }
    public boolean noDelay() { return noDelay; }
    public int sendWindowShift() { return sndShift; }
    public int receiveWindowShift() { return rcvShift; }
    /** Whether both ends agreed to SACK. */
    public boolean sackEnabled() { return sackOk; }
    /** Whether both ends agreed to timestamps. */
    public boolean timestampsEnabled() { return ts.on(); }
    public Object attachment() { return attachment; }
    public void attach(Object o) { attachment = o; }

    /**
     * Lowers the send MSS (path MTU discovery, RFC 1191: an ICMP "fragmentation needed" with a next-hop
     * MTU). Takes effect from the next segment.
     */
    public void lowerMss(int mss) {
        if (ts.on()) {
            mss -= 12; // the timestamps option's room, as at the handshake
        }
        if (mss >= 64 && mss < sndMss) {
            sndMss = mss;
            cc.setMss(mss);
        }
    }

    /** One line as {@code ss -ti} shows a socket: state, windows, RTT, retransmits, queued bytes. */
    public String describe() {
        return state + " " + ipString(localIp) + ":" + localPort + " " + ipString(remoteIp) + ":" + remotePort
                + " mss:" + sndMss + " wscale:" + sndShift + "," + rcvShift + (sackOk ? " sack" : "") + (ts.on() ? " ts" : "")
                + " rto:" + rtt.rto() / 1_000_000 + "ms rtt:" + rtt.srtt() / 1000 + "us/" + rtt.rttvar() / 1000 + "us"
                + " cwnd:" + cc.cwnd() + " ssthresh:" + (cc.ssthresh() == Long.MAX_VALUE ? "inf" : cc.ssthresh())
                + " snd_wnd:" + sndWnd + " rcv_wnd:" + advertisedWindow()
                + " unacked:" + out.unacknowledgedBytes() + " unsent:" + out.unsentBytes()
                + " rcv_queued:" + rcvQueued + " retrans:" + consecutiveRetransmits + "/" + retransmits;
    }

    private static String ipString(int ip) {
        return (ip >>> 24) + "." + ((ip >>> 16) & 0xFF) + "." + ((ip >>> 8) & 0xFF) + "." + (ip & 0xFF);
    }

    @Override
    public String toString() {
        return "Tcb[" + describe() + "]";
    }
}
