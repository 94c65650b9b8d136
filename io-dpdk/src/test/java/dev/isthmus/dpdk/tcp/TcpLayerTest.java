package dev.isthmus.dpdk.tcp;

import dev.isthmus.dpdk.tcp.SimulatedLink.App;
import dev.isthmus.dpdk.tcp.TcpStats.Counter;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Two TCP layers over a simulated link: demultiplexing, listeners, resets, and transfers across loss. */
class TcpLayerTest {
    static final long US = 1_000L;
    static final long MS = 1_000_000L;

    static TcpConfig config() {
        return new TcpConfig(1500, 256 * 1024, 40 * MS, 2_000 * MS, 15, 6);
    }

    @Test
    void segmentToAClosedPortIsAnsweredWithResetAndConnectIsRefused() {
        try (SimulatedLink link = new SimulatedLink(100 * US, 0, 1, config())) {
            App c = link.client(link.a, link.b, 40000, 9, 0, 1024, 1);
            for (int i = 0; i < 10; i++) {
                link.step(100 * US);
            }
            assertEquals(CloseReason.REFUSED, c.closed);
            assertEquals(1, link.b.layer.stats().get(Counter.RESETS_SENT));
            assertEquals(0, link.a.layer.connections(), "the refused TCB left the flow table");
        }
    }

    @Test
    void fullBacklogDropsTheSynAndTheClientRetries() {
        try (SimulatedLink link = new SimulatedLink(100 * US, 0, 2, config())) {
            App server = link.new App(0, 1024, 2);
            boolean[] full = {true};
            link.b.layer.listen(80, new TcpListener() {
                @Override
                public boolean admits() {
                    return !full[0];
                }

                @Override
                public Tcb newTcb(TcpLayer layer, int localPort, int remoteIp, int remotePort, int iss) {
                    return server.newTcb(layer, localPort, remoteIp, remotePort, iss);
                }
            });
            App c = link.client(link.a, link.b, 40000, 80, 0, 1024, 1);
            for (int i = 0; i < 50; i++) {
                link.step(1 * MS);
            }
            assertTrue(link.b.layer.stats().get(Counter.LISTEN_OVERFLOWS) >= 1);
            assertNull(c.closed);
            full[0] = false;
            for (int i = 0; i < 1500; i++) {
                link.step(1 * MS); // the SYN's retransmission, 1 s after the first
            }
            assertTrue(c.established && server.established);
        }
    }

    @Test
    void transferBothWaysWithoutLossThenCloseAndTimeWaitEnds() {
        transfer(0, 4 << 20, 3);
    }

    @Test
    void transferBothWaysAcrossOnePercentLoss() {
        transfer(0.01, 16 << 20, 4);
    }

    private void transfer(double loss, long bytes, long seed) {
        try (SimulatedLink link = new SimulatedLink(250 * US, loss, seed, config())) {
            App server = link.new App(bytes, 512 * 1024, 11);
            link.b.layer.listen(80, server);
            App client = link.client(link.a, link.b, 40000, 80, bytes, 512 * 1024, 22);
            long steps = 0;
            while (!(client.closed != null && server.closed != null) && steps < 20_000_000) {
                link.step(20 * US);
                steps++;
            }
            String where = "client " + client.tcb.describe() + " / server " + server.tcb.describe()
                    + " / " + link.a.layer.stats() + " / " + link.b.layer.stats();
            assertEquals(bytes, server.received, where);
            assertEquals(bytes, client.received, where);
            assertEquals(client.sentCrc.getValue(), server.receivedCrc.getValue());
            assertEquals(server.sentCrc.getValue(), client.receivedCrc.getValue());
            assertEquals(CloseReason.NORMAL, client.closed, where);
            assertEquals(CloseReason.NORMAL, server.closed, where);
            assertEquals(0, link.a.layer.connections());
            assertEquals(0, link.b.layer.connections());
            assertEquals(0, link.pool.inUse(), "every outbound buffer released");
            System.out.printf("transfer %d MiB each way, loss %.2f: %.2f s simulated, %d segments dropped, "
                            + "retransmits %d/%d, %s | %s%n", bytes >> 20, loss, steps * 20e-6, link.dropped,
                    client.tcb.retransmits(), server.tcb.retransmits(), link.a.layer.stats(), link.b.layer.stats());
        }
    }

