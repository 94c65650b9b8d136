package dev.isthmus.dpdk.net;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static dev.isthmus.dpdk.net.Frames.OUR_MAC;
import static dev.isthmus.dpdk.net.Frames.PEER;
import static dev.isthmus.dpdk.net.Frames.PEER_MAC;
import static dev.isthmus.dpdk.net.Frames.US;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Ethernet, ARP, IPv4, ICMP and UDP of {@link NetInterface} on synthetic frames, without EAL. */
@Timeout(30)
class NetInterfaceTest {
    private static final long SECOND = 1_000_000_000L;

    record Datagram(int src, int srcPort, int dst, int dstPort, byte[] data) {
    }

    final ListSink sink = new ListSink();
    final NetStats stats = new NetStats();
    final List<Datagram> received = new ArrayList<>();
    int openPort = 7000;
    final NetInterface nif = new NetInterface(new NetConfig(US, 24, 0, 1500), OUR_MAC, sink, stats,
            (src, sp, dst, dp, data) -> {
                if (dp != openPort) {
                    return false;
                }
                received.add(new Datagram(src, sp, dst, dp, data.toArray(ValueLayout.JAVA_BYTE)));
                return true;
            }, 60 * SECOND, 30 * SECOND, 4 << 20);

    private static byte[] bytes(MemorySegment s) {
        return s.toArray(ValueLayout.JAVA_BYTE);
    }

    private static void assertIpHeaderOk(MemorySegment frame) {
        byte[] f = bytes(frame);
        assertEquals(0, Frames.naiveChecksum(f, 14, 20), "IPv4 header checksum");
    }

    @Test
    void answersArpForOurAddressAndLearnsTheAsker() {
        nif.input(Frames.arp(Ethernet.BROADCAST, Arp.REQUEST, PEER_MAC, PEER, 0, US), 0);
        List<MemorySegment> out = sink.take();
        assertEquals(1, out.size());
        MemorySegment r = out.get(0);
        assertEquals(PEER_MAC, Wire.mac(r, 0));
        assertEquals(OUR_MAC, Wire.mac(r, 6));
        assertEquals(Ethernet.TYPE_ARP, Wire.u16(r, 12));
        MemorySegment a = r.asSlice(14);
        assertEquals(Arp.REPLY, Wire.u16(a, Arp.OPER));
        assertEquals(OUR_MAC, Wire.mac(a, Arp.SHA));
        assertEquals(US, Wire.u32(a, Arp.SPA));
        assertEquals(PEER_MAC, Wire.mac(a, Arp.THA));
        assertEquals(PEER, Wire.u32(a, Arp.TPA));
        assertEquals(PEER_MAC, nif.arp().lookup(PEER, 1));
    }

    @Test
    void ignoresArpForOthersAndMalformedArp() {
        nif.input(Frames.arp(Ethernet.BROADCAST, Arp.REQUEST, PEER_MAC, PEER, 0, Frames.ip(198, 18, 0, 9)), 0);
        assertEquals(1, stats.drops(DropReason.ARP_NOT_FOR_US));
        assertEquals(-1, nif.arp().lookup(PEER, 1), "not learnt: we were not the target (RFC 826)");
        MemorySegment bad = Frames.arp(Ethernet.BROADCAST, Arp.REQUEST, PEER_MAC, PEER, 0, US);
        Wire.set8(bad, 14 + Arp.HLEN, 8);
        nif.input(bad, 0);
        nif.input(bad.asSlice(0, 30), 0);
        assertEquals(2, stats.drops(DropReason.ARP_MALFORMED));
        assertTrue(sink.frames.isEmpty());
    }

    @Test
    void announcesItsAddress() {
        nif.announce();
        MemorySegment f = sink.take().get(0);
        assertEquals(Ethernet.BROADCAST, Wire.mac(f, 0));
        MemorySegment a = f.asSlice(14);
        assertEquals(Arp.REQUEST, Wire.u16(a, Arp.OPER));
        assertEquals(US, Wire.u32(a, Arp.SPA));
        assertEquals(US, Wire.u32(a, Arp.TPA));
    }

