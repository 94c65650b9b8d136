package dev.isthmus.dpdk.tcp;

import dev.isthmus.dpdk.tcp.SimulatedLink.App;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * CUBIC's window against RFC 9438's formulas: K (eq. 2), the curve W_cubic(t) (eq. 1) through a
 * congestion-avoidance stage, the Reno-friendly region (4.3), fast convergence (4.7), the decrease (4.6,
 * 4.8); and a transfer across loss with it.
 */
class CubicTest {
    static final int MSS = 1000;
    static final long MS = 1_000_000L;

    long now = 1_000_000_000_000L;
    final RttEstimator rtt = new RttEstimator();

    Cubic cubic() {
        return new Cubic(MSS, 0, () -> now, rtt);
    }

    /** Slow start up to {@code segments}, then three duplicate ACKs (a loss), then the full ACK: CA at 0.7. */
    Cubic afterLossAt(int segments) {
        Cubic c = cubic();
        int ack = 0;
        while (c.cwnd() < (long) segments * MSS) {
            ack += MSS;
            c.onNewAck(ack, MSS, c.cwnd());
        }
        assertEquals((long) segments * MSS, c.cwnd());
        long flight = c.cwnd();
        for (int i = 0; i < 3; i++) {
            c.onDupAck(ack, ack + (int) flight, flight);
        }
        assertTrue(c.inRecovery());
        c.onNewAck(ack + (int) flight, MSS, 2 * flight); // the full ACK; the flight keeps cwnd at ssthresh
        assertEquals((long) (flight * Cubic.BETA), c.ssthresh(), "RFC 9438 4.6: ssthresh = flight * 0.7");
        assertEquals(c.ssthresh(), c.cwnd());
        return c;
    }

    /** One round trip of ACKs, a segment each, spread over {@code rttNanos}; returns the ACKs given. */
    int roundTrip(Cubic c, long rttNanos) {
        int acks = (int) (c.cwnd() / MSS);
        for (int i = 0; i < acks; i++) {
            now += rttNanos / acks;
            c.onNewAck(i, MSS, c.cwnd());
        }
        return acks;
    }

    @Test
    void kIsTheTimeBackToWmax() {
        assertEquals(Math.cbrt(75), Cubic.k(100, 70), 1e-12);
        assertEquals(0, Cubic.k(100, 120), 1e-12, "above W_max the curve starts at its plateau");
        assertEquals(100, Cubic.wCubic(Math.cbrt(75), Math.cbrt(75), 100), 1e-9);
        assertEquals(70, Cubic.wCubic(0, Math.cbrt(75), 100), 1e-9, "W_cubic(0) = cwnd_epoch");
        assertEquals(0.4 * 8 + 100, Cubic.wCubic(2 + Math.cbrt(75), Math.cbrt(75), 100), 1e-9);
    }

    @Test
    void theWindowFollowsTheCubicCurveConcaveThenConvex() {
        // 100 ms and W_max 1000 segments: Reno would need 567 round trips (57 s) to catch up, so the whole
        // stage up to 2K (18 s) is in the cubic region.
        rtt.sample(100 * MS);
        Cubic c = afterLossAt(1000);
        roundTrip(c, 100 * MS);
        double k = Math.cbrt((1000 - 700) / Cubic.C);
        assertEquals(k, c.k(), 1e-9, "K = cbrt(W_max (1 - beta) / C)");
        assertEquals(1000, c.wMax(), 1e-9);
        long start = now - 100 * MS;
        double previousGrowth = Double.MAX_VALUE;
        double minGrowth = Double.MAX_VALUE;
        double before = c.cwnd() / (double) MSS;
        int rounds = 0;
        while ((now - start) / 1e9 < 2 * k) {
            roundTrip(c, 100 * MS);
            rounds++;
            double t = (now - start) / 1e9;
            double w = c.cwnd() / (double) MSS;
            assertTrue(Cubic.wCubic(t, k, 1000) >= c.wEst(), "not Reno-friendly here, t=" + t);
            // Each ACK closes (target - cwnd)/cwnd of the gap to W_cubic(t + RTT) (4.4, 4.5): the window
            // runs between the curve now and the curve one RTT ahead, give or take a segment or two.
            double low = Cubic.wCubic(t, k, 1000);
            double high = Cubic.wCubic(t + 0.1, k, 1000);
            assertTrue(w >= low - 2 && w <= high + 2, "t=" + t + ": " + w + " not in [" + low + ", " + high + "]");
            double growth = w - before;
            before = w;
            if (t < k - 0.3) {
                assertTrue(growth <= previousGrowth + 0.5, "concave below W_max: growth slows, t=" + t);
            }
            minGrowth = Math.min(minGrowth, growth);
            previousGrowth = growth;
        }
        assertTrue(rounds > 170);
        assertTrue(minGrowth < 0.5, "flat near W_max: " + minGrowth);
        assertTrue(previousGrowth > 5, "convex past W_max, probing as fast as it left: " + previousGrowth);
    }

