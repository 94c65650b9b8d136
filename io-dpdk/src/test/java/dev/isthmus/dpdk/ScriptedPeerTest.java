package dev.isthmus.dpdk;

import dev.isthmus.dpdk.WirePeer.Got;
import dev.isthmus.dpdk.WirePeer.Seg;
import dev.isthmus.dpdk.net.Wire;
import dev.isthmus.dpdk.tcp.TcpStats.Counter;
import dev.isthmus.stack.ListenOptions;
import dev.isthmus.stack.Listener;
import dev.isthmus.stack.StackOptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetSocketAddress;

import static dev.isthmus.dpdk.tcp.TcpFlags.ACK;
import static dev.isthmus.dpdk.tcp.TcpFlags.PSH;
import static dev.isthmus.dpdk.tcp.TcpFlags.SYN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A dpdk stack's TCP against a {@link WirePeer}: exact segments in through its ring cable, exact segments
 * checked on the way out. SACK (RFC 2018) and SACK-based recovery (RFC 6675), timestamps and PAWS (RFC
 * 7323), window scaling, zero-window probes, as they show on the wire.
 */
@Timeout(60)
class ScriptedPeerTest {
    static final int PEER_PORT = 40000;
    static final int PORT = 80;
    static final int ISN = 0x1000_0000;
    /** The stack's receive buffer is 256 KiB: it offers window shift 3 (RFC 7323 2.3: the least that fits). */
    static final int STACK_SHIFT = 3;

    @BeforeAll
    static void eal() throws Exception {
        TestEal.start();
    }

    /** One stack listening on {@link #PORT} with {@code server} for every connection, and its peer. */
    static final class Bench implements AutoCloseable {
        final DpdkNetworkStack stack;
        final WirePeer peer;
        final Listener listener;
        int tsVal = 100;
        /** After {@link #handshake}: the stack's ISS + 1, our next sequence number, the stack's last TSval. */
        int stackBase;
        int nxt = ISN + 1;
        int stackTs;

        Bench(String cable, String stackIp, StreamClient server, boolean sack) throws Exception {
            this(cable, stackIp, server, sack, ListenOptions.defaults().backlog());
        }

        /** The same, the listener's backlog (its half-open queue) {@code backlog}. */
        Bench(String cable, String stackIp, StreamClient server, boolean sack, int backlog) throws Exception {
            this(cable, stackIp, server, backlog, o -> o.withProperty(DpdkOptions.TCP_SACK, Boolean.toString(sack)));
        }

        /** The same, the stack's options {@code tweak}ed (e.g. a TCP switch). */
        Bench(String cable, String stackIp, StreamClient server, int backlog,
              java.util.function.UnaryOperator<StackOptions> tweak) throws Exception {
            StackOptions o = tweak.apply(RingStacksTest.options(cable, stackIp, 1));
            stack = (DpdkNetworkStack) new DpdkStackProvider().open(o);
            int peerIp = Wire.ip(java.net.InetAddress.getByName(stackIp).getAddress()) ^ 0xFF; // .x -> another host of the /24
            peer = new WirePeer(cable, peerIp, stack);
            listener = stack.listen(new InetSocketAddress(PORT), ListenOptions.defaults().withBacklog(backlog), () -> server);
        }

        /** SYN with MSS {@code mss}, window {@code window}, SACK-permitted and timestamps; SYN-ACK; ACK. Returns the SYN-ACK. */
        Got handshake(int mss, int window, int shift, boolean offerSack) {
            Seg syn = new Seg(PEER_PORT, PORT, ISN, 0, SYN).window(window).mss(mss).ts(tsVal++, 0).windowShift(shift);
            if (offerSack) {
                syn.sackPermitted();
            }
            peer.send(syn);
            Got sa = peer.expect(2000);
            stackBase = sa.seq() + 1;
            stackTs = sa.seg().tsVal();
            peer.send(new Seg(PEER_PORT, PORT, nxt, stackBase, ACK).window(window).ts(tsVal++, stackTs));
            return sa;
        }

        /** Sends {@code len} bytes at {@code nxt + offset} with the next TSval. */
        void data(int offset, int len) {
            peer.send(new Seg(PEER_PORT, PORT, nxt + offset, stackBase, ACK | PSH).window(65535)
                    .ts(tsVal++, stackTs).payload(new byte[len]));
        }