    @Test
    void answersPing() {
        learnPeer();
        byte[] data = Frames.bytes(56, 3);
        nif.input(Frames.ipFrame(OUR_MAC, PEER, US, 1, 77, 0, Frames.echoRequest(0x1234, 9, data)), 0);
        List<MemorySegment> out = sink.take();
        assertEquals(1, out.size());
        MemorySegment r = out.get(0);
        assertIpHeaderOk(r);
        assertEquals(PEER_MAC, Wire.mac(r, 0));
        assertEquals(PEER, Wire.u32(r, 14 + Ipv4.DST));
        assertEquals(US, Wire.u32(r, 14 + Ipv4.SRC));
        byte[] icmp = Arrays.copyOfRange(bytes(r), 34, (int) r.byteSize());
        assertEquals(0, icmp[0], "echo reply");
        assertEquals(0, Frames.naiveChecksum(icmp, 0, icmp.length), "ICMP checksum");
        assertEquals(0x1234, Wire.u16(MemorySegment.ofArray(icmp), 4));
        assertEquals(9, Wire.u16(MemorySegment.ofArray(icmp), 6));
        assertArrayEquals(data, Arrays.copyOfRange(icmp, 8, icmp.length));
    }

    @Test
    void pingToBroadcastAndOtherIcmpGoUnanswered() {
        learnPeer();
        nif.input(Frames.ipFrame(Ethernet.BROADCAST, PEER, Frames.ip(198, 18, 0, 255), 1, 1, 0,
                Frames.echoRequest(1, 1, new byte[8])), 0);
        byte[] reply = Frames.echoRequest(1, 1, new byte[8]);
        reply[0] = 0;
        reply[2] = 0;
        reply[3] = 0;
        Wire.set16(MemorySegment.ofArray(reply), 2, Frames.naiveChecksum(reply, 0, reply.length));
        nif.input(Frames.ipFrame(OUR_MAC, PEER, US, 1, 2, 0, reply), 0);
        assertEquals(2, stats.drops(DropReason.ICMP_IGNORED));
        byte[] badSum = Frames.echoRequest(1, 1, new byte[8]);
        badSum[9] ^= 1;
        nif.input(Frames.ipFrame(OUR_MAC, PEER, US, 1, 3, 0, badSum), 0);
        assertEquals(1, stats.drops(DropReason.ICMP_BAD_CHECKSUM));
        assertTrue(sink.frames.isEmpty());
    }

    @Test
    void dropsBadIpv4ByReason() {
        byte[] payload = Frames.udp(PEER, 5, US, 7000, new byte[4]);
        MemorySegment good = Frames.ipFrame(OUR_MAC, PEER, US, 17, 1, 0, payload);
        MemorySegment f;

        f = copy(good);
        Wire.set8(f, 14 + 11, Wire.u8(f, 14 + 11) ^ 0x40); // checksum byte flipped
        nif.input(f, 0);
        assertEquals(1, stats.drops(DropReason.IPV4_BAD_CHECKSUM));

        f = copy(good);
        Wire.set8(f, 14, 0x65); // version 6
        nif.input(f, 0);
        f = copy(good);
        Wire.set8(f, 14, 0x44); // IHL 4
        nif.input(f, 0);
        assertEquals(2, stats.drops(DropReason.IPV4_BAD_HEADER));

        f = copy(good);
        Wire.set16(f, 14 + 2, 2000); // total length beyond the frame
        nif.input(f, 0);
        assertEquals(1, stats.drops(DropReason.IPV4_BAD_LENGTH));

        nif.input(good.asSlice(0, 14 + 12), 0);
        assertEquals(1, stats.drops(DropReason.IPV4_TRUNCATED));
        nif.input(good.asSlice(0, 10), 0);
        assertEquals(1, stats.drops(DropReason.ETH_TRUNCATED));

        nif.input(Frames.ipFrame(OUR_MAC, PEER, Frames.ip(198, 18, 0, 3), 17, 1, 0, payload), 0);
        assertEquals(1, stats.drops(DropReason.IPV4_NOT_FOR_US));
        nif.input(Frames.ipFrame(0x02_99_00_00_00_09L, PEER, US, 17, 1, 0, payload), 0);
        assertEquals(1, stats.drops(DropReason.ETH_NOT_FOR_US));
        f = copy(good);
        Wire.set16(f, 12, 0x86DD);
        nif.input(f, 0);
        assertEquals(1, stats.drops(DropReason.ETH_UNKNOWN_TYPE));
        nif.input(Frames.ipFrame(OUR_MAC, PEER, US, 6, 1, 0, new byte[20]), 0);
        assertEquals(1, stats.drops(DropReason.IPV4_UNKNOWN_PROTOCOL));

        assertTrue(received.isEmpty());
        nif.input(good, 0);
        assertEquals(1, received.size(), "the unmodified frame passes");
        assertEquals(11, stats.rxFrames());
    }