    @Test
    void aboveCwndPriorRenoFriendlyGrowthTakesOverFromAFlatCurve() {
        // W_max 100 at 100 ms: K = 4.2 s, and W_est reaches cwnd_prior after 57 round trips; past that
        // W_est (one segment per round trip) outgrows the curve's plateau and sets the window (4.3).
        rtt.sample(100 * MS);
        Cubic c = afterLossAt(100);
        long start = now;
        boolean friendly = false;
        for (int n = 0; n < 70; n++) {
            roundTrip(c, 100 * MS);
            double t = (now - start) / 1e9;
            if (Cubic.wCubic(t, c.k(), c.wMax()) < c.wEst()) {
                friendly = true;
                assertEquals(c.wEst(), c.cwnd() / (double) MSS, 0.01, "cwnd = W_est, t=" + t);
            }
        }
        assertTrue(friendly);
    }

    @Test
    void shortRoundTripsAreInTheRenoFriendlyRegion() {
        rtt.sample(1 * MS);
        Cubic c = afterLossAt(100);
        long start = now;
        for (int n = 1; n <= 40; n++) {
            roundTrip(c, 1 * MS);
            double t = (now - start) / 1e9;
            double w = c.cwnd() / (double) MSS;
            assertTrue(Cubic.wCubic(t, c.k(), c.wMax()) < c.wEst(), "Reno-friendly: W_cubic < W_est");
            assertEquals(c.wEst(), w, 0.01, "cwnd = W_est");
        }
        // W_est = cwnd_epoch + alpha_cubic per round trip (alpha = 3 (1 - 0.7) / 1.7 = 0.529) below cwnd_prior.
        assertEquals(70 + 40 * Cubic.ALPHA, c.cwnd() / (double) MSS, 1.0);
        assertEquals(3 * 0.3 / 1.7, Cubic.ALPHA, 1e-12);
        for (int n = 0; n < 100; n++) {
            roundTrip(c, 1 * MS);
        }
        double w = c.cwnd() / (double) MSS;
        // 30/0.529 = 57 round trips to cwnd_prior = 100, then one segment per round trip (alpha = 1).
        assertEquals(100 + (140 - 30 / Cubic.ALPHA), w, 2.0);
    }

    @Test
    void fastConvergenceLowersWmaxWhenALossComesBelowIt() {
        rtt.sample(100 * MS);
        Cubic c = afterLossAt(100);
        assertEquals(100, c.wMax(), 1e-9);
        while (c.cwnd() < 80 * MSS) {
            roundTrip(c, 100 * MS);
        }
        long cwnd = c.cwnd();
        for (int i = 0; i < 3; i++) {
            c.onDupAck(1 << 20, 1 << 21, cwnd); // above the last recovery's "recover"
        }
        double w = cwnd / (double) MSS;
        assertEquals(w * (1 + Cubic.BETA) / 2, c.wMax(), 1e-9, "RFC 9438 4.7: W_max = cwnd (1 + beta) / 2");
        assertEquals((long) (cwnd * Cubic.BETA), c.ssthresh());

        Cubic d = afterLossAt(50);
        d.onNewAck(0, MSS, d.cwnd());
        while (d.cwnd() < 60 * MSS) {
            roundTrip(d, 100 * MS);
        }
        long above = d.cwnd();
        for (int i = 0; i < 3; i++) {
            d.onDupAck(1 << 20, 1 << 21, above);
        }
        assertEquals(above / (double) MSS, d.wMax(), 1e-9, "a loss above W_max records the window itself");
    }

