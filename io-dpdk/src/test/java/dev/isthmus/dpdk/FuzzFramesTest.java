package dev.isthmus.dpdk;

import dev.isthmus.dpdk.net.DropReason;
import dev.isthmus.dpdk.net.NetStats;
import dev.isthmus.dpdk.net.Wire;
import dev.isthmus.dpdk.port.EthPort;
import dev.isthmus.dpdk.port.MbufPool;
import dev.isthmus.dpdk.port.RingCables;
import dev.isthmus.ffi.dpdk.rte_mbuf;
import dev.isthmus.ffi.dpdk.rte_mbuf_h;
import dev.isthmus.stack.StackOptions;
import dev.isthmus.stack.UdpOptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetSocketAddress;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Random and mutated frames, for a bounded time, into a dpdk stack through the other end of a ring
 * cable: nothing crashes, every frame is counted, and the stack's mbufs return to their level.
 */
@Timeout(120)
class FuzzFramesTest {
    static final long STACK_MAC = 0x0200_0000_0000L | Integer.toUnsignedLong(0xC6120302); // 02:00 + 198.18.3.2
    static final int STACK_IP = 0xC6120302;
    static final int FUZZER_IP = 0xC6120301;

    @BeforeAll
    static void eal() throws Exception {
        TestEal.start();
    }

