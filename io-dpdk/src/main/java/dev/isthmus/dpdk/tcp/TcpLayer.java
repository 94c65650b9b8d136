package dev.isthmus.dpdk.tcp;

import dev.isthmus.dpdk.tcp.TcpStats.Counter;
import dev.isthmus.stack.buffer.OutboundChain;
import dev.isthmus.stack.spi.TimerWheel;

import java.lang.foreign.MemorySegment;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

import static dev.isthmus.dpdk.tcp.TcpFlags.ACK;
import static dev.isthmus.dpdk.tcp.TcpFlags.RST;
import static dev.isthmus.dpdk.tcp.TcpFlags.SYN;

/**
 * One worker's TCP (Seastar's {@code tcp<InetTraits>} for one shard): segments demultiplexed to their
 * {@link Tcb} by remote address, remote port and local port, SYNs to listeners by port, and everything
 * else answered as RFC 9293 3.10.7.1 says a CLOSED port answers: with RST. Owns the worker's ISN
 * generator, counters and the {@link TcpOutput} its TCBs share. Worker thread only.
 */
public final class TcpLayer {
    private final int localIp;
    private final TcpConfig config;
    private final TcpOutput output;
    private final TimerWheel wheel;
    private final LongSupplier clock;
    private final IsnGenerator isn;
    private final TcpStats stats = new TcpStats();
    private final FlowTable flows = new FlowTable(64);
    private final TcpListener[] listeners = new TcpListener[65536];
    private final TcpSegment seg = new TcpSegment();
    private boolean verifyChecksums = true;
    private final ChallengeAckLimiter challengeAcks;
    private final ReassemblyRings reassemblyRings;
    private final SynCookies cookies;
    /** When the last cookie went out: ACKs are checked as cookies only for a cookie's lifetime after. */
    private long lastCookieNanos;
    private boolean cookiesSent;

    public TcpLayer(int localIp, TcpConfig config, TcpOutput output, TimerWheel wheel, LongSupplier clock,
                    IsnGenerator isn) {
        this.localIp = localIp;
        this.config = config;
        this.output = output;
        this.wheel = wheel;
        this.clock = clock;
        this.isn = isn;
        this.challengeAcks = new ChallengeAckLimiter(config.limits().challengeAcksPerSecond(), clock);
        this.reassemblyRings = new ReassemblyRings(ReassemblyRings.ringSizeFor(config.receiveBuffer()),
                config.limits().reassemblyMaxBytes());
        this.cookies = new SynCookies(new java.security.SecureRandom(), clock);
    }

    /** A TCB of this layer's worker for the given flow; the caller {@link #connect}s or the layer accepts it. */
    public Tcb newTcb(int localPort, int remoteIp, int remotePort, int iss, TcbEvents events, OutboundChain out) {
        Tcb t = new Tcb(localIp, localPort, remoteIp, remotePort, iss, config, output, events, out, wheel, clock, stats);
        t.owner = this;
        return t;
    }

    /** Listens on {@code port}; fails if something listens there already. */
    public void listen(int port, TcpListener listener) {
        checkPort(port);
        if (listeners[port] != null) {
            throw new IllegalStateException("port " + port + " already has a listener on this worker");
        }
        listeners[port] = listener;
    }

    /** Stops listening on {@code port}; the connections it accepted go on. */
    public void unlisten(int port, TcpListener listener) {
        checkPort(port);
        if (listeners[port] == listener) {
            listeners[port] = null;
        }
    }

    /** Whether a flow from {@code localPort} to the remote end exists here (a port connect must not pick). */
    public boolean inUse(int localPort, int remoteIp, int remotePort) {
        return flows.get(FlowTable.key(remoteIp, remotePort, localPort)) != null;
    }

    /** The ISN for a new flow (RFC 6528). */
    public int isn(int localPort, int remoteIp, int remotePort) {
        return isn.next(localIp, localPort, remoteIp, remotePort);
    }

    /** Registers {@code tcb} (made by {@link #newTcb}) and sends its SYN. */
    public void connect(Tcb tcb) {
        register(tcb);
        tcb.connect();
    }

    /** Software checksums are verified unless the NIC did it (off only when the rx offload says good). */
    public void verifyChecksums(boolean on) {
        verifyChecksums = on;
    }