    @Test
    void acceptsEthernetPaddingAfterTheIpPacket() {
        byte[] payload = Frames.udp(PEER, 5, US, 7000, new byte[2]);
        MemorySegment f = Frames.ipFrame(OUR_MAC, PEER, US, 17, 1, 0, payload);
        MemorySegment padded = MemorySegment.ofArray(Arrays.copyOf(bytes(f), 60));
        nif.input(padded, 0);
        assertEquals(1, received.size());
        assertEquals(2, received.get(0).data().length);
    }

    @Test
    void deliversUdpAndAnswersAClosedPortWithPortUnreachable() {
        learnPeer();
        byte[] data = Frames.bytes(100, 1);
        nif.input(Frames.ipFrame(OUR_MAC, PEER, US, 17, 5, 0, Frames.udp(PEER, 4444, US, 7000, data)), 0);
        assertEquals(1, received.size());
        Datagram d = received.get(0);
        assertEquals(PEER, d.src());
        assertEquals(4444, d.srcPort());
        assertEquals(7000, d.dstPort());
        assertArrayEquals(data, d.data());

        byte[] toClosed = Frames.udp(PEER, 4444, US, 7001, data);
        nif.input(Frames.ipFrame(OUR_MAC, PEER, US, 17, 6, 0, toClosed), 0);
        assertEquals(1, stats.drops(DropReason.UDP_NO_PORT));
        MemorySegment r = sink.take().get(0);
        assertIpHeaderOk(r);
        byte[] icmp = Arrays.copyOfRange(bytes(r), 34, (int) r.byteSize());
        assertEquals(3, icmp[0]);
        assertEquals(3, icmp[1]);
        assertEquals(0, Frames.naiveChecksum(icmp, 0, icmp.length));
        assertEquals(8 + 20 + 8, icmp.length, "quotes the IP header and 8 bytes");
        assertEquals(7001, Wire.u16(MemorySegment.ofArray(icmp), 8 + 20 + 2), "quoted destination port");

        byte[] bad = Frames.udp(PEER, 4444, US, 7000, data);
        bad[20] ^= 1;
        nif.input(Frames.ipFrame(OUR_MAC, PEER, US, 17, 7, 0, bad), 0);
        assertEquals(1, stats.drops(DropReason.UDP_BAD_CHECKSUM));
        byte[] badLen = Frames.udp(PEER, 4444, US, 7000, data);
        Wire.set16(MemorySegment.ofArray(badLen), 4, 200);
        nif.input(Frames.ipFrame(OUR_MAC, PEER, US, 17, 8, 0, badLen), 0);
        assertEquals(1, stats.drops(DropReason.UDP_BAD_LENGTH));
        nif.input(Frames.ipFrame(OUR_MAC, PEER, US, 17, 9, 0, new byte[5]), 0);
        assertEquals(1, stats.drops(DropReason.UDP_TRUNCATED));
        byte[] noSum = Frames.udp(PEER, 4444, US, 7000, data);
        noSum[6] = 0;
        noSum[7] = 0;
        nif.input(Frames.ipFrame(OUR_MAC, PEER, US, 17, 10, 0, noSum), 0);
        assertEquals(2, received.size(), "checksum 0 means none (RFC 768)");
    }

    @Test
    void portUnreachableIsRateLimited() {
        learnPeer();
        byte[] toClosed = Frames.udp(PEER, 4444, US, 7001, new byte[4]);
        for (int i = 0; i < 200; i++) {
            nif.input(Frames.ipFrame(OUR_MAC, PEER, US, 17, i, 0, toClosed), 0);
        }
        assertEquals(NetInterface.ICMP_ERROR_BURST, sink.take().size(), "a burst, then nothing");
        assertEquals(200 - NetInterface.ICMP_ERROR_BURST, stats.drops(DropReason.ICMP_RATE_LIMITED));
        nif.input(Frames.ipFrame(OUR_MAC, PEER, US, 17, 1000, 0, toClosed), 5_000_000); // 5 ms later: 5 tokens
        nif.input(Frames.ipFrame(OUR_MAC, PEER, US, 17, 1001, 0, toClosed), 5_000_000);
        assertEquals(2, sink.take().size());
        for (int i = 0; i < 10; i++) {
            nif.input(Frames.ipFrame(OUR_MAC, PEER, US, 17, 1002 + i, 0, toClosed), 5_000_000);
        }
        assertEquals(3, sink.take().size(), "the other 3 tokens of the 5 ms");
        assertEquals(212, stats.drops(DropReason.UDP_NO_PORT));
    }

