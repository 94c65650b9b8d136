package dev.isthmus.dpdk.net;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One worker's view of an Ethernet interface with one IPv4 address (Seastar's {@code interface} and
 * {@code ipv4} together): frames in through {@link #input}, frames out through a {@link FrameSink}, timers
 * through {@link #tick}. Pure Java over {@link MemorySegment}s, so every path is unit-tested on synthetic
 * frames without EAL; on a worker, the segments are the mbufs' data.
 *
 * <p>What it does, layer by layer (each drop is counted by reason in {@link NetStats}, nothing throws on
 * bad input):
 * <ul>
 *   <li>Ethernet: accepts frames to our MAC or broadcast, EtherType ARP or IPv4.</li>
 *   <li>ARP (RFC 826): answers requests for our address, learns senders with RFC 826's merge rule,
 *       queues packets for a next hop being resolved, asks again each second up to
 *       {@link #ARP_REQUESTS} times, and announces our address once at start (RFC 5227's ARP
 *       announcement, a "gratuitous" request).</li>
 *   <li>IPv4 (RFC 791): checks version, lengths and header checksum, takes what is addressed to us or
 *       broadcast, reassembles fragments ({@link Reassembly}), and fragments on send above the MTU.</li>
 *   <li>ICMP (RFC 792): answers echo requests to our address; answers UDP to a closed port with port
 *       unreachable (not for broadcasts, RFC 1122 section 3.2.2).</li>
 *   <li>UDP (RFC 768): checks length and checksum and hands the payload, a view without a copy, to the
 *       socket bound to the port.</li>
 *   <li>Loopback: a datagram to our own address is not sent but committed for our own input
 *       ({@link FrameSink#commitLocal}), so the stack can talk to itself as a kernel does over lo.</li>
 * </ul>
 * Single-threaded: a worker's thread only.
 */
public final class NetInterface {
    /** ARP requests sent for one address before its queued packets are dropped (Linux: mcast_solicit 3). */
    public static final int ARP_REQUESTS = 3;
    /** Time between ARP requests for one address (Linux: retrans_time_ms 1000). */
    public static final long ARP_RETRY_NANOS = 1_000_000_000L;

    /** ICMP errors sent in a burst at most (Linux: net.ipv4.icmp_msgs_burst). */
    public static final int ICMP_ERROR_BURST = 50;
    /** ICMP errors sent per second in the long run (Linux: net.ipv4.icmp_msgs_per_sec). */
    public static final int ICMP_ERRORS_PER_SECOND = 1000;
    private static final long ICMP_REFILL_NANOS = 1_000_000_000L / ICMP_ERRORS_PER_SECOND;

    /** Receives the UDP datagrams addressed to us. */
    public interface UdpDelivery {
        /**
         * Hands over one datagram; {@code payload} is valid only during the call. Returns false if no socket
         * is bound to {@code dstPort} (the stack then answers with ICMP port unreachable).
         */
        boolean deliver(int src, int srcPort, int dst, int dstPort, MemorySegment payload);
    }

    /**
     * Told when the interface has something to do at a time: an ARP request to repeat, a reassembly to
     * give up. A worker arms one re-armable timer on its wheel for the earliest, whose action is
     * {@link #tick}; unit tests call {@code tick} themselves.
     */
    public interface TimerHook {
        /** {@link #tick} is wanted at {@code deadlineNanos} (System.nanoTime scale) or a little later. */
        void due(long deadlineNanos);
    }

    /** Makes the view of a UDP payload handed to {@link UdpDelivery}: {@code len} bytes at {@code at} of {@code s}. */
    public interface PayloadViews {
        /** A segment of exactly those bytes, valid during the delivery. */
        MemorySegment view(MemorySegment s, long at, int len);
    }

    /** Receives TCP segments (protocol 6) addressed to us, and ICMP errors about segments we sent. */
    public interface TcpInput {
        /** One segment: {@code len} bytes at {@code at} of {@code p}, valid only during the call. */
        void segment(MemorySegment p, long at, int len, int src, int dst);

        /**
         * An ICMP destination unreachable quoting a segment of ours from {@code localPort} to
         * {@code remoteIp}:{@code remotePort} with sequence number {@code seq}; {@code fragmentationNeeded}
         * with the next-hop MTU (RFC 1191), else another unreachable.
         */
        void icmpError(int remoteIp, int remotePort, int localPort, int seq, boolean fragmentationNeeded, int mtu);
    }

    private final NetConfig config;
    private final long mac;
    private TcpInput tcp;
    // The datagram beginDatagram made room for, until commitDatagram.
    private long pendingAt = -1;
    private int pendingLength;
    private int pendingNextHop;
    private boolean pendingResolved;
    private boolean pendingLocal;
    private final FrameSink out;
    private final NetStats stats;
    private final ArpCache arp;
    private final Reassembly reassembly;
    private final UdpDelivery udp;
    private final MemorySegment l4Header = MemorySegment.ofArray(new byte[Udp.HEADER]);
    private final MemorySegment quote = MemorySegment.ofArray(new byte[60 + Icmp.QUOTED_PAYLOAD]);
    private final List<Integer> askAgain = new ArrayList<>();
    private int nextId;
    private int icmpTokens = ICMP_ERROR_BURST;
    private long icmpRefilledAt = Long.MIN_VALUE / 2;
    private int idStep = 1;
    private TimerHook timers = deadline -> { };
    private PayloadViews views = MemorySegment::asSlice;

    /**
     * An interface at {@code mac} with {@code config}, ARP entries valid for {@code arpTimeoutNanos},
     * reassembly bounded by {@code reassemblyTimeoutNanos} and {@code reassemblyMaxBytes}.
     */
    public NetInterface(NetConfig config, long mac, FrameSink out, NetStats stats, UdpDelivery udp,
                        long arpTimeoutNanos, long reassemblyTimeoutNanos, long reassemblyMaxBytes) {
        this.config = Objects.requireNonNull(config, "config");
        if ((mac & Ethernet.GROUP_BIT) != 0 || mac == 0 || (mac >>> 48) != 0) {
            throw new IllegalArgumentException("MAC " + Wire.macToString(mac) + " is not a unicast address");
        }
        this.mac = mac;
        this.out = Objects.requireNonNull(out, "out");
        this.stats = Objects.requireNonNull(stats, "stats");
        this.udp = Objects.requireNonNull(udp, "udp");
        this.arp = new ArpCache(arpTimeoutNanos);
        this.reassembly = new Reassembly(reassemblyTimeoutNanos, reassemblyMaxBytes, stats);
    }

    /**
     * Makes this interface number its datagrams {@code first}, {@code first + step}, ...: workers sharing
     * one address take disjoint sequences, so two of them never send fragments of different datagrams
     * under one identification (RFC 791: the ID must be unique per source, destination and protocol
     * for the time the datagram may live).
     */
    public void ipIdSequence(int first, int step) {
        if (step < 1 || first < 0) {
            throw new IllegalArgumentException("IP ID sequence needs first >= 0 and step >= 1, was " + first + ", " + step);
        }
        nextId = first;
        idStep = step;
    }

    /** Where the interface asks for {@link #tick} (default: nowhere; the caller ticks). */
    public void timerHook(TimerHook hook) {
        this.timers = Objects.requireNonNull(hook, "hook");
    }

    /** How UDP payload views are made (default: a slice per datagram). */
    public void payloadViews(PayloadViews v) {
        this.views = Objects.requireNonNull(v, "v");
    }

    /** Where TCP segments go; without it they are dropped as {@link DropReason#IPV4_UNKNOWN_PROTOCOL}. */
    public void tcp(TcpInput tcp) {
        this.tcp = tcp;
    }

    /** The configuration. */
    public NetConfig config() {
        return config;
    }

    /** Our MAC address. */
    public long mac() {
        return mac;
    }

    /** The ARP cache (for tests and statistics). */
    public ArpCache arp() {
        return arp;
    }

    /** Reassembly in progress (for tests and statistics). */
    public Reassembly reassembly() {
        return reassembly;
    }

    /** RFC 5227 section 2.3: announces our address with a broadcast request whose sender and target are us. */
    public void announce() {
        arpRequest(config.address(), config.address());
    }

    /**
     * A mapping another worker's interface learnt from an ARP packet that reached its rx queue: with
     * several queues, the reply to our request may arrive on any of them. Learns it here too and sends
     * what waited for it.
     */
    public void arpLearned(int ip, long mac, long now) {
        arp.put(ip, mac, now);
        flushPending(ip, mac);
    }

    // ---- input ---------------------------------------------------------------------------------

    /** Handles one received frame; {@code now} is System.nanoTime(). */
    public void input(MemorySegment frame, long now) {
        input(frame, 0, (int) frame.byteSize(), now);
    }

    /**
     * Handles the frame of {@code len} bytes at {@code at} of {@code s}: a worker passes one segment over
     * all memory and the mbuf's data address, so that no view of the frame is made unless a layer needs
     * one (the UDP payload handed to a socket, an ARP packet).
     */
    public void input(MemorySegment s, long at, int len, long now) {
        stats.received(len);
        if (len < Ethernet.HEADER) {
            stats.drop(DropReason.ETH_TRUNCATED);
            return;
        }
        long dst = Wire.mac(s, at + Ethernet.DST);
        if (dst != mac && dst != Ethernet.BROADCAST) {
            stats.drop(DropReason.ETH_NOT_FOR_US);
            return;
        }
        int type = Wire.u16(s, at + Ethernet.TYPE);
        if (type == Ethernet.TYPE_IPV4) {
            ipInput(s, at + Ethernet.HEADER, len - Ethernet.HEADER, now);
        } else if (type == Ethernet.TYPE_ARP) {
            arpInput(s.asSlice(at + Ethernet.HEADER, len - Ethernet.HEADER), now);
        } else {
            stats.drop(DropReason.ETH_UNKNOWN_TYPE);
        }
    }

    private void arpInput(MemorySegment p, long now) {
        if (!Arp.valid(p)) {
            stats.drop(DropReason.ARP_MALFORMED);
            return;
        }
        long sha = Wire.mac(p, Arp.SHA);
        int spa = Wire.u32(p, Arp.SPA);
        int tpa = Wire.u32(p, Arp.TPA);
        boolean learnable = spa != 0 && (sha & Ethernet.GROUP_BIT) == 0 && spa != config.address();
        // RFC 826, "packet reception": update an entry we have (merge), add one only if we are the target.
        boolean merged = false;
        if (learnable && arp.contains(spa)) {
            arp.put(spa, sha, now);
            merged = true;
        }
        if (tpa == config.address()) {
            if (learnable && !merged) {
                arp.put(spa, sha, now);
                merged = true;
            }
            if (Wire.u16(p, Arp.OPER) == Arp.REQUEST) {
                long f = out.allocate(Ethernet.HEADER + Arp.LENGTH);
                if (f < 0) {
                    stats.drop(DropReason.TX_NO_BUFFER);
                } else {
                    Arp.write(out.segment(), f, sha, Arp.REPLY, mac, config.address(), sha, spa);
                    out.commit();
                    stats.arpReplySent();
                }
            }
        } else if (!merged) {
            stats.drop(DropReason.ARP_NOT_FOR_US);
        }
        if (merged) {
            flushPending(spa, sha);
        }
    }

    /*
     * The IPv4, ICMP and UDP input paths read the frame at offsets instead of slicing it per layer: a
     * slice is an object, and only the payload handed to a UDP socket needs one.
     */

    private void ipInput(MemorySegment f, long at, int len, long now) {
        if (len < Ipv4.HEADER) {
            stats.drop(DropReason.IPV4_TRUNCATED);
            return;
        }
        int vihl = Wire.u8(f, at + Ipv4.VERSION_IHL);
        int ihl = (vihl & 0xF) * 4;
        if ((vihl >>> 4) != 4 || ihl < Ipv4.HEADER) {
            stats.drop(DropReason.IPV4_BAD_HEADER);
            return;
        }
        if (ihl > len) {
            stats.drop(DropReason.IPV4_TRUNCATED);
            return;
        }
        int total = Wire.u16(f, at + Ipv4.TOTAL_LENGTH);
        if (total < ihl || total > len) { // bytes past total are Ethernet padding
            stats.drop(DropReason.IPV4_BAD_LENGTH);
            return;
        }
        if (Checksums.of(f, at, ihl) != 0) {
            stats.drop(DropReason.IPV4_BAD_CHECKSUM);
            return;
        }
        int src = Wire.u32(f, at + Ipv4.SRC);
        int dst = Wire.u32(f, at + Ipv4.DST);
        if (dst != config.address() && dst != Ipv4.BROADCAST && dst != config.broadcast()) {
            stats.drop(DropReason.IPV4_NOT_FOR_US);
            return;
        }
        int protocol = Wire.u8(f, at + Ipv4.PROTOCOL);
        int ff = Wire.u16(f, at + Ipv4.FLAGS_FRAGMENT);
        if ((ff & (Ipv4.MF | Ipv4.OFFSET_MASK)) != 0) {
            int before = reassembly.inProgress();
            Reassembly.Complete c = reassembly.add(src, dst, protocol, Wire.u16(f, at + Ipv4.ID), f.asSlice(at, ihl),
                    (ff & Ipv4.OFFSET_MASK) * 8, (ff & Ipv4.MF) != 0, f.asSlice(at + ihl, total - ihl), now);
            if (reassembly.inProgress() > before) {
                timers.due(reassembly.nextExpiry()); // a new datagram: its timeout, or an earlier one's
            }
            if (c != null) {
                transportInput(protocol, c.header(), 0, (int) c.header().byteSize(), c.payload(), 0,
                        (int) c.payload().byteSize(), src, dst, now);
            }
            return;
        }
        transportInput(protocol, f, at, ihl, f, at + ihl, total - ihl, src, dst, now);
    }

    /** The IP payload at {@code at} of {@code p} ({@code len} bytes), its header at {@code hAt} of {@code h}. */
    private void transportInput(int protocol, MemorySegment h, long hAt, int ihl, MemorySegment p, long at, int len,
                                int src, int dst, long now) {
        switch (protocol) {
            case Ipv4.PROTO_UDP -> udpInput(h, hAt, ihl, p, at, len, src, dst, now);
            case Ipv4.PROTO_ICMP -> icmpInput(p, at, len, src, dst, now);
            case Ipv4.PROTO_TCP -> {
                // TCP only to our own address (a broadcast opens no connection, RFC 1122 4.2.3.10).
                if (tcp != null && dst == config.address()) {
                    tcp.segment(p, at, len, src, dst);
                } else {
                    stats.drop(DropReason.IPV4_UNKNOWN_PROTOCOL);
                }
            }
            default -> stats.drop(DropReason.IPV4_UNKNOWN_PROTOCOL);
        }
    }

    private void icmpInput(MemorySegment p, long at, int len, int src, int dst, long now) {
        if (len < Icmp.HEADER) {
            stats.drop(DropReason.ICMP_TRUNCATED);
            return;
        }
        if (Checksums.of(p, at, len) != 0) {
            stats.drop(DropReason.ICMP_BAD_CHECKSUM);
            return;
        }
        if (Wire.u8(p, at + Icmp.TYPE) == Icmp.DEST_UNREACHABLE && tcp != null && tcpError(p, at, len)) {
            return;
        }
        // Echo to a broadcast address goes unanswered, as Linux's icmp_echo_ignore_broadcasts=1 does.
        if (Wire.u8(p, at + Icmp.TYPE) != Icmp.ECHO_REQUEST || Wire.u8(p, at + Icmp.CODE) != 0
                || dst != config.address()) {
            stats.drop(DropReason.ICMP_IGNORED);
            return;
        }
        // RFC 792: the reply carries the request's identifier, sequence number and data.
        Wire.set8(l4Header, Icmp.TYPE, Icmp.ECHO_REPLY);
        Wire.set8(l4Header, Icmp.CODE, 0);
        Wire.set16(l4Header, Icmp.CHECKSUM, 0);
        Wire.set32(l4Header, Icmp.REST, Wire.u32(p, at + Icmp.REST));
        MemorySegment data = p.asSlice(at + Icmp.HEADER, len - Icmp.HEADER);
        Wire.set16(l4Header, Icmp.CHECKSUM, Checksums.finish(
                Checksums.add(Checksums.add(0, l4Header, 0, Icmp.HEADER), data, 0, (int) data.byteSize())));
        sendIp(src, Ipv4.PROTO_ICMP, l4Header, data, now);
    }

    /**
     * A destination unreachable quoting a TCP segment we sent (RFC 792: the original IP header and at
     * least 8 bytes of its payload, enough for the ports and the sequence number): to the TCP layer.
     */
    private boolean tcpError(MemorySegment p, long at, int len) {
        long q = at + Icmp.HEADER;
        if (len < Icmp.HEADER + Ipv4.HEADER + 8) {
            return false;
        }
        int ihl = (Wire.u8(p, q) & 0x0F) * 4;
        if (ihl < Ipv4.HEADER || len < Icmp.HEADER + ihl + 8 || Wire.u8(p, q + Ipv4.PROTOCOL) != Ipv4.PROTO_TCP
                || Wire.u32(p, q + Ipv4.SRC) != config.address()) {
            return false;
        }
        long t = q + ihl;
        int code = Wire.u8(p, at + Icmp.CODE);
        tcp.icmpError(Wire.u32(p, q + Ipv4.DST), Wire.u16(p, t + 2), Wire.u16(p, t), Wire.u32(p, t + 4),
                code == Icmp.CODE_FRAGMENTATION_NEEDED, Wire.u16(p, at + 6));
        return true;
    }

    private void udpInput(MemorySegment h, long hAt, int ihl, MemorySegment p, long at, int len, int src, int dst,
                          long now) {
        if (len < Udp.HEADER) {
            stats.drop(DropReason.UDP_TRUNCATED);
            return;
        }
        int ulen = Wire.u16(p, at + Udp.LENGTH);
        if (ulen < Udp.HEADER || ulen > len) {
            stats.drop(DropReason.UDP_BAD_LENGTH);
            return;
        }
        if (!Udp.checksumOk(p, at, ulen, src, dst)) {
            stats.drop(DropReason.UDP_BAD_CHECKSUM);
            return;
        }
        int srcPort = Wire.u16(p, at + Udp.SRC_PORT);
        int dstPort = Wire.u16(p, at + Udp.DST_PORT);
        if (udp.deliver(src, srcPort, dst, dstPort, views.view(p, at + Udp.HEADER, ulen - Udp.HEADER))) {
            return;
        }
        stats.drop(DropReason.UDP_NO_PORT);
        if (dst == config.address() && icmpErrorAllowed(now)) {
            portUnreachable(h, hAt, ihl, p, at, len, src, now);
        }
    }

    /**
     * RFC 1812 section 4.3.2.8 asks that ICMP errors be rate-limited, so that a flood to closed ports does
     * not become a flood of errors: a token bucket of {@link #ICMP_ERROR_BURST} errors refilled at
     * {@link #ICMP_ERRORS_PER_SECOND}, Linux's icmp_msgs_burst and icmp_msgs_per_sec.
     */
    private boolean icmpErrorAllowed(long now) {
        long elapsed = now - icmpRefilledAt;
        if (elapsed >= ICMP_REFILL_NANOS) {
            long tokens = Math.min(ICMP_ERROR_BURST, icmpTokens + elapsed / ICMP_REFILL_NANOS);
            icmpRefilledAt = tokens == ICMP_ERROR_BURST ? now : icmpRefilledAt + (tokens - icmpTokens) * ICMP_REFILL_NANOS;
            icmpTokens = (int) tokens;
        }
        if (icmpTokens == 0) {
            stats.drop(DropReason.ICMP_RATE_LIMITED);
            return false;
        }
        icmpTokens--;
        return true;
    }

    /** RFC 792 destination unreachable, code 3: quotes the datagram's IP header and its first 8 bytes. */
    private void portUnreachable(MemorySegment ipHeader, long hAt, int h, MemorySegment payload, long at, int len,
                                 int to, long now) {
        int q = Math.min(Icmp.QUOTED_PAYLOAD, len);
        MemorySegment.copy(ipHeader, hAt, quote, 0, h);
        MemorySegment.copy(payload, at, quote, h, q);
        MemorySegment body = quote.asSlice(0, h + q);
        Wire.set8(l4Header, Icmp.TYPE, Icmp.DEST_UNREACHABLE);
        Wire.set8(l4Header, Icmp.CODE, Icmp.CODE_PORT_UNREACHABLE);
        Wire.set16(l4Header, Icmp.CHECKSUM, 0);
        Wire.set32(l4Header, Icmp.REST, 0);
        Wire.set16(l4Header, Icmp.CHECKSUM, Checksums.finish(
                Checksums.add(Checksums.add(0, l4Header, 0, Icmp.HEADER), body, 0, h + q)));
        sendIp(to, Ipv4.PROTO_ICMP, l4Header, body, now);
    }

    // ---- output --------------------------------------------------------------------------------

    /**
     * Sends one UDP datagram from our {@code srcPort} to {@code dst}:{@code dstPort}; returns null if it
     * was sent or queued for ARP, else why it was dropped.
     */
    public DropReason sendUdp(int srcPort, int dst, int dstPort, MemorySegment data, long now) {
        if (data.byteSize() > Udp.MAX_PAYLOAD) {
            stats.drop(DropReason.TX_TOO_BIG);
            return DropReason.TX_TOO_BIG;
        }
        Udp.writeHeader(l4Header, config.address(), srcPort, dst, dstPort, data);
        return sendIp(dst, Ipv4.PROTO_UDP, l4Header, data, now);
    }

    /**
     * Sends {@code head} then {@code body} as the payload of one IPv4 datagram to {@code dst}, in
     * fragments of at most the MTU (RFC 791: every fragment but the last carries a multiple of 8 bytes).
     * Returns null if sent or queued for ARP, else the reason of the drop (counted).
     */
    DropReason sendIp(int dst, int protocol, MemorySegment head, MemorySegment body, long now) {
        int headLen = (int) head.byteSize();
        int total = headLen + (int) body.byteSize();
        long dstMac;
        int nextHop = 0;
        boolean local = dst == config.address();
        if (dst == Ipv4.BROADCAST || dst == config.broadcast()) {
            dstMac = Ethernet.BROADCAST;
        } else if (local) {
            dstMac = mac;
        } else {
            nextHop = config.onLink(dst) ? dst : config.gateway();
            if (nextHop == 0) {
                stats.drop(DropReason.TX_NO_ROUTE);
                return DropReason.TX_NO_ROUTE;
            }
            dstMac = arp.lookup(nextHop, now);
        }
        int room = config.mtu() - Ipv4.HEADER;
        int step = total <= room ? total : room & ~7;
        int id = nextId & 0xFFFF;
        nextId += idStep;
        int off = 0;
        do {
            int n = Math.min(step, total - off);
            boolean more = off + n < total;
            long at = out.allocate(Ethernet.HEADER + Ipv4.HEADER + n);
            if (at < 0) {
                stats.drop(DropReason.TX_NO_BUFFER);
                return DropReason.TX_NO_BUFFER;
            }
            MemorySegment f = out.segment();
            Ethernet.writeHeader(f, at, dstMac < 0 ? 0 : dstMac, mac, Ethernet.TYPE_IPV4);
            Ipv4.writeHeader(f, at + Ethernet.HEADER, config.address(), dst, protocol, id, n, off, more);
            copyRange(head, body, off, n, f, at + Ethernet.HEADER + Ipv4.HEADER);
            if (local) {
                out.commitLocal();
            } else if (dstMac >= 0) {
                out.commit();
            } else {
                byte[] copy = f.asSlice(at, Ethernet.HEADER + Ipv4.HEADER + n).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
                out.abort();
                boolean fresh = arp.enqueue(nextHop, copy, now, ARP_RETRY_NANOS);
                if (arp.queueFull) {
                    stats.drop(DropReason.ARP_UNRESOLVED);
                    return DropReason.ARP_UNRESOLVED;
                }
                if (fresh) {
                    arpRequest(nextHop, config.address());
                    timers.due(now + ARP_RETRY_NANOS);
                }
            }
            off += n;
        } while (off < total);
        return null;
    }

    /**
     * Room for one unfragmented IPv4 datagram of {@code length} payload bytes to {@code dst}, written in
     * place by the caller (a TCP segment built in the mbuf, without a copy): the offset of the payload
     * in {@link FrameSink#segment()}, or -1 if it cannot go (no route, no buffer: counted). Then
     * {@link #commitDatagram}. The payload must fit the MTU.
     */
    public long beginDatagram(int dst, int protocol, int length, long now) {
        if (pendingAt >= 0) {
            throw new IllegalStateException("beginDatagram before commitDatagram of the previous one");
        }
        if (Ipv4.HEADER + length > config.mtu()) {
            throw new IllegalArgumentException("a datagram of " + length + " bytes does not fit the MTU " + config.mtu());
        }
        boolean local = dst == config.address();
        int nextHop = local || config.onLink(dst) ? dst : config.gateway();
        if (nextHop == 0) {
            stats.drop(DropReason.TX_NO_ROUTE);
            return -1;
        }
        long dstMac = local ? mac : arp.lookup(nextHop, now);
        long at = out.allocate(Ethernet.HEADER + Ipv4.HEADER + length);
        if (at < 0) {
            stats.drop(DropReason.TX_NO_BUFFER);
            return -1;
        }
        MemorySegment f = out.segment();
        Ethernet.writeHeader(f, at, dstMac < 0 ? 0 : dstMac, mac, Ethernet.TYPE_IPV4);
        int id = nextId & 0xFFFF;
        nextId += idStep;
        Ipv4.writeHeader(f, at + Ethernet.HEADER, config.address(), dst, protocol, id, length, 0, false);
        pendingAt = at;
        pendingLength = Ethernet.HEADER + Ipv4.HEADER + length;
        pendingNextHop = nextHop;
        pendingResolved = dstMac >= 0;
        pendingLocal = local;
        return at + Ethernet.HEADER + Ipv4.HEADER;
    }

    /** Sends the datagram {@link #beginDatagram} made room for (or queues it while ARP resolves). */
    public void commitDatagram(long now) {
        long at = pendingAt;
        if (at < 0) {
            throw new IllegalStateException("commitDatagram without beginDatagram");
        }
        pendingAt = -1;
        if (pendingLocal) {
            out.commitLocal();
            return;
        }
        if (pendingResolved) {
            out.commit();
            return;
        }
        byte[] copy = out.segment().asSlice(at, pendingLength).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
        out.abort();
        boolean fresh = arp.enqueue(pendingNextHop, copy, now, ARP_RETRY_NANOS);
        if (arp.queueFull) {
            stats.drop(DropReason.ARP_UNRESOLVED);
            return;
        }
        if (fresh) {
            arpRequest(pendingNextHop, config.address());
            timers.due(now + ARP_RETRY_NANOS); // the request is repeated by tick, which the wheel runs
        }
    }

    /** Copies bytes [from, from + n) of the concatenation head+body to {@code to} at {@code at}. */
    private static void copyRange(MemorySegment head, MemorySegment body, int from, int n, MemorySegment to, long at) {
        int headLen = (int) head.byteSize();
        if (from < headLen) {
            int k = Math.min(n, headLen - from);
            MemorySegment.copy(head, from, to, at, k);
            from += k;
            at += k;
            n -= k;
        }
        if (n > 0) {
            MemorySegment.copy(body, from - headLen, to, at, n);
        }
    }

    private void arpRequest(int target, int sender) {
        long f = out.allocate(Ethernet.HEADER + Arp.LENGTH);
        if (f < 0) {
            stats.drop(DropReason.TX_NO_BUFFER);
            return;
        }
        Arp.write(out.segment(), f, Ethernet.BROADCAST, Arp.REQUEST, mac, sender, 0, target);
        out.commit();
        stats.arpRequestSent();
    }

    private void flushPending(int ip, long dstMac) {
        for (byte[] frame : arp.resolved(ip)) {
            long at = out.allocate(frame.length);
            if (at < 0) {
                stats.drop(DropReason.TX_NO_BUFFER);
                continue;
            }
            MemorySegment.copy(MemorySegment.ofArray(frame), 0, out.segment(), at, frame.length);
            Wire.setMac(out.segment(), at + Ethernet.DST, dstMac);
            out.commit();
        }
    }

    // ---- timers --------------------------------------------------------------------------------

    /**
     * Runs the ARP retry and reassembly timers, then asks the {@link TimerHook} for the next tick, if
     * anything is still pending. ARP entries need no timer: an entry is checked for age where it is used
     * ({@link ArpCache#lookup}), and the table is bounded (a new entry evicts the one expiring first).
     */
    public void tick(long now) {
        if (reassembly.inProgress() > 0) {
            reassembly.expire(now);
        }
        if (arp.hasPending()) {
            askAgain.clear();
            int dropped = arp.tick(now, ARP_RETRY_NANOS, ARP_REQUESTS, askAgain);
            for (int i = 0; i < dropped; i++) {
                stats.drop(DropReason.ARP_UNRESOLVED);
            }
            for (int i = 0; i < askAgain.size(); i++) {
                arpRequest(askAgain.get(i), config.address());
            }
        }
        long next = Long.MAX_VALUE;
        if (reassembly.inProgress() > 0) {
            next = reassembly.nextExpiry();
        }
        if (arp.hasPending()) {
            long a = arp.nextRequest();
            next = next == Long.MAX_VALUE || a - next < 0 ? a : next;
        }
        if (next != Long.MAX_VALUE) {
            timers.due(next);
        }
    }
}
