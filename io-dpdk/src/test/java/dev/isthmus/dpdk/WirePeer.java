package dev.isthmus.dpdk;

import dev.isthmus.dpdk.net.Arp;
import dev.isthmus.dpdk.net.Ethernet;
import dev.isthmus.dpdk.net.Ipv4;
import dev.isthmus.dpdk.net.Wire;
import dev.isthmus.dpdk.port.EthPort;
import dev.isthmus.dpdk.port.MbufPool;
import dev.isthmus.dpdk.port.Mbufs;
import dev.isthmus.dpdk.port.RingCables;
import dev.isthmus.dpdk.tcp.TcpSegment;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.TimeUnit;

/**
 * A scripted TCP peer on the wire: the other side of a dpdk stack's ring cable ({@code dpdk.port=ring:<name>},
 * {@link RingCables}), driven by the test thread. It writes exact Ethernet/IPv4/TCP frames into the stack's
 * rx ring and reads the stack's frames from its tx ring, answering ARP for its own address by itself, so a
 * test states segment by segment what goes in and what must come out. Open it after the stack (the stack
 * takes side A of the cable, the peer side B); {@link #close} after the stack's close, so that the frames
 * the stack sends while closing are taken back.
 */
final class WirePeer implements AutoCloseable {
    static final long MAC = 0x02_00_00_00_0A_01L;

    final int ip;
    final int stackIp;
    final long stackMac;
    private final EthPort port;
    private final MbufPool pool;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment burst = arena.allocate(ValueLayout.ADDRESS, 32);
    private final java.util.ArrayDeque<byte[]> pending = new java.util.ArrayDeque<>();
    private int ipId;
    /** The acknowledgement number of the last segment the stack sent: its RCV.NXT, where a RST must sit (RFC 5961 3.2). */
    private int lastAck;

    /** The peer at {@code ip} on cable {@code cable}, whose side A the stack at {@code stackIp} holds. */
    WirePeer(String cable, int ip, DpdkNetworkStack stack) throws IOException {
        this.ip = ip;
        this.stackIp = stack.dpdkOptions().net().address();
        this.stackMac = stack.macAddress();
        this.pool = MbufPool.create("peer_" + cable, 1023);
        this.port = RingCables.take(cable, 1);
        port.start(1, pool);
    }

    // ------------------------------------------------------------------ sending

    /** Sends a TCP segment built by {@link Seg}. */
    void send(Seg s) {
        byte[] options = s.options();
        int tcpLength = TcpSegment.HEADER + options.length + s.payload.length;
        MemorySegment f = MemorySegment.ofArray(new byte[Ethernet.HEADER + Ipv4.HEADER + tcpLength]);
        Ethernet.writeHeader(f, 0, stackMac, MAC, Ethernet.TYPE_IPV4);
        Ipv4.writeHeader(f, Ethernet.HEADER, ip, stackIp, Ipv4.PROTO_TCP, ipId++, tcpLength, 0, false);
        long t = Ethernet.HEADER + Ipv4.HEADER;
        Wire.set16(f, t, s.srcPort);
        Wire.set16(f, t + 2, s.dstPort);
        Wire.set32(f, t + 4, s.seq);
        Wire.set32(f, t + 8, s.ack);
        Wire.set8(f, t + 12, ((TcpSegment.HEADER + options.length) / 4) << 4);
        Wire.set8(f, t + 13, s.flags);
        Wire.set16(f, t + 14, s.window);
        MemorySegment.copy(options, 0, f, ValueLayout.JAVA_BYTE, t + TcpSegment.HEADER, options.length);
        MemorySegment.copy(s.payload, 0, f, ValueLayout.JAVA_BYTE, t + TcpSegment.HEADER + options.length, s.payload.length);
        TcpSegment.checksum(f, t, tcpLength, ip, stackIp);
        sendFrame(f.toArray(ValueLayout.JAVA_BYTE));
    }