        /** The next segment, which must acknowledge {@code ack} (window updates before it, with the same ack, skipped). */
        Got expectAck(int ack) {
            Got g = peer.expect(2000);
            assertEquals(Integer.toUnsignedString(ack), Integer.toUnsignedString(g.ack()), () -> "ack of " + g);
            stackTs = g.seg().tsVal();
            // A window update may go before the (delayed, 40 ms) ACK of the same segment: the application
            // read in between. The same ACK twice; the second is skipped.
            Got again = peer.next(120);
            if (again != null) {
                Got a = again;
                assertEquals(Integer.toUnsignedString(ack), Integer.toUnsignedString(a.ack()), () -> "second ack " + a);
                assertEquals(0, a.len());
            }
            return g;
        }

        @Override
        public void close() throws Exception {
            try {
                listener.close();
                peer.resetAndDrain(PEER_PORT, PORT, 100);
                assertTrue(stack.tcpDump().lines().noneMatch(l -> l.startsWith("  ")), stack::tcpDump);
                peer.drainWhile(stack::close); // what it sends while closing (RSTs) are mbufs of its pool
            } finally {
                peer.close();
            }
            assertEquals(0, stack.mbufsInUseAtClose());
        }
    }

    static void assertBlocks(Got g, int... edges) {
        StringBuilder want = new StringBuilder();
        for (int i = 0; i < edges.length; i += 2) {
            want.append('[').append(Integer.toUnsignedString(edges[i])).append(',').append(Integer.toUnsignedString(edges[i + 1])).append(')');
        }
        StringBuilder got = new StringBuilder();
        for (int i = 0; i < g.seg().sackBlocks(); i++) {
            got.append('[').append(Integer.toUnsignedString(g.seg().sackStart(i))).append(',')
                    .append(Integer.toUnsignedString(g.seg().sackEnd(i))).append(')');
        }
        assertEquals(want.toString(), got.toString(), () -> "SACK blocks of " + g);
    }

    @Test
    void handshakeAgreesSackTimestampsAndWindowScaleAndTheWindowIsScaledOnTheWire() throws Exception {
        StreamClient server = new StreamClient(0, 1000, false, 1);
        try (Bench b = new Bench("sp1", "198.18.3.2", server, true)) {
            Got sa = b.handshake(1460, 1024, 7, true);
            assertTrue(sa.has(SYN) && sa.has(ACK), sa::toString);
            assertEquals(ISN + 1, sa.ack());
            assertEquals(1460, sa.seg().mss());
            assertTrue(sa.seg().sackPermitted(), "SACK-permitted answered (RFC 2018 2)");
            assertTrue(sa.seg().timestamps(), "timestamps answered (RFC 7323 3.2)");
            assertEquals(100, sa.seg().tsEcr(), "the SYN's TSval echoed");
            assertEquals(STACK_SHIFT, sa.seg().windowShift());
            assertEquals(65535, sa.seg().window(), "a SYN-ACK's window is never scaled (RFC 7323 2.2)");
            b.data(0, 1000);
            Got ack = b.expectAck(ISN + 1 + 1000); // the delayed ACK (40 ms)
            assertEquals(102, ack.seg().tsEcr(), "TS.Recent: the data's TSval echoed (RFC 7323 4.3)");
            assertTrue(Integer.compareUnsigned(ack.seg().tsVal(), sa.seg().tsVal()) >= 0);
            // 256 KiB, read at once by the application: field 32768, shifted by 3.
            assertEquals(256 * 1024 >> STACK_SHIFT, ack.seg().window(), ack::toString);
            assertEquals(1000, server.received);
        }
    }

    @Test
    void outOfOrderDataIsReportedInSackBlocksNewestFirst() throws Exception {
        StreamClient server = new StreamClient(0, 5000, false, 1);
        try (Bench b = new Bench("sp2", "198.18.3.6", server, true)) {
            b.handshake(1460, 65535, 0, true);
            int base = ISN + 1;
            b.data(0, 1000);
            assertBlocks(b.expectAck(base + 1000));
            b.data(2000, 1000); // a hole of 1000 before it
            assertBlocks(b.expectAck(base + 1000), base + 2000, base + 3000);
            b.data(4000, 1000); // a second hole: the newest block first (RFC 2018 4)
            assertBlocks(b.expectAck(base + 1000), base + 4000, base + 5000, base + 2000, base + 3000);
            b.data(1000, 1000); // the first hole fills
            assertBlocks(b.expectAck(base + 3000), base + 4000, base + 5000);
            b.data(3000, 1000);
            assertBlocks(b.expectAck(base + 5000));
            assertEquals(5000, server.received);
        }
    }

