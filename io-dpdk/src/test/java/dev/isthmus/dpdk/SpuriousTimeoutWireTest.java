package dev.isthmus.dpdk;

import dev.isthmus.dpdk.ScriptedPeerTest.Bench;
import dev.isthmus.dpdk.WirePeer.Got;
import dev.isthmus.dpdk.WirePeer.Seg;
import dev.isthmus.dpdk.tcp.TcpStats.Counter;
import dev.isthmus.stack.ListenOptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;

import static dev.isthmus.dpdk.ScriptedPeerTest.PEER_PORT;
import static dev.isthmus.dpdk.ScriptedPeerTest.PORT;
import static dev.isthmus.dpdk.tcp.TcpFlags.ACK;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A dpdk sender against a {@link WirePeer} whose ACKs come late or not at all: spurious retransmission
 * timeouts detected and undone (Eifel by timestamps, RFC 3522; D-SACK, RFC 3708; the Eifel response, RFC
 * 4015) and tail loss probes (RFC 8985 7), as they show on the wire. The peer's MSS is 1000, so the stack
 * sends segments of 988 bytes (12 for timestamps) and an initial window of ten.
 */
@Timeout(60)
class SpuriousTimeoutWireTest {
    static final int MSS = 1000 - 12;

    @BeforeAll
    static void eal() throws Exception {
        TestEal.start();
    }

    static Bench bench(String cable, String ip, StreamClient server, boolean tlp) throws Exception {
        return new Bench(cable, ip, server, ListenOptions.defaults().backlog(),
                o -> o.withProperty(DpdkOptions.TCP_TLP, Boolean.toString(tlp)));
    }

    /** The initial window's ten segments, checked in order from the stack's first byte. */
    static Got[] initialWindow(Bench b) {
        Got[] s = new Got[10];
        for (int i = 0; i < 10; i++) {
            s[i] = b.peer.expect(2000);
            assertEquals(MSS, s[i].len(), s[i]::toString);
            assertEquals(b.stackBase + i * MSS, s[i].seq(), "segment " + i);
        }
        return s;
    }

    /** What the stack sends until it is silent for {@code millis}. */
    static List<Got> burst(Bench b, long millis) {
        List<Got> got = new ArrayList<>();
        for (Got g = b.peer.next(millis); g != null; g = b.peer.next(millis)) {
            got.add(g);
        }
        return got;
    }

    static String seqs(List<Got> got, int base) {
        StringBuilder sb = new StringBuilder();
        for (Got g : got) {
            sb.append(' ').append((g.seq() - base) / MSS);
        }
        return sb.toString();
    }

    /**
     * The peer holds the whole window but its ACK of the first half comes after the RTO (a receiver whose
     * reader is slow); that ACK echoes the first segment's TSval, older than the retransmission's: Eifel
     * finds the timeout spurious. The response: cwnd restored (FlightSize + min(acked, IW), RFC 4015) and
     * SND.NXT back at SND.MAX, so the next segments are new data (10..14), not a go-back-N of 5..9 which
     * the peer holds; without it the stack resends 5 and 6 in slow start from one segment.
     */
    @Test
    void aLateAckEchoingTheOriginalTimestampUndoesTheTimeoutAndNoGoBackNFollows() throws Exception {
        StreamClient server = new StreamClient(20 * MSS, 0, false, 1);
        try (Bench b = bench("su1", "198.18.3.26", server, false)) {
            b.handshake(1000, 65535, -1, true);
            Got[] s = initialWindow(b);
            Got rto = b.peer.expect(2000);
            assertEquals(s[0].seq(), rto.seq(), () -> "the RTO resends the first segment: " + rto);
            b.peer.expectSilence(50); // cwnd is one segment
            b.peer.send(new Seg(PEER_PORT, PORT, b.nxt, s[5].seq(), ACK).window(65535).ts(b.tsVal++, s[0].seg().tsVal()));
            List<Got> next = burst(b, 100);
            assertEquals(" 10 11 12 13 14", seqs(next, b.stackBase), "new data after the undo");
            assertEquals(1, b.stack.tcpCounter(Counter.SPURIOUS_TIMEOUTS_BY_TIMESTAMP));
            assertEquals(1, b.stack.tcpCounter(Counter.RETRANSMITTED_SEGMENTS));
            b.peer.send(new Seg(PEER_PORT, PORT, b.nxt, s[0].seq() + 15 * MSS, ACK).window(65535).ts(b.tsVal++, next.get(4).seg().tsVal()));
        }
    }