    private void sendFrame(byte[] frame) {
        if (!pool.allocBulk(burst, 1)) {
            throw new IllegalStateException("peer pool exhausted");
        }
        long m = Mbufs.at(burst, 0);
        Mbufs.setLength(m, frame.length);
        MemorySegment.copy(frame, 0, Mbufs.ALL, ValueLayout.JAVA_BYTE, Mbufs.dataAddress(m), frame.length);
        if (port.txBurst(0, burst, 1) != 1) {
            MbufPool.freeBulk(burst, 1);
            throw new IllegalStateException("the stack's rx ring is full");
        }
    }

    // ------------------------------------------------------------------ receiving

    /** The next TCP segment the stack sent, parsed (checksum verified), within {@code millis}; fails if none. */
    Got expect(long millis) {
        Got g = next(millis);
        if (g == null) {
            throw new AssertionError("no segment from the stack within " + millis + " ms");
        }
        return g;
    }

    /** The next TCP segment within {@code millis}, or null. ARP requests for our address are answered on the way. */
    Got next(long millis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (true) {
            byte[] f = pending.poll();
            if (f == null) {
                poll();
                f = pending.poll();
            }
            if (f != null) {
                Got g = tcp(f);
                if (g != null) {
                    return g;
                }
                continue;
            }
            if (System.nanoTime() - deadline > 0) {
                return null;
            }
            Thread.onSpinWait();
        }
    }

    /** Asserts that the stack sends no TCP segment within {@code millis}. */
    void expectSilence(long millis) {
        Got g = next(millis);
        if (g != null) {
            throw new AssertionError("expected no segment, got " + g);
        }
    }

    private void poll() {
        int n = port.rxBurst(0, burst, 32);
        for (int i = 0; i < n; i++) {
            long m = Mbufs.at(burst, i);
            pending.add(Mbufs.data(m).toArray(ValueLayout.JAVA_BYTE));
        }
        MbufPool.freeBulk(burst, n);
    }

    private Got tcp(byte[] frame) {
        MemorySegment f = MemorySegment.ofArray(frame);
        int type = Wire.u16(f, Ethernet.TYPE);
        if (type == Ethernet.TYPE_ARP) {
            MemorySegment a = f.asSlice(Ethernet.HEADER);
            if (Wire.u16(a, Arp.OPER) == Arp.REQUEST && Wire.u32(a, Arp.TPA) == ip) {
                MemorySegment reply = MemorySegment.ofArray(new byte[Ethernet.HEADER + Arp.LENGTH]);
                Arp.write(reply, Wire.mac(a, Arp.SHA), Arp.REPLY, MAC, ip, Wire.mac(a, Arp.SHA), Wire.u32(a, Arp.SPA));
                sendFrame(reply.toArray(ValueLayout.JAVA_BYTE));
            }
            return null;
        }
        if (type != Ethernet.TYPE_IPV4 || Wire.u8(f, Ethernet.HEADER + Ipv4.PROTOCOL) != Ipv4.PROTO_TCP) {
            return null;
        }
        int total = Wire.u16(f, Ethernet.HEADER + Ipv4.TOTAL_LENGTH);
        int src = Wire.u32(f, Ethernet.HEADER + Ipv4.SRC);
        int dst = Wire.u32(f, Ethernet.HEADER + Ipv4.DST);
        TcpSegment seg = new TcpSegment();
        TcpSegment.Error e = seg.parse(f, Ethernet.HEADER + Ipv4.HEADER, total - Ipv4.HEADER, src, dst, true);
        if (e != TcpSegment.Error.NONE) {
            throw new AssertionError("the stack sent a bad segment: " + e);
        }
        byte[] payload = f.asSlice(seg.payloadOffset(), seg.payloadLength()).toArray(ValueLayout.JAVA_BYTE);
        if (seg.has(dev.isthmus.dpdk.tcp.TcpFlags.ACK)) {
            lastAck = seg.ack();
        }
        return new Got(seg, payload);
    }

