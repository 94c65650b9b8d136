package dev.isthmus.dpdk.net;

import dev.isthmus.stack.spi.RssPlacement;
import dev.isthmus.stack.spi.ToeplitzHash;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;

import static dev.isthmus.dpdk.net.Frames.OUR_MAC;
import static dev.isthmus.dpdk.net.Frames.PEER;
import static dev.isthmus.dpdk.net.Frames.PEER_MAC;
import static dev.isthmus.dpdk.net.Frames.US;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The owner of a frame's flow: the RSS worker of its 4-tuple for UDP and TCP, ANY for the rest. */
class FlowSteeringUnitTest {
    final RssPlacement rss = new RssPlacement(ToeplitzHash.microsoft(), 4);

    private int owner(MemorySegment f) {
        return FlowSteering.owner(rss, f, 0, (int) f.byteSize());
    }

    @Test
    void udpAndTcpGoToTheirRssWorkerOthersStay() {
        boolean[] seen = new boolean[4];
        for (int port = 1000; port < 1064; port++) {
            MemorySegment f = Frames.ipFrame(OUR_MAC, PEER, US, 17, 1, 0, Frames.udp(PEER, port, US, 53, new byte[4]));
            int w = owner(f);
            assertEquals(rss.workerV4(PEER, US, port, 53), w, "port " + port);
            seen[w] = true;
            byte[] tcp = new byte[20];
            MemorySegment t = MemorySegment.ofArray(tcp);
            Wire.set16(t, 0, port);
            Wire.set16(t, 2, 80);
            assertEquals(rss.workerV4(PEER, US, port, 80), owner(Frames.ipFrame(OUR_MAC, PEER, US, 6, 1, 0, tcp)));
        }
        assertTrue(seen[0] && seen[1] && seen[2] && seen[3], "64 flows spread over the 4 workers");
        byte[] udp = Frames.udp(PEER, 5, US, 53, new byte[4]);
        assertEquals(FlowSteering.ANY, owner(Frames.ipFrame(OUR_MAC, PEER, US, 17, 1, Ipv4.MF, udp)), "first fragment");
        assertEquals(FlowSteering.ANY, owner(Frames.ipFrame(OUR_MAC, PEER, US, 17, 1, 3, udp)), "later fragment");
        assertEquals(FlowSteering.ANY, owner(Frames.ipFrame(OUR_MAC, PEER, US, 1, 1, 0, Frames.echoRequest(1, 1, new byte[8]))));
        assertEquals(FlowSteering.ANY, owner(Frames.arp(Ethernet.BROADCAST, Arp.REQUEST, PEER_MAC, PEER, 0, US)));
        MemorySegment shortFrame = Frames.ipFrame(OUR_MAC, PEER, US, 17, 1, 0, udp);
        assertEquals(FlowSteering.ANY, FlowSteering.owner(rss, shortFrame, 0, Ethernet.HEADER + Ipv4.HEADER + 3));
    }
}