    @Test
    void sendQueuesWhileResolvingThenSendsWithTheLearntMac() {
        byte[] data = Frames.bytes(10, 5);
        assertNull(nif.sendUdp(7000, PEER, 9, MemorySegment.ofArray(data), 0));
        assertNull(nif.sendUdp(7000, PEER, 9, MemorySegment.ofArray(data), 0));
        List<MemorySegment> out = sink.take();
        assertEquals(1, out.size(), "one ARP request for two packets");
        assertEquals(Arp.REQUEST, Wire.u16(out.get(0), 14 + Arp.OPER));
        assertEquals(PEER, Wire.u32(out.get(0), 14 + Arp.TPA));

        nif.input(Frames.arp(OUR_MAC, Arp.REPLY, PEER_MAC, PEER, OUR_MAC, US), 0);
        out = sink.take();
        assertEquals(2, out.size(), "both queued packets leave");
        for (MemorySegment f : out) {
            assertEquals(PEER_MAC, Wire.mac(f, 0));
            assertIpHeaderOk(f);
            byte[] b = bytes(f);
            byte[] expected = Frames.udp(US, 7000, PEER, 9, data);
            assertArrayEquals(expected, Arrays.copyOfRange(b, 34, b.length), "UDP header, checksum and data");
        }
    }

    @Test
    void unansweredArpGivesUpAfterThreeRequests() {
        nif.sendUdp(7000, PEER, 9, MemorySegment.ofArray(new byte[1]), 0);
        assertEquals(1, sink.take().size());
        nif.tick(SECOND);
        nif.tick(2 * SECOND);
        assertEquals(2, sink.take().size(), "asked again each second");
        nif.tick(3 * SECOND);
        assertTrue(sink.take().isEmpty());
        assertEquals(1, stats.drops(DropReason.ARP_UNRESOLVED));
        assertEquals(0, nif.arp().pendingCount());
    }

    @Test
    void arpEntriesExpireAndAreResolvedAgain() {
        NetInterface shortLived = new NetInterface(new NetConfig(US, 24, 0, 1500), OUR_MAC, sink, stats,
                (a, b, c, d, e) -> true, SECOND, 30 * SECOND, 1 << 20);
        shortLived.input(Frames.arp(Ethernet.BROADCAST, Arp.REQUEST, PEER_MAC, PEER, 0, US), 0);
        sink.take();
        shortLived.sendUdp(1, PEER, 2, MemorySegment.ofArray(new byte[1]), SECOND / 2);
        assertEquals(Ethernet.TYPE_IPV4, Wire.u16(sink.take().get(0), 12), "still fresh: sent at once");
        shortLived.sendUdp(1, PEER, 2, MemorySegment.ofArray(new byte[1]), SECOND + 1);
        List<MemorySegment> out = sink.take();
        assertEquals(1, out.size());
        assertEquals(Ethernet.TYPE_ARP, Wire.u16(out.get(0), 12), "expired: resolved again");
        shortLived.input(Frames.arp(OUR_MAC, Arp.REPLY, PEER_MAC, PEER, OUR_MAC, US), SECOND + 2);
        assertEquals(Ethernet.TYPE_IPV4, Wire.u16(sink.take().get(0), 12));
    }

    @Test
    void routesOffLinkThroughTheGatewayAndRefusesWithoutOne() {
        int gw = Frames.ip(198, 18, 0, 254);
        NetInterface routed = new NetInterface(new NetConfig(US, 24, gw, 1500), OUR_MAC, sink, stats,
                (a, b, c, d, e) -> true, SECOND, SECOND, 1 << 20);
        routed.sendUdp(1, Frames.ip(198, 19, 1, 1), 2, MemorySegment.ofArray(new byte[1]), 0);
        assertEquals(gw, Wire.u32(sink.take().get(0), 14 + Arp.TPA), "ARP for the gateway");
        assertEquals(DropReason.TX_NO_ROUTE, nif.sendUdp(1, Frames.ip(198, 19, 1, 1), 2,
                MemorySegment.ofArray(new byte[1]), 0));
    }