    @Test
    void anApplicationLimitedSenderNeitherGrowsNorAdvancesTheCurve() {
        rtt.sample(100 * MS);
        Cubic c = afterLossAt(1000);
        roundTrip(c, 100 * MS);
        long before = c.cwnd();
        double k = c.k();
        // Ten seconds of ACKs for a flight far below cwnd (RFC 9438 5.8): nothing grows.
        for (int i = 0; i < 1000; i++) {
            now += 10 * MS;
            c.onNewAck(i, MSS, 10L * MSS);
        }
        assertEquals(before, c.cwnd());
        // Back to cwnd-limited: the curve resumes where it was, not ten seconds further (1.5 cwnd a round).
        roundTrip(c, 100 * MS);
        double w = c.cwnd() / (double) MSS;
        assertTrue(w < Cubic.wCubic(0.3, k, 1000) + 2, "resumed near W_cubic(0.2 s), not W_cubic(10 s): " + w);
    }

    @Test
    void aTimeoutFallsToOneSegmentWithSsthreshFromBeta() {
        Cubic c = afterLossAt(40);
        c.onTimeout(30_000, 12345);
        assertEquals(MSS, c.cwnd());
        assertEquals(21_000, c.ssthresh());
        c.onNewAck(1, MSS, MSS);
        assertEquals(2 * MSS, c.cwnd(), "slow start again");
    }

    @Test
    void theAlgorithmIsChosenByNameWithAClearError() {
        assertEquals(CongestionControl.Algorithm.CUBIC, CongestionControl.Algorithm.parse(" Cubic "));
        assertEquals(CongestionControl.Algorithm.NEWRENO, CongestionControl.Algorithm.parse("newreno"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CongestionControl.Algorithm.parse("bbr"));
        assertEquals("congestion control must be newreno or cubic, was 'bbr'", e.getMessage());
        assertInstanceOf(Cubic.class, CongestionControl.Algorithm.CUBIC.create(MSS, 0, () -> now, rtt));
        assertInstanceOf(NewReno.class, CongestionControl.Algorithm.NEWRENO.create(MSS, 0, () -> now, rtt));
    }

    @Test
    void aTransferAcrossLossWithCubicArrivesIntact() {
        long bytes = 8 << 20;
        TcpConfig config = TcpLayerTest.config().withCongestionControl(CongestionControl.Algorithm.CUBIC);
        try (SimulatedLink link = new SimulatedLink(250_000, 0.01, 5, config)) {
            App server = link.new App(bytes, 512 * 1024, 11);
            link.b.layer.listen(80, server);
            App client = link.client(link.a, link.b, 40000, 80, bytes, 512 * 1024, 22);
            long steps = 0;
            while (!(client.closed != null && server.closed != null) && steps < 20_000_000) {
                link.step(20_000);
                steps++;
            }
            assertEquals(bytes, server.received);
            assertEquals(bytes, client.received);
            assertEquals(client.sentCrc.getValue(), server.receivedCrc.getValue());
            assertEquals(server.sentCrc.getValue(), client.receivedCrc.getValue());
            assertEquals(CloseReason.NORMAL, client.closed);
            System.out.printf("cubic: 8 MiB each way across 1%% loss in %.2f s simulated, retransmits %d/%d%n",
                    steps * 20e-6, client.tcb.retransmits(), server.tcb.retransmits());
        }
    }
}