    /**
     * A TCP segment of {@code length} bytes at {@code off} of {@code packet} (the IPv4 payload) from
     * {@code srcIp} to {@code dstIp} (ours).
     */
    public void input(MemorySegment packet, long off, int length, int srcIp, int dstIp) {
        TcpSegment.Error e = seg.parse(packet, off, length, srcIp, dstIp, verifyChecksums);
        if (e != TcpSegment.Error.NONE) {
            stats.count(e == TcpSegment.Error.BAD_CHECKSUM ? Counter.BAD_CHECKSUMS : Counter.BAD_SEGMENTS);
            return;
        }
        int localPort = seg.destinationPort();
        Tcb tcb = flows.get(FlowTable.key(srcIp, seg.sourcePort(), localPort));
        if (tcb != null) {
            if (tcb.state() == TcpState.TIME_WAIT && seg.has(SYN) && !seg.has(ACK) && !seg.has(RST)
                    && SequenceNumbers.gt(seg.seq(), tcb.rcvNxt()) && listeners[localPort] != null) {
                // A new incarnation of a flow in TIME_WAIT whose SYN is above the old sequence numbers:
                // the old TCB goes and the SYN opens a new connection (RFC 9293 3.10.7.4 note, as BSD
                // and Linux's tcp_timewait_state_process allow).
                tcb.closeQuietly();
            } else {
                tcb.input(seg, packet);
                return;
            }
        }
        TcpListener l = listeners[localPort];
        if (l != null && seg.has(SYN) && !seg.has(ACK) && !seg.has(RST)) {
            stats.count(Counter.SEGMENTS_IN);
            if (!l.admits()) {
                stats.count(Counter.LISTEN_OVERFLOWS);
                if (config.limits().synCookies()) {
                    sendCookie(srcIp, localPort);
                } else {
                    stats.count(Counter.LISTEN_DROPS);
                }
                return;
            }
            int remotePort = seg.sourcePort();
            Tcb t = l.newTcb(this, localPort, srcIp, remotePort, isn.next(localIp, localPort, srcIp, remotePort));
            register(t);
            t.acceptSyn(seg);
            return;
        }
        stats.count(Counter.SEGMENTS_IN);
        if (l != null && seg.has(ACK) && !seg.has(SYN) && !seg.has(RST) && cookiesRecent()) {
            if (acceptCookie(l, packet, srcIp, localPort)) {
                return;
            }
        }
        // No flow here is no flow anywhere: the caller hands each segment to the layer owning its 4-tuple
        // (with several workers, the dpdk worker steers it to the RSS owner first).
        reset(srcIp);
    }

    /**
     * The half-open queue is full: a SYN-ACK whose ISN is a SYN cookie, and nothing kept (RFC 4987 3.6).
     * Its window is unscaled, as every SYN-ACK's; its options are the MSS and, if the SYN offered one, our
     * window shift.
     */
    private void sendCookie(int to, int localPort) {
        int peerMss = seg.mss() > 0 ? seg.mss() : TcpSegment.DEFAULT_MSS;
        int iss = cookies.make(localIp, localPort, to, seg.sourcePort(), seg.seq(), peerMss, seg.windowShift());
        int shift = seg.windowShift() >= 0 ? config.windowShift() : -1;
        int hl = TcpSegment.HEADER + 4 + (shift >= 0 ? 4 : 0);
        long at = output.allocate(to, hl);
        if (at < 0) {
            stats.count(Counter.NO_BUFFER);
            return;
        }
        MemorySegment room = output.segment();
        TcpSegment.write(room, at, localPort, seg.sourcePort(), iss, seg.seq() + 1, SYN | ACK,
                Math.min(config.receiveBuffer(), 0xFFFF), config.mss(), shift);
        TcpSegment.checksum(room, at, hl, localIp, to);
        output.transmit();
        stats.count(Counter.SYN_COOKIES_SENT);
        stats.count(Counter.SEGMENTS_OUT);
        lastCookieNanos = clock.getAsLong();
        cookiesSent = true;
    }

    private boolean cookiesRecent() {
        return cookiesSent && clock.getAsLong() - lastCookieNanos < 128_000_000_000L;
    }