    @Test
    void randomAndMutatedFramesAreDroppedByReasonWithoutLeakingMbufs() throws Exception {
        MbufPool pool = MbufPool.create("fuzz", 2047);
        EthPort fuzzer = RingCables.take("fuzz", 1); // side A: this test; side B: the stack
        DpdkNetworkStack stack = null;
        try {
            fuzzer.start(1, pool);
            stack = (DpdkNetworkStack) new DpdkStackProvider().open(StackOptions.defaults().withWorkers(1)
                    .withProperty(DpdkOptions.PORT, "ring:fuzz").withProperty(DpdkOptions.IP, "198.18.3.2")
                    .withProperty(DpdkOptions.REASSEMBLY_MAX_BYTES, "262144")
                    .withProperty(DpdkOptions.REASSEMBLY_TIMEOUT_MS, "200"));
            AtomicLong delivered = new AtomicLong();
            stack.openUdp(new InetSocketAddress(53), UdpOptions.defaults(), (ch, from, data, t) -> delivered.incrementAndGet());
            Thread.sleep(100);
            try (Arena a = Arena.ofConfined()) {
                drain(fuzzer, a); // the announcement: a stack mbuf until this side frees it
            }
            int level = stack.mbufsInUse();
            NetStats stats = stack.dpdkWorker(0).netStats();

            Random random = new Random(7);
            byte[][] seeds = {
                    udpFrame(53, random, 20), udpFrame(53, random, 1400), udpFrame(9, random, 100),
                    icmpEcho(random), fragment(true, 0, random), fragment(false, 1480, random), arpRequest(),
            };
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment burst = arena.allocate(ValueLayout.ADDRESS, 32);
                long sent = 0;
                long end = System.nanoTime() + 5_000_000_000L;
                while (System.nanoTime() < end) {
                    int n = 1 + random.nextInt(32);
                    if (!pool.allocBulk(burst, n)) {
                        drain(fuzzer, arena);
                        continue;
                    }
                    for (int i = 0; i < n; i++) {
                        byte[] f = frame(random, seeds);
                        MemorySegment m = MbufPool.mbufAt(burst, i);
                        rte_mbuf.data_len(m, (short) f.length);
                        rte_mbuf.pkt_len(m, f.length);
                        MemorySegment.copy(MemorySegment.ofArray(f), 0, rte_mbuf_h.rte_pktmbuf_mtod(m), 0, f.length);
                    }
                    int took = fuzzer.txBurst(0, burst, n);
                    if (took < n) {
                        MbufPool.freeBulk(burst.asSlice(took * ValueLayout.ADDRESS.byteSize()), n - took);
                    }
                    sent += took;
                    drain(fuzzer, arena);
                }
                long deadline = System.nanoTime() + 10_000_000_000L;
                while (stats.rxFrames() < sent && System.nanoTime() < deadline) {
                    drain(fuzzer, arena);
                    Thread.sleep(1);
                }
                Thread.sleep(300); // past the reassembly timeout: fragments in progress are dropped
                drain(fuzzer, arena);
                assertEquals(sent, stats.rxFrames(), "every frame reached the stack");
                System.out.println("fuzz: " + sent + " frames, " + delivered.get() + " datagrams delivered; " + stats);
                assertTrue(stats.drops() > sent / 2, "most mutated frames are dropped: " + stats);
                assertTrue(stats.drops(DropReason.IPV4_BAD_CHECKSUM) > 0 && stats.drops(DropReason.ETH_NOT_FOR_US) > 0
                        && stats.drops(DropReason.UDP_BAD_CHECKSUM) > 0, stats.toString());
                assertEquals(level, stack.mbufsInUse(), "the stack's mbufs are back to their level");
                assertTrue(stack.dpdkWorker(0).netStats().rxBursts() > 0);
            }
        } finally {
            if (stack != null) {
                stack.close();
            }
            fuzzer.close();
            RingCables.release("fuzz", pool);
        }
        assertEquals(0, stack.mbufsInUseAtClose());
        assertEquals(0, pool.inUse());
        pool.close();
    }

    /** Frees whatever the stack sent back (ARP replies, echo replies, ICMP errors). */
    private static void drain(EthPort port, Arena arena) {
        MemorySegment rx = arena.allocate(ValueLayout.ADDRESS, 32);
        int n;
        while ((n = port.rxBurst(0, rx, 32)) > 0) {
            MbufPool.freeBulk(rx, n);
        }
    }

    /** A seed frame mutated: bytes flipped, cut short, or made longer; now and then pure noise. */
    private static byte[] frame(Random r, byte[][] seeds) {
        int kind = r.nextInt(10);
        if (kind == 0) {
            byte[] noise = new byte[r.nextInt(1515)];
            r.nextBytes(noise);
            return noise;
        }
        byte[] f = seeds[r.nextInt(seeds.length)].clone();
        if (kind <= 2) {
            return f; // unchanged: valid traffic in the mix
        }
        int flips = 1 + r.nextInt(4);
        for (int i = 0; i < flips; i++) {
            // Headers mostly: the first 64 bytes hold Ethernet, IPv4 and the L4 header.
            int at = r.nextInt(Math.min(f.length, r.nextBoolean() ? 64 : f.length));
            f[at] = (byte) r.nextInt(256);
        }
        if (kind == 9) {
            f = java.util.Arrays.copyOf(f, Math.max(0, Math.min(1514, f.length + r.nextInt(80) - 40)));
        }
        return f;
    }

    private static byte[] header(int protocol, int payloadLength, int flagsFragment, int id) {
        byte[] f = new byte[34 + payloadLength];
        MemorySegment s = MemorySegment.ofArray(f);
        Wire.setMac(s, 0, STACK_MAC);
        Wire.setMac(s, 6, 0x02_00_00_00_00_99L);
        Wire.set16(s, 12, 0x0800);
        dev.isthmus.dpdk.net.Ipv4.writeHeader(s, 14, FUZZER_IP, STACK_IP, protocol, id, payloadLength, 0, false);
        Wire.set16(s, 14 + 6, flagsFragment);
        Wire.set16(s, 14 + 10, 0);
        Wire.set16(s, 14 + 10, dev.isthmus.dpdk.net.Checksums.of(s, 14, 20));
        return f;
    }

    private static byte[] udpFrame(int port, Random r, int n) {
        byte[] f = header(17, 8 + n, 0, 1);
        MemorySegment s = MemorySegment.ofArray(f);
        byte[] data = new byte[n];
        r.nextBytes(data);
        MemorySegment.copy(MemorySegment.ofArray(data), 0, s, 42, n);
        dev.isthmus.dpdk.net.Udp.writeHeader(s.asSlice(34, 8), FUZZER_IP, 1234, STACK_IP, port, s.asSlice(42, n));
        return f;
    }

    private static byte[] icmpEcho(Random r) {
        byte[] f = header(1, 64, 0, 2);
        MemorySegment s = MemorySegment.ofArray(f);
        byte[] data = new byte[56];
        r.nextBytes(data);
        f[34] = 8;
        MemorySegment.copy(MemorySegment.ofArray(data), 0, s, 42, 56);
        Wire.set16(s, 36, dev.isthmus.dpdk.net.Checksums.of(s, 34, 64));
        return f;
    }

    private static byte[] fragment(boolean more, int offset, Random r) {
        byte[] f = header(17, more ? 1480 : 200, (more ? 0x2000 : 0) | (offset / 8), 3);
        byte[] data = new byte[f.length - 34];
        r.nextBytes(data);
        System.arraycopy(data, 0, f, 34, data.length);
        return f;
    }

    private static byte[] arpRequest() {
        MemorySegment f = MemorySegment.ofArray(new byte[42]);
        dev.isthmus.dpdk.net.Arp.write(f, 0xFFFF_FFFF_FFFFL, 1, 0x02_00_00_00_00_99L, FUZZER_IP, 0, STACK_IP);
        return f.toArray(ValueLayout.JAVA_BYTE);
    }
}