    @Test
    void fragmentsAboveTheMtuAndReassembles() {
        learnPeer();
        byte[] data = Frames.bytes(4000, 11);
        assertNull(nif.sendUdp(7000, PEER, 9, MemorySegment.ofArray(data), 0));
        List<MemorySegment> frags = sink.take();
        assertEquals(3, frags.size());
        int expectOffset = 0;
        for (int i = 0; i < frags.size(); i++) {
            MemorySegment f = frags.get(i);
            assertIpHeaderOk(f);
            assertTrue(f.byteSize() <= 14 + 1500);
            int ff = Wire.u16(f, 14 + Ipv4.FLAGS_FRAGMENT);
            assertEquals(expectOffset, (ff & Ipv4.OFFSET_MASK) * 8);
            assertEquals(i < 2, (ff & Ipv4.MF) != 0);
            expectOffset += (int) f.byteSize() - 34;
        }
        assertEquals(8 + 4000, expectOffset);

        // The peer's view: the same fragments, in reverse order, addressed to a stack at PEER.
        List<Datagram> got = new ArrayList<>();
        NetInterface peer = new NetInterface(new NetConfig(PEER, 24, 0, 1500), PEER_MAC, new ListSink(), new NetStats(),
                (src, sp, dst, dp, d) -> got.add(new Datagram(src, sp, dst, dp, d.toArray(ValueLayout.JAVA_BYTE))),
                SECOND, SECOND, 1 << 20);
        for (int i = frags.size() - 1; i >= 0; i--) {
            peer.input(frags.get(i), 0);
        }
        assertEquals(1, got.size());
        assertArrayEquals(data, got.get(0).data());
        assertEquals(0, peer.reassembly().inProgress());
        assertEquals(0, peer.reassembly().bytesHeld());
    }

    @Test
    void answersAFragmentedPingWithAFragmentedReply() {
        learnPeer();
        byte[] icmp = Frames.echoRequest(7, 1, Frames.bytes(3000, 2));
        // Two fragments of the request: 1480 bytes, then the rest.
        nif.input(Frames.ipFrame(OUR_MAC, PEER, US, 1, 99, Ipv4.MF, Arrays.copyOfRange(icmp, 0, 1480)), 0);
        assertTrue(sink.frames.isEmpty());
        nif.input(Frames.ipFrame(OUR_MAC, PEER, US, 1, 99, 1480 / 8, Arrays.copyOfRange(icmp, 1480, icmp.length)), 0);
        List<MemorySegment> out = sink.take();
        assertEquals(3, out.size(), "3008 bytes of ICMP need three 1500-byte packets");
        ByteArrayBuilder reply = new ByteArrayBuilder();
        for (MemorySegment f : out) {
            byte[] b = bytes(f);
            reply.add(Arrays.copyOfRange(b, 34, b.length));
        }
        byte[] r = reply.bytes();
        assertEquals(icmp.length, r.length);
        assertEquals(0, r[0]);
        assertEquals(0, Frames.naiveChecksum(r, 0, r.length));
        assertArrayEquals(Arrays.copyOfRange(icmp, 8, icmp.length), Arrays.copyOfRange(r, 8, r.length));
    }