    /**
     * An ACK for no flow at a listening port while cookies are out: if it returns a valid cookie the
     * connection is made, ESTABLISHED, and the ACK's data and FIN go to it; else it is counted and, as any
     * segment for no connection, answered with RST.
     */
    private boolean acceptCookie(TcpListener l, MemorySegment packet, int srcIp, int localPort) {
        int remotePort = seg.sourcePort();
        if (!cookies.check(localIp, localPort, srcIp, remotePort, seg.seq() - 1, seg.ack() - 1)) {
            stats.count(Counter.SYN_COOKIES_FAILED);
            return false;
        }
        stats.count(Counter.SYN_COOKIES_VALID);
        Tcb t = l.newTcb(this, localPort, srcIp, remotePort, seg.ack() - 1);
        register(t);
        t.acceptCookie(seg, cookies.mss(), cookies.shift());
        if (t.state() != TcpState.CLOSED && (seg.payloadLength() > 0 || seg.has(TcpFlags.FIN))) {
            t.input(seg, packet);
        }
        return true;
    }

    ChallengeAckLimiter challengeAcks() {
        return challengeAcks;
    }

    ReassemblyRings reassemblyRings() {
        return reassemblyRings;
    }

    /** Bytes of out-of-order reassembly memory held by this worker (lent rings and rings kept for reuse). */
    public long reassemblyBytes() {
        return reassemblyRings.bytes();
    }

    private void register(Tcb t) {
        flows.put(FlowTable.key(t.remoteIp(), t.remotePort(), t.localPort()), t);
    }

    /** RFC 9293 3.10.7.1: a segment for no connection gets RST, unless it is one. */
    private void reset(int to) {
        if (seg.has(RST)) {
            return;
        }
        int seq;
        int ack;
        int flags;
        if (seg.has(ACK)) {
            seq = seg.ack(); // <SEQ=SEG.ACK><CTL=RST>
            ack = 0;
            flags = RST;
        } else {
            seq = 0; // <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>
            ack = seg.seq() + seg.segmentLength();
            flags = RST | ACK;
        }
        long at = output.allocate(to, TcpSegment.HEADER);
        if (at < 0) {
            stats.count(Counter.NO_BUFFER);
            return;
        }
        MemorySegment room = output.segment();
        TcpSegment.write(room, at, seg.destinationPort(), seg.sourcePort(), seq, ack, flags, 0, -1, -1);
        TcpSegment.checksum(room, at, TcpSegment.HEADER, localIp, to);
        output.transmit();
        stats.count(Counter.RESETS_SENT);
        stats.count(Counter.SEGMENTS_OUT);
    }

    /**
     * An ICMP error quoting a segment we sent from {@code localPort} to {@code remoteIp}:{@code remotePort}
     * (RFC 1122 4.2.3.9, RFC 5927). "Fragmentation needed" with a next-hop MTU lowers the flow's MSS
     * (RFC 1191); an unreachable aborts a connection still opening and is otherwise only soft (the
     * retransmissions decide).
     */
    public void icmpError(int remoteIp, int remotePort, int localPort, int quotedSeq, boolean fragmentationNeeded,
                          int nextHopMtu) {
        Tcb t = flows.get(FlowTable.key(remoteIp, remotePort, localPort));
        if (t == null) {
            return;
        }
        // RFC 5927 4.1: believe only errors quoting a sequence number in flight.
        if (SequenceNumbers.lt(quotedSeq, t.sndUna()) || SequenceNumbers.gt(quotedSeq, t.sndNxt())) {
            return;
        }
        if (fragmentationNeeded) {
            if (nextHopMtu >= 68) {
                t.lowerMss(Math.min(nextHopMtu, config.mtu()) - 40);
            }
        } else if (t.state() == TcpState.SYN_SENT) {
            t.unreachable();
        }
    }

    void forget(Tcb tcb) {
        flows.remove(FlowTable.key(tcb.remoteIp(), tcb.remotePort(), tcb.localPort()), tcb);
    }

    /** Aborts every connection (RST to each synchronized peer): the stack is closing past its drain time. */
    public void abortAll() {
        flows.forEach(Tcb::abort);
    }

    /** Connections here, TIME_WAIT included. */
    public int connections() {
        return flows.size();
    }

    /** Connections here not in TIME_WAIT: FIN exchanges and retransmissions still running. */
    public int connectionsNotInTimeWait() {
        int[] n = {0};
        flows.forEach(t -> {
            if (t.state() != TcpState.TIME_WAIT) {
                n[0]++;
            }
        });
        return n[0];
    }

    /** Runs {@code action} on every TCB (for a dump as {@code ss -ti} gives). */
    public void forEach(Consumer<Tcb> action) {
        flows.forEach(action);
    }

    public TcpStats stats() {
        return stats;
    }

    public TcpConfig config() {
        return config;
    }

    public int localIp() {
        return localIp;
    }

    private static void checkPort(int port) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be 1..65535, was " + port);
        }
    }
}
