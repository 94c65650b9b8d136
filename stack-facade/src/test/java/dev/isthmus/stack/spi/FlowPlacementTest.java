package dev.isthmus.stack.spi;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FlowPlacementTest {

    private static InetSocketAddress at(String ip, int port) throws Exception {
        return new InetSocketAddress(InetAddress.getByName(ip), port);
    }

    @Test
    void rssConnectPortsBringTheRepliesBackToTheCallingWorker() throws Exception {
        RssPlacement p = new RssPlacement(ToeplitzHash.microsoft(), 3);
        InetSocketAddress local = at("198.18.0.1", 0);
        InetSocketAddress remote = at("198.18.0.2", 8080);
        for (int w = 0; w < 3; w++) {
            int[] ports = p.connectPorts(w, local, remote, 20);
            assertEquals(20, ports.length);
            Set<Integer> distinct = new HashSet<>();
            for (int port : ports) {
                assertTrue(port >= PortPerWorker.low() && port <= PortPerWorker.high());
                assertTrue(distinct.add(port));
                // The server's reply travels remote -> local:port and the NIC hashes that tuple.
                assertEquals(w, p.inboundWorker(remote, new InetSocketAddress(local.getAddress(), port)),
                        "port " + port + " for worker " + w);
            }
        }
        InetSocketAddress local6 = at("2001:2::1", 0);
        InetSocketAddress remote6 = at("2001:2::2", 443);
        for (int port : p.connectPorts(1, local6, remote6, 5)) {
            assertEquals(1, p.inboundWorker(remote6, new InetSocketAddress(local6.getAddress(), port)));
        }
        assertThrows(IllegalArgumentException.class, () -> p.connectPorts(3, local, remote, 1));
        assertThrows(IllegalArgumentException.class, () -> p.connectPorts(0, at("0.0.0.0", 0), remote, 1));
    }

    @Test
    void rssSpreadsFlowsOverEveryWorker() throws Exception {
        RssPlacement p = new RssPlacement(ToeplitzHash.microsoft(), 4);
        int[] perWorker = new int[4];
        InetSocketAddress local = at("198.18.0.1", 80);
        for (int port = 40000; port < 44000; port++) {
            perWorker[p.inboundWorker(at("198.19.1.7", port), local)]++;
        }
        for (int n : perWorker) {
            assertTrue(n > 600 && n < 1400, "uneven spread " + java.util.Arrays.toString(perWorker));
        }
    }

    @Test
    void kernelPlacementLeavesInboundToTheAcceptStrategyAndUsesPortModWorkers() throws Exception {
        FlowPlacement p = PortPerWorker.placement(4);
        assertEquals(FlowPlacement.BY_ACCEPT_STRATEGY, p.inboundWorker(at("127.0.0.1", 5), at("127.0.0.1", 6)));
        for (int port : p.connectPorts(2, at("0.0.0.0", 0), at("127.0.0.1", 80), 50)) {
            assertEquals(2, port % 4);
        }
        assertThrows(IllegalArgumentException.class, () -> PortPerWorker.placement(0));
    }
}