    @Test
    void reassemblyDropsOverlapsTimesOutAndStaysInItsMemoryBound() {
        byte[] u = Frames.udp(PEER, 1, US, 7000, Frames.bytes(2000, 1));
        // Overlap: [0, 1480) then [1000, ...) of the same datagram.
        nif.input(Frames.ipFrame(OUR_MAC, PEER, US, 17, 1, Ipv4.MF, Arrays.copyOfRange(u, 0, 1480)), 0);
        nif.input(Frames.ipFrame(OUR_MAC, PEER, US, 17, 1, 1000 / 8, Arrays.copyOfRange(u, 1000, u.length)), 0);
        assertEquals(1, stats.drops(DropReason.FRAG_OVERLAP));
        assertEquals(0, nif.reassembly().inProgress(), "the whole datagram went");

        // Timeout: a first fragment alone.
        nif.input(Frames.ipFrame(OUR_MAC, PEER, US, 17, 2, Ipv4.MF, Arrays.copyOfRange(u, 0, 1480)), 0);
        assertEquals(1, nif.reassembly().inProgress());
        nif.tick(29 * SECOND);
        assertEquals(1, nif.reassembly().inProgress());
        nif.tick(30 * SECOND);
        assertEquals(0, nif.reassembly().inProgress());
        assertEquals(1, stats.drops(DropReason.FRAG_TIMEOUT));

        // Memory: many datagrams' last fragments at high offsets, none ever complete.
        for (int id = 100; id < 300; id++) {
            nif.input(Frames.ipFrame(OUR_MAC, PEER, US, 17, id, 8000, new byte[16]), 0);
        }
        assertTrue(nif.reassembly().bytesHeld() <= 4 << 20, "held " + nif.reassembly().bytesHeld());
        assertTrue(stats.drops(DropReason.FRAG_NO_MEMORY) > 0);

        // Bad: a non-last fragment whose length is not a multiple of 8; one ending past 65535.
        nif.input(Frames.ipFrame(OUR_MAC, PEER, US, 17, 400, Ipv4.MF, new byte[13]), 0);
        nif.input(Frames.ipFrame(OUR_MAC, PEER, US, 17, 401, Ipv4.OFFSET_MASK, new byte[16]), 0);
        assertEquals(2, stats.drops(DropReason.FRAG_BAD));
        assertTrue(received.isEmpty());
    }

    @Test
    void datagramsToOurOwnAddressLoopBackWithoutArp() {
        byte[] data = new byte[3000]; // fragmented: every fragment loops back
        Arrays.fill(data, (byte) 7);
        assertNull(nif.sendUdp(5000, US, openPort, MemorySegment.ofArray(data), 0));
        assertTrue(sink.frames.isEmpty(), "nothing on the wire, no ARP request for ourselves");
        assertEquals(3, sink.local.size());
        for (MemorySegment f : sink.local) {
            assertEquals(OUR_MAC, Wire.mac(f, 0));
            nif.input(f, 0);
        }
        assertEquals(1, received.size());
        assertEquals(US, received.get(0).src());
        assertArrayEquals(data, received.get(0).data());
        sink.local.clear();
        long at = nif.beginDatagram(US, Ipv4.PROTO_TCP, 20, 0);
        assertTrue(at >= 0);
        nif.commitDatagram(0);
        assertEquals(1, sink.local.size(), "a datagram built in place loops back too");
        assertTrue(sink.frames.isEmpty());
    }

    @Test
    void refusesBadConfiguration() {
        assertThrows(IllegalArgumentException.class, () -> new NetConfig(US, 33, 0, 1500));
        assertThrows(IllegalArgumentException.class, () -> new NetConfig(US, 24, 0, 67));
        assertThrows(IllegalArgumentException.class, () -> new NetConfig(Frames.ip(198, 18, 0, 0), 24, 0, 1500));
        assertThrows(IllegalArgumentException.class, () -> new NetConfig(US, 24, Frames.ip(10, 0, 0, 1), 1500));
        assertThrows(IllegalArgumentException.class, () -> NetConfig.prefixOf(Frames.ip(255, 0, 255, 0)));
        assertEquals(24, NetConfig.prefixOf(Frames.ip(255, 255, 255, 0)));
        assertThrows(IllegalArgumentException.class, () -> new NetInterface(new NetConfig(US, 24, 0, 1500),
                0x01_00_5e_00_00_01L, sink, stats, (a, b, c, d, e) -> true, SECOND, SECOND, 1 << 20));
    }

    @Test
    void countsOutOfBuffers() {
        learnPeer();
        sink.buffersLeft = 0;
        assertEquals(DropReason.TX_NO_BUFFER, nif.sendUdp(1, PEER, 2, MemorySegment.ofArray(new byte[1]), 0));
        assertEquals(DropReason.TX_TOO_BIG, nif.sendUdp(1, PEER, 2, MemorySegment.ofArray(new byte[65508]), 0));
    }

    private void learnPeer() {
        nif.input(Frames.arp(Ethernet.BROADCAST, Arp.REQUEST, PEER_MAC, PEER, 0, US), 0);
        sink.take();
    }

    private static MemorySegment copy(MemorySegment s) {
        return MemorySegment.ofArray(bytes(s));
    }

    private static final class ByteArrayBuilder {
        private final java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();

        void add(byte[] b) {
            out.writeBytes(b);
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }
}