    /**
     * The peer sends no ACK until the RTO's retransmission arrives, then acknowledges everything and reports
     * the retransmission in a D-SACK block (RFC 2883), echoing its TSval: Eifel cannot tell, D-SACK does
     * (RFC 3708), and cwnd is restored to an initial window: ten new segments go at once instead of two. A
     * peer that sends the same ACK without the D-SACK block (the first segment was lost) gets the two.
     */
    @Test
    void aDsackOfTheOnlyRetransmissionUndoesTheTimeoutAndWithoutItNothingIsUndone() throws Exception {
        for (boolean dsack : new boolean[] {true, false}) {
            StreamClient server = new StreamClient(20 * MSS, 0, false, 1);
            try (Bench b = bench(dsack ? "su2" : "su3", dsack ? "198.18.3.30" : "198.18.3.34", server, false)) {
                b.handshake(1000, 65535, -1, true);
                Got[] s = initialWindow(b);
                Got rto = b.peer.expect(2000);
                assertEquals(s[0].seq(), rto.seq(), rto::toString);
                Seg ack = new Seg(PEER_PORT, PORT, b.nxt, s[0].seq() + 10 * MSS, ACK).window(65535).ts(b.tsVal++, rto.seg().tsVal());
                if (dsack) {
                    ack.sack(s[0].seq(), s[0].seq() + MSS);
                }
                b.peer.send(ack);
                List<Got> next = burst(b, 100);
                assertEquals(dsack ? " 10 11 12 13 14 15 16 17 18 19" : " 10 11", seqs(next, b.stackBase),
                        dsack ? "an initial window of new data after the undo" : "slow start from one segment");
                assertEquals(dsack ? 1 : 0, b.stack.tcpCounter(Counter.SPURIOUS_TIMEOUTS_BY_DSACK));
                assertEquals(dsack ? 1 : 0, b.stack.tcpCounter(Counter.DSACKS_RECEIVED));
                assertEquals(0, b.stack.tcpCounter(Counter.SPURIOUS_TIMEOUTS_BY_TIMESTAMP));
                b.peer.send(new Seg(PEER_PORT, PORT, b.nxt, s[0].seq() + (dsack ? 20 : 12) * MSS, ACK).window(65535)
                        .ts(b.tsVal++, next.getLast().seg().tsVal()));
            }
        }
    }

    /**
     * The stack has sent all it has (ten segments) and no ACK comes: at the PTO, two round trips later and
     * well before the 200 ms RTO, it resends the last segment (RFC 8985 7.3; the RTO would resend the first).
     * The peer had it all: its ACK D-SACKs the probe, no loss, nothing more is sent.
     */
    @Test
    void aTailLossProbeResendsTheLastSegmentBeforeTheRto() throws Exception {
        StreamClient server = new StreamClient(10 * MSS, 0, false, 1);
        try (Bench b = bench("su4", "198.18.3.38", server, true)) {
            b.handshake(1000, 65535, -1, true);
            Got[] s = initialWindow(b);
            Got probe = b.peer.expect(2000);
            assertEquals(s[9].seq(), probe.seq(), () -> "the probe is the last segment: " + probe + "\n" + b.stack.tcpDump());
            assertEquals(MSS, probe.len());
            assertEquals(1, b.stack.tcpCounter(Counter.TAIL_LOSS_PROBES));
            assertEquals(0, b.stack.tcpCounter(Counter.TIMEOUTS));
            b.peer.send(new Seg(PEER_PORT, PORT, b.nxt, s[9].seq() + MSS, ACK).window(65535).ts(b.tsVal++, probe.seg().tsVal())
                    .sack(s[9].seq(), s[9].seq() + MSS));
            b.peer.expectSilence(300);
            assertEquals(0, b.stack.tcpCounter(Counter.TAIL_LOSS_PROBE_REPAIRS));
            assertEquals(1, b.stack.tcpCounter(Counter.DSACKS_RECEIVED));
            assertEquals(1, b.stack.tcpCounter(Counter.RETRANSMITTED_SEGMENTS));
        }
    }

    /**
     * The last two segments are lost: the peer acknowledges eight. The probe (the last segment) arrives and
     * the peer SACKs it above the hole: the stack resends the eighth at once (fast retransmit, RFC 8985 7.4
     * with RFC 6675), not after the RTO; one SACKed segment alone is no IsLost for RFC 6675.
     */
    @Test
    void aProbeSackedAboveAHoleStartsRecoveryWithoutTheRto() throws Exception {
        StreamClient server = new StreamClient(10 * MSS, 0, false, 1);
        try (Bench b = bench("su5", "198.18.3.42", server, true)) {
            b.handshake(1000, 65535, -1, true);
            Got[] s = initialWindow(b);
            b.peer.send(new Seg(PEER_PORT, PORT, b.nxt, s[8].seq(), ACK).window(65535).ts(b.tsVal++, s[7].seg().tsVal()));
            Got probe = b.peer.expect(2000);
            assertEquals(s[9].seq(), probe.seq(), () -> "the probe is the last segment: " + probe);
            b.peer.send(new Seg(PEER_PORT, PORT, b.nxt, s[8].seq(), ACK).window(65535).ts(b.tsVal++, probe.seg().tsVal())
                    .sack(s[9].seq(), s[9].seq() + MSS));
            Got resend = b.peer.expect(2000);
            assertEquals(s[8].seq(), resend.seq(), () -> "the hole below the probe: " + resend);
            assertEquals(0, b.stack.tcpCounter(Counter.TIMEOUTS));
            assertEquals(1, b.stack.tcpCounter(Counter.FAST_RETRANSMITS));
            b.peer.send(new Seg(PEER_PORT, PORT, b.nxt, s[9].seq() + MSS, ACK).window(65535).ts(b.tsVal++, resend.seg().tsVal()));
            b.peer.expectSilence(300);
            assertEquals(2, b.stack.tcpCounter(Counter.RETRANSMITTED_SEGMENTS));
        }
    }