    /**
     * Data received twice is reported in a D-SACK block (RFC 2883 4), first, on the ACK it draws, and once:
     * a segment all below RCV.NXT, then one half old and half new, then one below RCV.NXT while a later
     * segment waits beyond a hole (the D-SACK block first, the out-of-order block after it).
     */
    @Test
    void dataReceivedTwiceIsReportedInADsackBlock() throws Exception {
        StreamClient server = new StreamClient(0, 2500, false, 1);
        try (Bench b = new Bench("sp7", "198.18.3.54", server, true)) {
            b.handshake(1460, 65535, 0, true);
            int base = ISN + 1;
            b.data(0, 1000);
            assertBlocks(b.expectAck(base + 1000));
            b.data(0, 1000); // a spurious retransmission
            assertBlocks(b.expectAck(base + 1000), base, base + 1000);
            b.data(500, 1000); // half of it held already
            assertBlocks(b.expectAck(base + 1500), base + 500, base + 1000);
            b.data(2000, 500); // beyond a hole of 500
            assertBlocks(b.expectAck(base + 1500), base + 2000, base + 2500);
            b.data(0, 500);
            assertBlocks(b.expectAck(base + 1500), base, base + 500, base + 2000, base + 2500);
            b.data(1500, 500);
            assertBlocks(b.expectAck(base + 2500));
            assertEquals(2500, server.received);
        }
    }

    /**
     * The stack sends ten segments; the peer lost the second and the seventh and says so in SACK blocks
     * over three duplicate ACKs: the stack resends exactly those two (RFC 6675: the first on entering
     * recovery, the second because three segments above it are SACKed), nothing the peer holds. A stack
     * with SACK off (dpdk.tcp-sack=false) neither offers it nor resends beyond the first hole (NewReno).
     */
    @Test
    void sackBlocksSteerTheRetransmissionAndWithoutSackOnlyTheFirstHoleIsResent() throws Exception {
        for (boolean sack : new boolean[] {true, false}) {
            int mss = 1000 - 12; // the peer's MSS less the timestamps option
            StreamClient server = new StreamClient(10 * mss, 0, false, 1);
            try (Bench b = new Bench(sack ? "sp3" : "sp4", sack ? "198.18.3.10" : "198.18.3.14", server, sack)) {
                Got sa = b.handshake(1000, 65535, -1, true);
                assertEquals(sack, sa.seg().sackPermitted(), "SACK-permitted in the SYN-ACK");
                int[] s = new int[11];
                for (int i = 0; i < 10; i++) {
                    Got g = b.peer.expect(2000);
                    assertEquals(mss, g.len(), g::toString);
                    s[i] = g.seq();
                    assertEquals(b.stackBase + i * mss, s[i], "segment " + i);
                }
                s[10] = s[9] + mss;
                int w = 65535;
                int ts = b.stackTs;
                b.peer.send(new Seg(PEER_PORT, PORT, b.nxt, s[1], ACK).window(w).ts(b.tsVal++, ts));
                b.peer.send(new Seg(PEER_PORT, PORT, b.nxt, s[1], ACK).window(w).ts(b.tsVal++, ts).sack(s[2], s[4]));
                b.peer.send(new Seg(PEER_PORT, PORT, b.nxt, s[1], ACK).window(w).ts(b.tsVal++, ts).sack(s[2], s[6]));
                b.peer.send(new Seg(PEER_PORT, PORT, b.nxt, s[1], ACK).window(w).ts(b.tsVal++, ts).sack(s[7], s[10], s[2], s[6]));
                Got r1 = b.peer.expect(2000);
                assertEquals(Integer.toUnsignedString(s[1]), Integer.toUnsignedString(r1.seq()), () -> "first resend " + r1);
                assertEquals(mss, r1.len());
                if (sack) {
                    Got r2 = b.peer.expect(2000);
                    assertEquals(Integer.toUnsignedString(s[6]), Integer.toUnsignedString(r2.seq()), () -> "second resend " + r2);
                    assertEquals(mss, r2.len());
                    assertEquals(1, b.stack.tcpCounter(Counter.SACK_RETRANSMITS));
                }
                String sent = java.util.Arrays.toString(java.util.Arrays.stream(s).mapToObj(Integer::toUnsignedString).toArray());
                Got extra = b.peer.next(100); // nothing SACKed is sent again (the RTO is 200 ms at least)
                assertEquals(null, extra, () -> (sack ? "SACK" : "NewReno") + ": segments " + sent + ", then " + extra);
                assertEquals(sack ? 2 : 1, b.stack.tcpCounter(Counter.RETRANSMITTED_SEGMENTS));
                b.peer.send(new Seg(PEER_PORT, PORT, b.nxt, s[10], ACK).window(w).ts(b.tsVal++, ts));
                b.peer.expectSilence(50);
            }
        }
    }

