package dev.isthmus.dpdk.net;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.foreign.MemorySegment;
import java.util.Random;

import static dev.isthmus.dpdk.net.Frames.OUR_MAC;
import static dev.isthmus.dpdk.net.Frames.PEER;
import static dev.isthmus.dpdk.net.Frames.US;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Mutated and random frames into {@link NetInterface} without EAL, for a bounded count: no exception,
 * every frame counted, every frame the stack builds is well-formed (IPv4 header checksum right), and the
 * reassembly stays in its bound. (FuzzFramesTest does the same through DPDK and counts mbufs.)
 */
@Timeout(60)
class NetInterfaceFuzzTest {
    @Test
    void survivesMutatedFrames() {
        ListSink sink = new ListSink();
        NetStats stats = new NetStats();
        NetInterface nif = new NetInterface(new NetConfig(US, 24, 0, 1500), OUR_MAC, sink, stats,
                (src, sp, dst, dp, data) -> dp == 53, 1_000_000_000L, 100_000_000L, 256 * 1024);
        Random r = new Random(11);
        byte[][] seeds = {
                bytes(Frames.ipFrame(OUR_MAC, PEER, US, 17, 1, 0, Frames.udp(PEER, 1, US, 53, Frames.bytes(40, 1)))),
                bytes(Frames.ipFrame(OUR_MAC, PEER, US, 17, 2, 0, Frames.udp(PEER, 1, US, 54, Frames.bytes(9, 2)))),
                bytes(Frames.ipFrame(OUR_MAC, PEER, US, 1, 3, 0, Frames.echoRequest(1, 1, Frames.bytes(56, 3)))),
                bytes(Frames.ipFrame(OUR_MAC, PEER, US, 17, 4, Ipv4.MF, Frames.bytes(1480, 4))),
                bytes(Frames.ipFrame(OUR_MAC, PEER, US, 17, 4, 1480 / 8, Frames.bytes(100, 5))),
                bytes(Frames.arp(Ethernet.BROADCAST, Arp.REQUEST, Frames.PEER_MAC, PEER, 0, US)),
        };
        int n = 200_000;
        long now = 0;
        for (int i = 0; i < n; i++) {
            byte[] f;
            if (r.nextInt(10) == 0) {
                f = new byte[r.nextInt(1515)];
                r.nextBytes(f);
            } else {
                f = seeds[r.nextInt(seeds.length)].clone();
                int flips = r.nextInt(4);
                for (int k = 0; k < flips; k++) {
                    f[r.nextInt(Math.min(f.length, 64))] = (byte) r.nextInt(256);
                }
                if (r.nextInt(8) == 0) {
                    f = java.util.Arrays.copyOf(f, r.nextInt(f.length + 1));
                }
            }
            now += 10_000; // 10 us a frame: timers run too
            nif.input(MemorySegment.ofArray(f), now);
            nif.tick(now);
            for (MemorySegment out : sink.take()) {
                if (Wire.u16(out, Ethernet.TYPE) == Ethernet.TYPE_IPV4) {
                    assertEquals(0, Checksums.of(out, Ethernet.HEADER, 20), "a frame the stack built");
                }
            }
            assertTrue(nif.reassembly().bytesHeld() <= 256 * 1024);
        }
        assertEquals(n, stats.rxFrames());
        assertTrue(stats.drops() > n / 2, stats.toString());
        System.out.println("NetInterface fuzz: " + stats);
    }

    private static byte[] bytes(MemorySegment s) {
        return s.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
    }
}