    @Test
    void icmpFragmentationNeededLowersTheMssAndUnreachableFailsAnOpeningConnection() {
        try (SimulatedLink link = new SimulatedLink(100 * US, 0, 7, config())) {
            App server = link.new App(0, 1024, 11);
            link.b.layer.listen(80, server);
            App client = link.client(link.a, link.b, 40000, 80, 0, 1 << 20, 22);
            for (int i = 0; i < 10; i++) {
                link.step(1 * MS);
            }
            // 1500 - 40, less the 12 bytes of the timestamps option every segment carries (RFC 7323 3.2).
            assertEquals(1448, client.tcb.sndMss());
            int inFlight = client.tcb.sndUna();
            link.a.layer.icmpError(SimulatedLink.IP_B, 80, 40000, inFlight - 100_000, true, 1280);
            assertEquals(1448, client.tcb.sndMss(), "a quoted sequence number not in flight is not believed");
            link.a.layer.icmpError(SimulatedLink.IP_B, 80, 40000, inFlight, true, 1280);
            assertEquals(1228, client.tcb.sndMss(), "RFC 1191: next-hop MTU minus 40, minus the timestamps");

            App lost = link.client(link.a, link.b, 40001, 81, 0, 1024, 3); // SYN_SENT, the RST not yet back
            link.a.layer.icmpError(SimulatedLink.IP_B, 81, 40001, lost.tcb.sndUna(), false, 0);
            assertEquals(CloseReason.UNREACHABLE, lost.closed);
        }
    }

    @Test
    void pausedReaderClosesTheWindowAndTheSenderProbesUntilItReopens() {
        try (SimulatedLink link = new SimulatedLink(100 * US, 0, 5, config())) {
            App server = link.new App(0, 1024, 11);
            server.readPaused = true;
            link.b.layer.listen(80, server);
            App client = link.client(link.a, link.b, 40000, 80, 1 << 20, 1 << 20, 22);
            for (int i = 0; i < 3000; i++) {
                link.step(1 * MS);
            }
            assertEquals(256 * 1024, server.received, "the receive buffer, no more");
            assertEquals(0, client.tcb.sndWnd());
            assertTrue(link.a.layer.stats().get(Counter.ZERO_WINDOW_PROBES) >= 2);
            server.resumeReading();
            for (int i = 0; i < 3000 && server.received < (1 << 20); i++) {
                link.step(1 * MS);
            }
            assertEquals(1 << 20, server.received, () -> client.tcb + " | " + server.tcb + " | " + link.a.layer.stats() + " | " + link.b.layer.stats());
            assertEquals(client.sentCrc.getValue(), server.receivedCrc.getValue());
        }
    }

    @Test
    void aNewSynReplacesAFlowInTimeWait() {
        try (SimulatedLink link = new SimulatedLink(100 * US, 0, 6, config())) {
            App server = link.new App(0, 1024, 11);
            link.b.layer.listen(80, new TcpListener() {
                @Override
                public boolean admits() {
                    return true;
                }

                @Override
                public Tcb newTcb(TcpLayer layer, int localPort, int remoteIp, int remotePort, int iss) {
                    App s = link.new App(0, 1024, 3);
                    return s.newTcb(layer, localPort, remoteIp, remotePort, iss);
                }
            });
            // The server closes first here, so the server side holds TIME_WAIT: the client then has to
            // close too. Both close at once; one of them ends in TIME_WAIT.
            App c1 = link.client(link.a, link.b, 40000, 80, 1000, 4096, 1);
            for (int i = 0; i < 50; i++) {
                link.step(1 * MS);
            }
            // Client sent all and FIN; server App(0 bytes) sent FIN at once when established: both closed.
            assertTrue(c1.closed != null || c1.tcb.state() == TcpState.TIME_WAIT, c1.tcb.describe());
            int before = link.b.layer.connections() + link.a.layer.connections();
            assertTrue(before >= 1, "someone holds TIME_WAIT");
            for (int i = 0; i < 2100; i++) {
                link.step(1 * MS);
            }
            assertEquals(0, link.a.layer.connections() + link.b.layer.connections(), "TIME_WAIT expired");
        }
    }
}