    /**
     * The eighth and ninth of ten segments were sent last; the eighth is lost, the ninth SACKed: one segment
     * above the hole is too little for RFC 6675's IsLost and no more data follows to bring duplicate ACKs.
     * At the PTO the stack resends the eighth by fast recovery (RACK's rule, RFC 8985 6.2, with a longer
     * wait), not after the RTO and not as a probe of the last segment, which the peer holds.
     */
    @Test
    void aHoleBelowSackedDataIsResentAtThePto() throws Exception {
        StreamClient server = new StreamClient(10 * MSS, 0, false, 1);
        try (Bench b = bench("su6", "198.18.3.46", server, true)) {
            b.handshake(1000, 65535, -1, true);
            Got[] s = initialWindow(b);
            b.peer.send(new Seg(PEER_PORT, PORT, b.nxt, s[8].seq(), ACK).window(65535).ts(b.tsVal++, s[7].seg().tsVal())
                    .sack(s[9].seq(), s[9].seq() + MSS));
            Got resend = b.peer.expect(2000);
            assertEquals(s[8].seq(), resend.seq(), () -> "the hole: " + resend);
            assertEquals(0, b.stack.tcpCounter(Counter.TIMEOUTS));
            assertEquals(0, b.stack.tcpCounter(Counter.TAIL_LOSS_PROBES));
            assertEquals(1, b.stack.tcpCounter(Counter.FAST_RETRANSMITS));
            b.peer.send(new Seg(PEER_PORT, PORT, b.nxt, s[9].seq() + MSS, ACK).window(65535).ts(b.tsVal++, resend.seg().tsVal()));
            b.peer.expectSilence(300);
        }
    }

    /**
     * In SACK recovery the fast retransmission of the second segment is lost too: the peer SACKs a segment
     * first sent after that retransmission while still acknowledging only the first. The stack resends the
     * second segment at once (RFC 8985 6.2's time order; Linux's lost-retransmit detection) instead of
     * waiting for the RTO, before any more new data.
     */
    @Test
    void aLostFastRetransmissionIsResentWhenLaterDataIsSacked() throws Exception {
        StreamClient server = new StreamClient(40 * MSS, 0, false, 1);
        try (Bench b = bench("su7", "198.18.3.50", server, false)) {
            b.handshake(1000, 65535, -1, true);
            Got[] s = initialWindow(b);
            int s1 = s[1].seq();
            int ecr = s[0].seg().tsVal();
            b.peer.send(new Seg(PEER_PORT, PORT, b.nxt, s1, ACK).window(65535).ts(b.tsVal++, ecr));
            for (int k = 3; k <= 5; k++) {
                b.peer.send(new Seg(PEER_PORT, PORT, b.nxt, s1, ACK).window(65535).ts(b.tsVal++, ecr).sack(s[2].seq(), s[0].seq() + k * MSS));
            }
            List<Got> first = burst(b, 50);
            int maxEnd = s[9].seq() + MSS;
            boolean resent = false;
            for (Got g : first) {
                resent |= g.seq() == s1;
                maxEnd = Integer.compareUnsigned(g.seq() + g.len(), maxEnd) > 0 ? g.seq() + g.len() : maxEnd;
            }
            assertEquals(true, resent, () -> "fast retransmit of the second segment in" + seqs(first, b.stackBase));
            // Everything but the second segment arrived: new data may go, nothing is resent.
            b.peer.send(new Seg(PEER_PORT, PORT, b.nxt, s1, ACK).window(65535).ts(b.tsVal++, ecr).sack(s[2].seq(), maxEnd));
            List<Got> fresh = burst(b, 50);
            int sentAfter = maxEnd;
            assertEquals(false, fresh.isEmpty(), "new data in recovery");
            for (Got g : fresh) {
                assertEquals(true, Integer.compareUnsigned(g.seq(), sentAfter) >= 0, () -> "new data only:" + seqs(fresh, b.stackBase));
            }
            // The first of those arrived, the retransmission still not: it was lost.
            b.peer.send(new Seg(PEER_PORT, PORT, b.nxt, s1, ACK).window(65535).ts(b.tsVal++, ecr).sack(s[2].seq(), sentAfter + MSS));
            Got again = b.peer.expect(2000);
            assertEquals(s1, again.seq(), () -> "the lost retransmission: " + again);
            assertEquals(0, b.stack.tcpCounter(Counter.TIMEOUTS));
            assertEquals(1, b.stack.tcpCounter(Counter.LOST_RETRANSMISSIONS));
        }
    }
}
