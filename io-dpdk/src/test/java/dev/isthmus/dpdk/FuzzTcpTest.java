package dev.isthmus.dpdk;

import dev.isthmus.dpdk.net.Checksums;
import dev.isthmus.dpdk.net.Ipv4;
import dev.isthmus.dpdk.net.Wire;
import dev.isthmus.dpdk.port.EthPort;
import dev.isthmus.dpdk.port.MbufPool;
import dev.isthmus.dpdk.port.RingCables;
import dev.isthmus.dpdk.tcp.TcpSegment;
import dev.isthmus.dpdk.tcp.TcpStats;
import dev.isthmus.dpdk.tcp.TcpStats.Counter;
import dev.isthmus.ffi.dpdk.rte_mbuf;
import dev.isthmus.ffi.dpdk.rte_mbuf_h;
import dev.isthmus.stack.ListenOptions;
import dev.isthmus.stack.StackOptions;
import dev.isthmus.stack.examples.EchoServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static dev.isthmus.dpdk.tcp.TcpFlags.ACK;
import static dev.isthmus.dpdk.tcp.TcpFlags.FIN;
import static dev.isthmus.dpdk.tcp.TcpFlags.PSH;
import static dev.isthmus.dpdk.tcp.TcpFlags.RST;
import static dev.isthmus.dpdk.tcp.TcpFlags.SYN;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Random and mutated TCP segments, for a bounded time, at a listening port and at connections this test
 * opened to it (an echo server on a dpdk stack at the other end of a ring cable): nothing crashes, each
 * bad segment is counted by its reason, the stack's mbufs come back to their level, and afterwards a
 * fresh connection is still echoed (the worker did not stall).
 */
@Timeout(120)
class FuzzTcpTest {
    static final long STACK_MAC = 0x0200_0000_0000L | Integer.toUnsignedLong(0xC6120402);
    static final long FUZZER_MAC = 0x02_00_00_00_04_99L;
    static final int STACK_IP = 0xC6120402;
    static final int FUZZER_IP = 0xC6120401;
    static final int PORT = 7;

    /** A connection this test opened: our next sequence number and the stack's. */
    static final class Flow {
        final int port;
        int seq;
        int peerNext;
        boolean established;
        final java.io.ByteArrayOutputStream echoed = new java.io.ByteArrayOutputStream();

        Flow(int port, int seq) {
            this.port = port;
            this.seq = seq;
        }
    }

    final Map<Integer, Flow> flows = new HashMap<>();
    final List<byte[]> outbox = new ArrayList<>();

    @BeforeAll
    static void eal() throws Exception {
        TestEal.start();
    }

