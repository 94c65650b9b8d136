package dev.isthmus.dpdk.net;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

import static dev.isthmus.dpdk.net.Frames.OUR_MAC;
import static dev.isthmus.dpdk.net.Frames.PEER;
import static dev.isthmus.dpdk.net.Frames.PEER_MAC;
import static dev.isthmus.dpdk.net.Frames.US;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Protocol 6 and ICMP errors about TCP reach the TCP hook; TCP segments go out through beginDatagram. */
@Timeout(30)
class NetInterfaceTcpTest {
    private static final long SECOND = 1_000_000_000L;
    final ListSink sink = new ListSink();
    final NetStats stats = new NetStats();
    final NetInterface nif = new NetInterface(new NetConfig(US, 24, 0, 1500), OUR_MAC, sink, stats,
            (src, sp, dst, dp, data) -> false, 60 * SECOND, 30 * SECOND, 4 << 20);
    final List<String> tcp = new ArrayList<>();

    final NetInterface.TcpInput hook = new NetInterface.TcpInput() {
        @Override
        public void segment(MemorySegment p, long at, int len, int src, int dst) {
            tcp.add("segment " + len + " " + Wire.ipToString(src) + " " + Wire.ipToString(dst) + " "
                    + Wire.u16(p, at) + ">" + Wire.u16(p, at + 2));
        }

        @Override
        public void icmpError(int remoteIp, int remotePort, int localPort, int seq, boolean fragNeeded, int mtu) {
            tcp.add("icmp " + Wire.ipToString(remoteIp) + ":" + remotePort + " from " + localPort + " seq " + seq
                    + (fragNeeded ? " mtu " + mtu : " unreachable"));
        }
    };

    static byte[] tcpHeader(int srcPort, int dstPort, int seq) {
        byte[] b = new byte[20];
        MemorySegment s = MemorySegment.ofArray(b);
        Wire.set16(s, 0, srcPort);
        Wire.set16(s, 2, dstPort);
        Wire.set32(s, 4, seq);
        Wire.set8(s, 12, 5 << 4);
        return b;
    }

    @Test
    void tcpIsDroppedUntilTheHookIsSetThenDelivered() {
        MemorySegment f = Frames.ipFrame(OUR_MAC, PEER, US, Ipv4.PROTO_TCP, 1, 0, tcpHeader(40000, 80, 1));
        nif.input(f, 0);
        assertEquals(1, stats.drops(DropReason.IPV4_UNKNOWN_PROTOCOL));
        nif.tcp(hook);
        nif.input(f, 0);
        assertEquals(List.of("segment 20 198.18.0.1 198.18.0.2 40000>80"), tcp);
        nif.input(Frames.ipFrame(OUR_MAC, PEER, 0xC61200FF, Ipv4.PROTO_TCP, 2, 0, tcpHeader(1, 2, 3)), 0);
        assertEquals(1, tcp.size(), "TCP to the broadcast address opens nothing");
    }

    @Test
    void destinationUnreachableQuotingOurSegmentReachesTcp() {
        nif.tcp(hook);
        // What a router sends back: type 3 code 4, next-hop MTU 1400, our IP header and 8+ bytes of TCP.
        MemorySegment ours = Frames.ipFrame(PEER_MAC, US, PEER, Ipv4.PROTO_TCP, 9, 0, tcpHeader(5000, 443, 12345));
        byte[] quoted = ours.asSlice(Ethernet.HEADER, Ipv4.HEADER + 20).toArray(ValueLayout.JAVA_BYTE);
        byte[] icmp = new byte[Icmp.HEADER + quoted.length];
        icmp[0] = (byte) Icmp.DEST_UNREACHABLE;
        icmp[1] = (byte) Icmp.CODE_FRAGMENTATION_NEEDED;
        icmp[6] = (byte) (1400 >> 8);
        icmp[7] = (byte) (1400 & 0xFF);
        System.arraycopy(quoted, 0, icmp, Icmp.HEADER, quoted.length);
        int c = Checksums.of(MemorySegment.ofArray(icmp), 0, icmp.length);
        icmp[2] = (byte) (c >> 8);
        icmp[3] = (byte) c;
        nif.input(Frames.ipFrame(OUR_MAC, PEER, US, Ipv4.PROTO_ICMP, 10, 0, icmp), 0);
        assertEquals(List.of("icmp 198.18.0.1:443 from 5000 seq 12345 mtu 1400"), tcp);
    }

    @Test
    void aDatagramBuiltInPlaceWaitsForArpThenLeaves() {
        int at = (int) nif.beginDatagram(PEER, Ipv4.PROTO_TCP, 20, 0);
        assertTrue(at >= 0);
        MemorySegment.copy(MemorySegment.ofArray(tcpHeader(80, 40000, 7)), 0, sink.segment(), at, 20);
        nif.commitDatagram(0);
        List<MemorySegment> out = sink.take();
        assertEquals(1, out.size(), "an ARP request; the datagram waits");
        assertEquals(Ethernet.TYPE_ARP, Wire.u16(out.get(0), 12));
        nif.input(Frames.arp(OUR_MAC, Arp.REPLY, PEER_MAC, PEER, OUR_MAC, US), 0);
        out = sink.take();
        assertEquals(1, out.size());
        MemorySegment f = out.get(0);
        assertEquals(PEER_MAC, Wire.mac(f, 0));
        assertEquals(Ipv4.PROTO_TCP, Wire.u8(f, Ethernet.HEADER + Ipv4.PROTOCOL));
        assertEquals(PEER, Wire.u32(f, Ethernet.HEADER + Ipv4.DST));
        assertEquals(40, Wire.u16(f, Ethernet.HEADER + Ipv4.TOTAL_LENGTH));
        assertEquals(0, Checksums.of(f, Ethernet.HEADER, Ipv4.HEADER), "IPv4 header checksum");
        assertArrayEquals(tcpHeader(80, 40000, 7), f.asSlice(Ethernet.HEADER + Ipv4.HEADER, 20).toArray(ValueLayout.JAVA_BYTE));
        // Resolved now: the next one leaves at once.
        at = (int) nif.beginDatagram(PEER, Ipv4.PROTO_TCP, 20, 0);
        nif.commitDatagram(0);
        assertEquals(1, sink.take().size());
    }
}