    @Test
    void pawsDropsASegmentWithAnOlderTimestamp() throws Exception {
        StreamClient server = new StreamClient(0, 200, false, 1);
        try (Bench b = new Bench("sp5", "198.18.3.18", server, true)) {
            b.handshake(1460, 65535, 0, true);
            int base = ISN + 1;
            b.tsVal = 5000;
            b.data(0, 100);
            b.expectAck(base + 100);
            // The next 100 bytes, but stamped before the last segment: an old duplicate to PAWS (RFC 7323 5).
            b.peer.send(new Seg(PEER_PORT, PORT, base + 100, b.stackBase, ACK | PSH).window(65535)
                    .ts(4000, b.stackTs).payload(new byte[100]));
            Got dup = b.expectAck(base + 100); // at once, not delayed: the ACK of an unacceptable segment
            assertEquals(5000, dup.seg().tsEcr(), "TS.Recent unchanged");
            assertEquals(1, b.stack.tcpCounter(Counter.PAWS_REJECTED));
            assertEquals(100, server.received, "its data was not taken");
            b.data(100, 100); // the same bytes with a current TSval
            b.expectAck(base + 200);
            assertEquals(200, server.received);
        }
    }

    /**
     * The peer closes its window with data still queued at the stack: the stack probes with one byte's
     * sequence number below SND.UNA (an ACK the peer must answer, RFC 9293 3.8.6.1), backing off, and
     * sends again at SND.UNA once the window opens.
     */
    @Test
    void aClosedWindowIsProbedUntilItOpens() throws Exception {
        StreamClient server = new StreamClient(20_000, 0, false, 1);
        try (Bench b = new Bench("sp6", "198.18.3.22", server, true)) {
            b.handshake(1000, 2000, -1, false);
            int mss = 988;
            Got d1 = b.peer.expect(2000);
            Got d2 = b.peer.expect(2000);
            assertEquals(b.stackBase, d1.seq());
            assertEquals(b.stackBase + mss, d2.seq());
            assertEquals(mss, d2.len());
            b.peer.expectSilence(50); // 24 bytes of window left: no sliver (sender SWS avoidance)
            int una = b.stackBase + 2 * mss;
            b.peer.send(new Seg(PEER_PORT, PORT, b.nxt, una, ACK).window(0).ts(b.tsVal++, d2.seg().tsVal()));
            long t0 = System.nanoTime();
            Got p1 = b.peer.expect(3000);
            long first = System.nanoTime() - t0;
            assertEquals(Integer.toUnsignedString(una - 1), Integer.toUnsignedString(p1.seq()), () -> "probe " + p1);
            assertEquals(0, p1.len());
            assertTrue(p1.has(ACK) && !p1.has(SYN));
            b.peer.send(new Seg(PEER_PORT, PORT, b.nxt, una, ACK).window(0).ts(b.tsVal++, p1.seg().tsVal()));
            t0 = System.nanoTime();
            Got p2 = b.peer.expect(5000);
            long second = System.nanoTime() - t0;
            assertEquals(Integer.toUnsignedString(una - 1), Integer.toUnsignedString(p2.seq()), () -> "probe " + p2);
            assertTrue(second > first, "backed off: " + first / 1_000_000 + " ms, then " + second / 1_000_000 + " ms");
            assertTrue(b.stack.tcpCounter(Counter.ZERO_WINDOW_PROBES) >= 2);
            b.peer.send(new Seg(PEER_PORT, PORT, b.nxt, una, ACK).window(3000).ts(b.tsVal++, p2.seg().tsVal()));
            Got d3 = b.peer.expect(2000);
            assertEquals(Integer.toUnsignedString(una), Integer.toUnsignedString(d3.seq()), d3::toString);
            assertEquals(mss, d3.len());
            assertFalse(d3.has(SYN));
        }
    }
}