    /**
     * Runs {@code closing} (the stack's close) while a thread frees what the stack sends meanwhile: a frame
     * left in the cable is an mbuf of the stack's pool, which would then count as not returned.
     */
    void drainWhile(Closing closing) throws Exception {
        java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
        Thread t = Thread.ofPlatform().name("peer-drain").start(() -> {
            while (!done.get()) {
                poll();
                pending.clear();
                Thread.onSpinWait();
            }
        });
        try {
            closing.run();
        } finally {
            done.set(true);
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        poll();
        pending.clear();
    }

    /** Takes back what the stack sent, then closes the port and the pool (after the stack's close). */
    @Override
    public void close() throws IOException {
        poll();
        pending.clear();
        port.close();
        int out = pool.inUse();
        if (out != 0) {
            throw new IllegalStateException(out + " mbufs of the peer's pool were never freed by the stack");
        }
        pool.close();
        arena.close();
    }

    /**
     * Resets the connection {@code port} to {@code stackPort} at the stack's RCV.NXT, then frees what the
     * stack sends for {@code millis}: the stack can then close without a frame of its own in the cable.
     */
    void resetAndDrain(int port, int stackPort, long millis) {
        send(new Seg(port, stackPort, lastAck, 0, dev.isthmus.dpdk.tcp.TcpFlags.RST).window(0));
        while (next(millis) != null) {
            // drained
        }
    }

    /** What {@link #drainWhile} runs. */
    interface Closing {
        void run() throws Exception;
    }

    /** A segment the stack sent: the parsed header and a copy of its data. */
    record Got(TcpSegment seg, byte[] payload) {
        int seq() { return seg.seq(); }
        int ack() { return seg.ack(); }
        int len() { return seg.payloadLength(); }
        boolean has(int flag) { return seg.has(flag); }

        @Override
        public String toString() {
            StringBuilder b = new StringBuilder(seg.toString());
            for (int i = 0; i < seg.sackBlocks(); i++) {
                b.append(" [").append(Integer.toUnsignedString(seg.sackStart(i))).append(',')
                        .append(Integer.toUnsignedString(seg.sackEnd(i))).append(')');
            }
            return b.toString();
        }
    }

    /** A segment to send: set what matters, options written as Linux lays them out. */
    static final class Seg {
        int srcPort;
        int dstPort;
        int seq;
        int ack;
        int flags;
        int window = 65535;
        int mss = -1;
        int windowShift = -1;
        boolean sackPermitted;
        boolean timestamps;
        int tsVal;
        int tsEcr;
        int[] sack = new int[0];
        byte[] payload = new byte[0];

        Seg(int srcPort, int dstPort, int seq, int ack, int flags) {
            this.srcPort = srcPort;
            this.dstPort = dstPort;
            this.seq = seq;
            this.ack = ack;
            this.flags = flags;
        }

        Seg window(int w) { window = w; return this; }
        Seg mss(int m) { mss = m; return this; }
        Seg windowShift(int s) { windowShift = s; return this; }
        Seg sackPermitted() { sackPermitted = true; return this; }
        Seg ts(int val, int ecr) { timestamps = true; tsVal = val; tsEcr = ecr; return this; }
        /** SACK blocks as start, end pairs. */
        Seg sack(int... edges) { sack = edges; return this; }
        Seg payload(byte[] p) { payload = p; return this; }

        byte[] options() {
            int blocks = sack.length / 2;
            int len = TcpSegment.optionsLength(mss >= 0, sackPermitted, timestamps, windowShift, blocks);
            MemorySegment s = MemorySegment.ofArray(new byte[TcpSegment.HEADER + len]);
            int[] starts = new int[blocks];
            int[] ends = new int[blocks];
            for (int i = 0; i < blocks; i++) {
                starts[i] = sack[2 * i];
                ends[i] = sack[2 * i + 1];
            }
            TcpSegment.write(s, 0, 0, 0, 0, 0, 0, 0, mss, windowShift, sackPermitted, timestamps, tsVal, tsEcr,
                    starts, ends, blocks);
            return s.asSlice(TcpSegment.HEADER).toArray(ValueLayout.JAVA_BYTE);
        }
    }
}