    @Test
    void randomAndMutatedSegmentsAreDroppedByReasonWithoutLeakOrStall() throws Exception {
        MbufPool pool = MbufPool.create("fuzztcp", 2047);
        EthPort fuzzer = RingCables.take("fuzztcp", 1);
        DpdkNetworkStack stack = null;
        try {
            fuzzer.start(1, pool);
            stack = (DpdkNetworkStack) new DpdkStackProvider().open(StackOptions.defaults().withWorkers(1)
                    .withProperty(DpdkOptions.PORT, "ring:fuzztcp").withProperty(DpdkOptions.IP, "198.18.4.2")
                    .withProperty(DpdkOptions.CHALLENGE_ACK_LIMIT, "200"));
            stack.listen(new InetSocketAddress(PORT), ListenOptions.defaults(), EchoServer::new);
            Thread.sleep(100);
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment burst = arena.allocate(ValueLayout.ADDRESS, 32);
                MemorySegment rx = arena.allocate(ValueLayout.ADDRESS, 32);
                drain(fuzzer, rx);
                send(fuzzer, pool, burst, List.of(arpRequest())); // the stack learns our MAC
                int level = waitLevel(stack, fuzzer, rx, -1);
                TcpStats stats = stack.dpdkWorker(0).tcp().layer().stats();

                Random r = new Random(17);
                int nextPort = 20000;
                long end = System.nanoTime() + 4_000_000_000L;
                long sent = 0;
                int rounds = 0;
                while (System.nanoTime() < end) {
                    if (rounds++ % 50 == 0) {
                        int p = nextPort++;
                        Flow f = new Flow(p, r.nextInt());
                        flows.put(p, f);
                        outbox.add(segment(p, SYN, f.seq, 0, 0xFFFF, 1460, 7, new byte[0]));
                        f.seq++;
                    }
                    int n = 1 + r.nextInt(31);
                    for (int i = 0; i < n; i++) {
                        outbox.add(fuzzed(r, nextPort));
                    }
                    sent += outbox.size();
                    send(fuzzer, pool, burst, outbox);
                    outbox.clear();
                    read(fuzzer, rx);
                }
                System.out.println("fuzz tcp: " + sent + " frames, " + flows.size() + " connections opened; " + stats);
                assertTrue(stats.get(Counter.BAD_CHECKSUMS) > 0, stats.toString());
                assertTrue(stats.get(Counter.OUT_OF_WINDOW) > 0, stats.toString());
                assertTrue(stats.get(Counter.CHALLENGE_ACKS) > 0, stats.toString());
                assertTrue(stats.get(Counter.RESETS_SENT) > 0, stats.toString());
                assertTrue(stats.get(Counter.PASSIVE_OPENS) > 10, stats.toString());

                // Not stalled: a new connection is echoed.
                Flow f = new Flow(nextPort, 12345);
                flows.put(f.port, f);
                outbox.add(segment(f.port, SYN, f.seq, 0, 0xFFFF, 1460, -1, new byte[0]));
                f.seq++;
                send(fuzzer, pool, burst, outbox);
                outbox.clear();
                long deadline = System.nanoTime() + 5_000_000_000L;
                while (!f.established && System.nanoTime() < deadline) {
                    read(fuzzer, rx);
                    send(fuzzer, pool, burst, outbox);
                    outbox.clear();
                }
                assertTrue(f.established, "the handshake of a client after the fuzz");
                byte[] ping = "ping after the fuzz".getBytes();
                outbox.add(segment(f.port, ACK | PSH, f.seq, f.peerNext, 0xFFFF, -1, -1, ping));
                f.seq += ping.length;
                send(fuzzer, pool, burst, outbox);
                outbox.clear();
                while (f.echoed.size() < ping.length && System.nanoTime() < deadline) {
                    read(fuzzer, rx);
                }
                assertArrayEquals(ping, f.echoed.toByteArray());

                // Every connection reset, exactly, and the mbufs back to where they were.
                for (Flow g : flows.values()) {
                    if (g.established) {
                        outbox.add(segment(g.port, RST, g.seq, 0, 0, -1, -1, new byte[0]));
                    }
                }
                send(fuzzer, pool, burst, outbox);
                outbox.clear();
                assertEquals(level, waitLevel(stack, fuzzer, rx, level), "the stack's mbufs are back to their level");
            }
        } finally {
            if (stack != null) {
                // Closing aborts the connections still open (RST each): the frames the stack sends meanwhile
                // are its mbufs until this side of the cable frees them, so a thread reads them as it goes.
                java.util.concurrent.atomic.AtomicBoolean closing = new java.util.concurrent.atomic.AtomicBoolean(true);
                Thread reader = Thread.ofPlatform().start(() -> {
                    try (Arena a = Arena.ofConfined()) {
                        MemorySegment rx = a.allocate(ValueLayout.ADDRESS, 32);
                        while (closing.get()) {
                            drain(fuzzer, rx);
                            Thread.onSpinWait();
                        }
                    }
                });
                try {
                    stack.close();
                } finally {
                    closing.set(false);
                    reader.join();
                }
            }
            fuzzer.close();
            RingCables.release("fuzztcp", pool);
        }
        assertEquals(0, stack.mbufsInUseAtClose());
        assertEquals(0, pool.inUse());
        pool.close();
    }

    /** Drains until the stack's mbufs in use settle ({@code target}, or the same value for 300 ms). */
    private static int waitLevel(DpdkNetworkStack stack, EthPort port, MemorySegment rx, int target) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        int last = -2;
        long since = System.nanoTime();
        while (System.nanoTime() < deadline) {
            drain(port, rx);
            int now = stack.mbufsInUse();
            if (now == target) {
                return now;
            }
            if (now != last) {
                last = now;
                since = System.nanoTime();
            } else if (target < 0 && System.nanoTime() - since > 300_000_000L) {
                return now;
            }
            Thread.sleep(5);
        }
        return stack.mbufsInUse();
    }

    /** One segment: for a flow of ours (in or near its window) or for the listener, mutated or not. */
    private byte[] fuzzed(Random r, int maxPort) {
        List<Flow> open = new ArrayList<>();
        for (Flow f : flows.values()) {
            if (f.established) {
                open.add(f);
            }
        }
        int kind = r.nextInt(12);
        byte[] frame;
        if (kind < 7 && !open.isEmpty()) {
            Flow f = open.get(r.nextInt(open.size()));
            int flags = switch (r.nextInt(8)) {
                case 0 -> RST;
                case 1 -> SYN;
                case 2 -> ACK | FIN;
                case 3 -> r.nextInt(64);
                default -> ACK | PSH;
            };
            int seq = f.seq + (r.nextBoolean() ? 0 : r.nextInt(200_000) - 100_000);
            int ack = f.peerNext + (r.nextBoolean() ? 0 : r.nextInt(2_000_000) - 1_000_000);
            byte[] data = new byte[r.nextInt(4) == 0 ? 0 : r.nextInt(1400)];
            r.nextBytes(data);
            frame = segment(f.port, flags, seq, ack, r.nextInt(65536), -1, -1, data);
        } else if (kind < 9) {
            frame = segment(1024 + r.nextInt(60000), SYN, r.nextInt(), 0, r.nextInt(65536),
                    r.nextBoolean() ? r.nextInt(65536) : -1, r.nextBoolean() ? r.nextInt(20) : -1, new byte[0]);
        } else if (kind < 10) {
            frame = segment(1024 + r.nextInt(60000), ACK, r.nextInt(), r.nextInt(), r.nextInt(65536), -1, -1,
                    new byte[r.nextInt(100)]);
        } else {
            byte[] noise = new byte[54 + r.nextInt(1460)];
            r.nextBytes(noise);
            frame = segment(20000 + r.nextInt(Math.max(1, maxPort - 20000 + 1)), r.nextInt(256), r.nextInt(),
                    r.nextInt(), r.nextInt(65536), -1, -1, new byte[0]);
            System.arraycopy(noise, 54, frame, 34, Math.min(frame.length - 34, noise.length - 54));
        }
        if (r.nextInt(3) == 0) {
            // Flip header bytes (data offset, flags, options); half the time fix the checksum so the
            // mutation reaches TCP, not only the checksum check.
            int flips = 1 + r.nextInt(3);
            for (int i = 0; i < flips; i++) {
                int at = 34 + r.nextInt(Math.min(40, frame.length - 34));
                frame[at] = (byte) r.nextInt(256);
            }
            if (r.nextBoolean()) {
                MemorySegment s = MemorySegment.ofArray(frame);
                Wire.set16(s, 34 + 16, 0);
                TcpSegment.checksum(s, 34, frame.length - 34, FUZZER_IP, STACK_IP);
            }
        }
        return frame;
    }

    /** Reads what the stack sent: completes our handshakes, collects echoes, frees the mbufs. */
    private void read(EthPort port, MemorySegment rx) {
        int n;
        while ((n = port.rxBurst(0, rx, 32)) > 0) {
            for (int i = 0; i < n; i++) {
                MemorySegment m = MbufPool.mbufAt(rx, i);
                int len = Short.toUnsignedInt(rte_mbuf.data_len(m));
                MemorySegment f = rte_mbuf_h.rte_pktmbuf_mtod(m).reinterpret(len);
                if (len >= 54 && Wire.u16(f, 12) == 0x0800 && f.get(ValueLayout.JAVA_BYTE, 23) == 6) {
                    int ihl = (f.get(ValueLayout.JAVA_BYTE, 14) & 0xF) * 4;
                    int t = 14 + ihl;
                    int dport = Wire.u16(f, t + 2);
                    int seq = f.get(ValueLayout.JAVA_INT_UNALIGNED.withOrder(java.nio.ByteOrder.BIG_ENDIAN), t + 4);
                    int flags = f.get(ValueLayout.JAVA_BYTE, t + 13) & 0x3F;
                    int hl = ((f.get(ValueLayout.JAVA_BYTE, t + 12) & 0xF0) >> 4) * 4;
                    int ipLen = Wire.u16(f, 16);
                    int payload = ipLen - ihl - hl;
                    Flow flow = flows.get(dport);
                    if (flow != null) {
                        if ((flags & (SYN | ACK)) == (SYN | ACK) && !flow.established) {
                            flow.peerNext = seq + 1;
                            flow.established = true;
                            outbox.add(segment(flow.port, ACK, flow.seq, flow.peerNext, 0xFFFF, -1, -1, new byte[0]));
                        } else if (flow.established && payload > 0 && seq == flow.peerNext) {
                            flow.echoed.writeBytes(f.asSlice(t + hl, payload).toArray(ValueLayout.JAVA_BYTE));
                            flow.peerNext += payload;
                        } else if ((flags & RST) != 0) {
                            flow.established = false;
                        }
                    }
                }
            }
            MbufPool.freeBulk(rx, n);
        }
    }

    private static void drain(EthPort port, MemorySegment rx) {
        int n;
        while ((n = port.rxBurst(0, rx, 32)) > 0) {
            MbufPool.freeBulk(rx, n);
        }
    }

    private static void send(EthPort port, MbufPool pool, MemorySegment burst, List<byte[]> frames) {
        int done = 0;
        while (done < frames.size()) {
            int n = Math.min(32, frames.size() - done);
            if (!pool.allocBulk(burst, n)) {
                return; // pool short: the rest is lost, as on a wire
            }
            for (int i = 0; i < n; i++) {
                byte[] f = frames.get(done + i);
                MemorySegment m = MbufPool.mbufAt(burst, i);
                rte_mbuf.data_len(m, (short) f.length);
                rte_mbuf.pkt_len(m, f.length);
                MemorySegment.copy(MemorySegment.ofArray(f), 0, rte_mbuf_h.rte_pktmbuf_mtod(m), 0, f.length);
            }
            int took = port.txBurst(0, burst, n);
            if (took < n) {
                MbufPool.freeBulk(burst.asSlice(took * ValueLayout.ADDRESS.byteSize()), n - took);
            }
            done += n;
        }
    }

    /** An Ethernet + IPv4 + TCP frame from the fuzzer's {@code srcPort} to the stack's echo port. */
    static byte[] segment(int srcPort, int flags, int seq, int ack, int window, int mss, int shift, byte[] data) {
        int tcpLen = TcpSegment.HEADER + (mss >= 0 ? 4 : 0) + (shift >= 0 ? 4 : 0) + data.length;
        byte[] f = new byte[34 + tcpLen];
        MemorySegment s = MemorySegment.ofArray(f);
        Wire.setMac(s, 0, STACK_MAC);
        Wire.setMac(s, 6, FUZZER_MAC);
        Wire.set16(s, 12, 0x0800);
        Ipv4.writeHeader(s, 14, FUZZER_IP, STACK_IP, Ipv4.PROTO_TCP, 1, tcpLen, 0, false);
        Wire.set16(s, 14 + 10, 0);
        Wire.set16(s, 14 + 10, Checksums.of(s, 14, 20));
        int hl = TcpSegment.write(s, 34, srcPort & 0xFFFF, PORT, seq, ack, flags, window & 0xFFFF,
                mss >= 0 ? mss & 0xFFFF : -1, shift);
        MemorySegment.copy(MemorySegment.ofArray(data), 0, s, 34 + hl, data.length);
        TcpSegment.checksum(s, 34, hl + data.length, FUZZER_IP, STACK_IP);
        return f;
    }

    static byte[] arpRequest() {
        MemorySegment f = MemorySegment.ofArray(new byte[42]);
        dev.isthmus.dpdk.net.Arp.write(f, 0xFFFF_FFFF_FFFFL, 1, FUZZER_MAC, FUZZER_IP, 0, STACK_IP);
        return f.toArray(ValueLayout.JAVA_BYTE);
    }
}
