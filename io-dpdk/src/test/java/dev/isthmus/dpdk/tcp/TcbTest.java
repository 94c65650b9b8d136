package dev.isthmus.dpdk.tcp;

import dev.isthmus.dpdk.tcp.TcbHarness.Seg;
import dev.isthmus.dpdk.tcp.TcpStats.Counter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static dev.isthmus.dpdk.tcp.TcpFlags.ACK;
import static dev.isthmus.dpdk.tcp.TcpFlags.FIN;
import static dev.isthmus.dpdk.tcp.TcpFlags.PSH;
import static dev.isthmus.dpdk.tcp.TcpFlags.RST;
import static dev.isthmus.dpdk.tcp.TcpFlags.SYN;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The TCB against a scripted peer: exact segments in, exact segments out, the clock set by the test. */
class TcbTest {
    static final int ISS = 5000;
    static final int IRS = 1000;
    static final long MS = 1_000_000L;
    TcbHarness h;

    @AfterEach
    void close() {
        if (h != null) {
            h.close();
        }
    }

    /** Passive open with a peer MSS of 1000 and no window scaling; returns the established harness. */
    TcbHarness established(int peerWindow) {
        h = new TcbHarness(ISS);
        h.tcb.acceptSyn(synFromPeer(h, 1000, -1));
        Seg synAck = h.next();
        assertEquals(SYN | ACK, synAck.flags());
        h.advance(10 * MS); // a 10 ms round trip: the RTO is the 200 ms floor
        h.peer(ACK, IRS + 1, ISS + 1, peerWindow);
        assertEquals(200 * MS, h.tcb.rtoNanos());
        assertEquals(TcpState.ESTABLISHED, h.tcb.state());
        return h;
    }

    @Test
    void passiveOpenAnswersSynAckWithOptionsThenEstablishes() {
        h = new TcbHarness(ISS);
        TcpSegment syn = synFromPeer(h, 1460, 7);
        h.tcb.acceptSyn(syn);
        assertEquals(TcpState.SYN_RECEIVED, h.tcb.state());
        Seg s = h.next();
        assertEquals(SYN | ACK, s.flags());
        assertEquals(ISS, s.seq());
        assertEquals(IRS + 1, s.ack());
        assertEquals(1460, s.mss());
        assertEquals(1, s.windowShift(), "64 KiB buffer: shift 1");
        assertEquals(0xFFFF, s.window(), "a SYN-ACK's window is not scaled");
        h.nothingSent();
        h.peer(ACK, IRS + 1, ISS + 1, 1000);
        assertEquals(TcpState.ESTABLISHED, h.tcb.state());
        assertEquals(java.util.List.of("established"), h.events);
        assertEquals(1000L << 7, h.tcb.sndWnd(), "the peer's window scaled by its shift");
        assertEquals(1460, h.tcb.sndMss());
        h.nothingSent();
    }

    @Test
    void synAckEchoesNoWindowScaleWhenThePeerOfferedNone() {
        h = new TcbHarness(ISS);
        h.tcb.acceptSyn(synFromPeer(h, 1200, -1));
        Seg s = h.next();
        assertEquals(-1, s.windowShift());
        assertEquals(1200, h.tcb.sndMss(), "MSS: the smaller of the peer's and ours");
        assertEquals(0, h.tcb.receiveWindowShift());
    }

    @Test
    void activeOpenSendsSynAndAcksTheSynAck() {
        h = new TcbHarness(ISS);
        h.tcb.connect();
        Seg syn = h.next();
        assertEquals(SYN, syn.flags());
        assertEquals(ISS, syn.seq());
        assertEquals(1460, syn.mss());
        assertEquals(1, syn.windowShift());
        h.advance(3 * MS);
        h.peer(SYN | ACK, IRS, ISS + 1, 2000, new byte[0], 1400, 2);
        Seg ack = h.next();
        assertEquals(ACK, ack.flags());
        assertEquals(ISS + 1, ack.seq());
        assertEquals(IRS + 1, ack.ack());
        assertEquals(TcpState.ESTABLISHED, h.tcb.state());
        assertEquals(2000, h.tcb.sndWnd(), "the SYN-ACK's window is not scaled");
        assertEquals(3 * MS, h.tcb.srttNanos(), "handshake timed");
        h.peer(ACK, IRS + 1, ISS + 1, 2000);
        assertEquals(8000, h.tcb.sndWnd(), "later windows are scaled");
    }

    @Test
    void synIsRetransmittedWithBackoffThenTheAttemptTimesOut() {
        h = new TcbHarness(ISS);
        h.tcb.connect();
        h.next();
        long rto = 1000 * MS;
        for (int i = 0; i < 6; i++) {
            h.advance(rto - MS);
            h.nothingSent();
            h.advance(2 * MS);
            Seg s = h.next();
            assertEquals(SYN, s.flags());
            assertEquals(ISS, s.seq());
            rto *= 2;
        }
        h.advance(rto + MS);
        assertEquals(CloseReason.TIMED_OUT, h.closed);
        h.nothingSent();
    }

    @Test
    void resetAnsweringSynMeansRefused() {
        h = new TcbHarness(ISS);
        h.tcb.connect();
        h.next();
        h.peer(RST | ACK, 0, ISS + 7, 0); // unacceptable ACK: ignored
        assertNull(h.closed);
        h.peer(RST | ACK, 0, ISS + 1, 0);
        assertEquals(CloseReason.REFUSED, h.closed);
        assertEquals(TcpState.CLOSED, h.tcb.state());
    }

    @Test
    void simultaneousOpen() {
        h = new TcbHarness(ISS);
        h.tcb.connect();
        h.next();
        h.peer(SYN, IRS, 0, 4000, new byte[0], 1000, -1); // the peer's own SYN crosses ours
        Seg synAck = h.next();
        assertEquals(SYN | ACK, synAck.flags());
        assertEquals(ISS, synAck.seq());
        assertEquals(IRS + 1, synAck.ack());
        assertEquals(TcpState.SYN_RECEIVED, h.tcb.state());
        h.peer(SYN | ACK, IRS, ISS + 1, 4000, new byte[0], 1000, -1); // its SYN-ACK: old sequence, ACKed
        Seg ack = h.next();
        assertEquals(ACK, ack.flags());
        assertEquals(IRS + 1, ack.ack());
        h.peer(ACK, IRS + 1, ISS + 1, 4000);
        assertEquals(TcpState.ESTABLISHED, h.tcb.state());
        assertEquals(java.util.List.of("established"), h.events);
    }

    @Test
    void sendBufferBoundsTheBytesInFlight() {
        established(10000);
        h.tcb.setSendBuffer(1500); // SO_SNDBUF
        h.write(TcbHarness.bytes(2500, 1));
        assertEquals(1000, h.next().data().length);
        // 500 more would fit the buffer, but not a full segment: sender SWS avoidance holds the sliver.
        h.nothingSent();
        h.peer(ACK, IRS + 1, ISS + 1001, 10000);
        Seg second = h.next();
        assertEquals(ISS + 1001, second.seq());
        assertEquals(1000, second.data().length);
        Seg third = h.next();
        assertEquals(ISS + 2001, third.seq());
        assertEquals(500, third.data().length, "the tail: 1500 bytes in flight, the buffer's bound");
        h.nothingSent();
        assertEquals(1500, h.tcb.sendBuffer());
    }

    @Test
    void receiveBufferSetBeforeConnectChoosesTheWindowShift() {
        h = new TcbHarness(ISS);
        h.tcb.setReceiveBuffer(1 << 20); // SO_RCVBUF of 1 MiB before the SYN
        h.tcb.connect();
        Seg syn = h.next();
        assertEquals(SYN, syn.flags());
        assertEquals(5, syn.windowShift(), "1 MiB needs shift 5 (65535 << 4 is less)");
        assertEquals(1 << 20, h.tcb.receiveBuffer());
    }

    @Test
    void dataIsCutToTheMssAndReleasedWhenAcknowledged() {
        established(10000);
        byte[] data = TcbHarness.bytes(2500, 1);
        h.write(data);
        Seg a = h.next();
        Seg b = h.next();
        Seg c = h.next();
        h.nothingSent();
        assertEquals(ISS + 1, a.seq());
        assertEquals(1000, a.data().length);
        assertEquals(ISS + 1001, b.seq());
        assertEquals(ISS + 2001, c.seq());
        assertEquals(500, c.data().length);
        assertTrue(c.has(PSH), "the last segment of the write pushes");
        assertFalse(a.has(PSH));
        byte[] all = new byte[2500];
        System.arraycopy(a.data(), 0, all, 0, 1000);
        System.arraycopy(b.data(), 0, all, 1000, 1000);
        System.arraycopy(c.data(), 0, all, 2000, 500);
        assertArrayEquals(data, all);
        assertEquals(2500, h.out.unacknowledgedBytes());
        h.peer(ACK, IRS + 1, ISS + 2001, 10000);
        assertEquals(2000, h.acknowledged);
        assertEquals(500, h.out.pendingBytes());
        h.peer(ACK, IRS + 1, ISS + 2501, 10000);
        assertEquals(0, h.out.pendingBytes());
        assertEquals(0, h.pool.inUse(), "acknowledged buffers went back to the pool");
    }

    @Test
    void receivedDataIsDeliveredAndAckedEverySecondSegmentOrAfterTheDelay() {
        established(10000);
        byte[] one = TcbHarness.bytes(1000, 2);
        byte[] two = TcbHarness.bytes(1000, 3);
        h.peer(ACK, IRS + 1, ISS + 1, 10000, one);
        h.nothingSent();
        h.peer(ACK, IRS + 1001, ISS + 1, 10000, two);
        Seg ack = h.next();
        assertEquals(IRS + 2001, ack.ack());
        byte[] three = TcbHarness.bytes(10, 4);
        h.peer(ACK | PSH, IRS + 2001, ISS + 1, 10000, three);
        h.nothingSent();
        h.advance(39 * MS);
        h.nothingSent();
        h.advance(2 * MS);
        assertEquals(IRS + 2011, h.next().ack(), "the delayed ACK, 40 ms later");
        byte[] expected = new byte[2010];
        System.arraycopy(one, 0, expected, 0, 1000);
        System.arraycopy(two, 0, expected, 1000, 1000);
        System.arraycopy(three, 0, expected, 2000, 10);
        assertArrayEquals(expected, h.received.toByteArray());
        assertEquals(1, h.stats.get(Counter.DELAYED_ACKS));
    }

    @Test
    void outOfOrderDataIsKeptUntilTheHoleFillsAndDuplicatesAreAcked() {
        established(10000);
        byte[] stream = TcbHarness.bytes(3000, 1); // what the peer sends, at IRS + 1 + index
        h.peer(ACK, IRS + 1001, ISS + 1, 10000, slice(stream, 1000, 500)); // a hole before it
        assertEquals(IRS + 1, h.next().ack(), "a duplicate ACK at once");
        assertEquals(0, h.received.size());
        h.peer(ACK, IRS + 1, ISS + 1, 10000, slice(stream, 0, 300));
        h.peer(ACK, IRS + 1, ISS + 1, 10000, slice(stream, 0, 300)); // again: all old
        assertEquals(IRS + 301, h.next().ack());
        h.peer(ACK, IRS + 201, ISS + 1, 10000, slice(stream, 200, 200)); // half old: the new half taken
        assertEquals(400, h.received.size());
        h.sent.clear();
        h.peer(ACK, IRS + 2001, ISS + 1, 10000, slice(stream, 2000, 100)); // a second range
        h.peer(ACK, IRS + 1401, ISS + 1, 10000, slice(stream, 1400, 300)); // overlaps the first
        h.sent.clear();
        h.peer(ACK, IRS + 401, ISS + 1, 10000, slice(stream, 400, 600)); // fills the hole up to IRS + 1001
        assertEquals(IRS + 1701, h.next().ack(), "the kept ranges up to the next hole follow at once");
        assertArrayEquals(slice(stream, 0, 1700), h.received.toByteArray());
        assertEquals(3, h.stats.get(Counter.OUT_OF_ORDER_QUEUED));
        h.peer(ACK, IRS + 1701, ISS + 1, 10000, slice(stream, 1700, 300));
        assertArrayEquals(slice(stream, 0, 2100), h.received.toByteArray());
    }

    static byte[] slice(byte[] b, int from, int len) {
        return Arrays.copyOfRange(b, from, from + len);
    }

    @Test
    void retransmissionTimeoutGoesBackToTheFirstUnacknowledgedByteAndBacksOff() {
        established(10000);
        h.write(TcbHarness.bytes(3000, 5));
        h.sent.clear();
        long cwndBefore = h.tcb.cwnd();
        h.advance(199 * MS);
        h.nothingSent();
        h.advance(2 * MS);
        Seg r = h.next();
        assertEquals(ISS + 1, r.seq());
        assertEquals(1000, r.data().length);
        h.nothingSent(); // a loss window of one segment
        assertEquals(1000, h.tcb.cwnd());
        assertTrue(cwndBefore > 1000);
        assertEquals(400 * MS, h.tcb.rtoNanos(), "RTO doubled (RFC 6298 5.5)");
        h.peer(ACK, IRS + 1, ISS + 1001, 10000); // slow start again: two segments
        Seg s2 = h.next();
        Seg s3 = h.next();
        assertEquals(ISS + 1001, s2.seq());
        assertEquals(ISS + 2001, s3.seq());
        assertEquals(3, h.tcb.retransmits(), "the three resent segments count as retransmissions");
        h.peer(ACK, IRS + 1, ISS + 3001, 10000);
        assertEquals(0, h.out.pendingBytes());
        assertEquals(1, h.stats.get(Counter.TIMEOUTS));
    }

    @Test
    void ackBeyondTheRewoundCursorMovesIt() {
        established(10000);
        h.write(TcbHarness.bytes(3000, 5));
        h.sent.clear();
        h.advance(201 * MS);
        h.next(); // first segment again
        h.peer(ACK, IRS + 1, ISS + 3001, 10000); // the original segments had arrived after all
        assertEquals(0, h.out.pendingBytes());
        assertEquals(ISS + 3001, h.tcb.sndNxt());
        h.nothingSent();
    }

    @Test
    void afterARewindAPureAckCarriesTheHighestSequenceSent() {
        established(10000);
        h.write(TcbHarness.bytes(3000, 5));
        h.sent.clear();
        h.advance(201 * MS);
        assertEquals(ISS + 1, h.next().seq()); // go-back-N: SND.NXT is back at ISS + 1001
        // The peer got all 3000 bytes (its RCV.NXT is ISS + 3001); its ACKs were lost. A duplicate from it
        // is answered at once, with a sequence number the peer accepts: below ISS + 3001 it would drop the
        // ACK (RFC 9293 3.10.7.4), and with both sides rewound neither would ever move again.
        h.peer(ACK, IRS + 1, ISS + 1, 10000, TcbHarness.bytes(100, 6));
        h.peer(ACK, IRS + 1, ISS + 1, 10000, TcbHarness.bytes(100, 6));
        Seg ack = h.sent.peekLast();
        assertEquals(ISS + 3001, ack.seq(), "SND.MAX, not the rewound SND.NXT");
        assertEquals(IRS + 101, ack.ack());
        assertEquals(0, ack.data().length);
    }

    @Test
    void threeDuplicateAcksFastRetransmitAndNewRenoRecovers() {
        established(60000);
        h.write(TcbHarness.bytes(6000, 7));
        assertEquals(6, h.sent.size());
        h.sent.clear();
        h.peer(ACK, IRS + 1, ISS + 1001, 60000); // segment 2 lost: its successors produce dup ACKs
        h.nothingSent();
        h.peer(ACK, IRS + 1, ISS + 1001, 60000);
        h.peer(ACK, IRS + 1, ISS + 1001, 60000);
        h.nothingSent();
        h.peer(ACK, IRS + 1, ISS + 1001, 60000);
        Seg r = h.next();
        assertEquals(ISS + 1001, r.seq());
        assertEquals(1000, r.data().length);
        h.nothingSent();
        assertEquals(1, h.stats.get(Counter.FAST_RETRANSMITS));
        assertEquals(ISS + 6001, h.tcb.sndNxt(), "the cursor went back where it was");
        // A partial ACK (segment 4 was lost too): segment 4 at once (RFC 6582).
        h.peer(ACK, IRS + 1, ISS + 3001, 60000);
        Seg r2 = h.next();
        assertEquals(ISS + 3001, r2.seq());
        h.peer(ACK, IRS + 1, ISS + 6001, 60000);
        assertEquals(0, h.out.pendingBytes());
        assertEquals(0, h.stats.get(Counter.TIMEOUTS));
    }

    @Test
    void limitedTransmitSendsNewDataOnTheFirstTwoDuplicateAcks() {
        established(60000);
        h.write(TcbHarness.bytes(13000, 8));
        assertEquals(10, h.sent.size(), "IW10 of 1000-byte segments");
        h.sent.clear();
        // Segment 1 lost. RFC 3042: each of the first two duplicate ACKs sends one new segment beyond cwnd,
        // so that a small window still brings the third duplicate ACK.
        h.peer(ACK, IRS + 1, ISS + 1, 60000);
        Seg first = h.next();
        assertEquals(ISS + 10001, first.seq());
        h.nothingSent();
        h.peer(ACK, IRS + 1, ISS + 1, 60000);
        assertEquals(ISS + 11001, h.next().seq());
        h.nothingSent();
        h.peer(ACK, IRS + 1, ISS + 1, 60000);
        Seg r = h.next();
        assertEquals(ISS + 1, r.seq(), "the third: fast retransmit, no more new data");
        assertEquals(1, h.stats.get(Counter.FAST_RETRANSMITS));
        assertEquals(ISS + 12001, h.tcb.sndNxt());
    }

    @Test
    void aFullAckEndingRecoveryLeavesAWindowOfTwoSegmentsNotOne() {
        established(60000);
        h.write(TcbHarness.bytes(10000, 9));
        assertEquals(10, h.sent.size());
        h.sent.clear();
        for (int i = 0; i < 3; i++) {
            h.peer(ACK, IRS + 1, ISS + 1, 60000); // segment 1 lost, no new data to send meanwhile
        }
        assertEquals(ISS + 1, h.next().seq());
        h.nothingSent();
        h.write(TcbHarness.bytes(5000, 10));
        h.nothingSent(); // ssthresh 5000 + 3 MSS is below the flight of 10000
        h.peer(ACK, IRS + 1, ISS + 10001, 60000); // the full ACK: nothing left in flight
        // RFC 6582 3.2 step 3: cwnd = min(ssthresh, max(FlightSize, SMSS) + SMSS) = 2 segments. One lone
        // segment would wait for a delayed ACK, and its loss could bring no duplicate ACK, only the RTO.
        assertEquals(ISS + 10001, h.next().seq());
        assertEquals(ISS + 11001, h.next().seq());
        h.nothingSent();
    }

    @Test
    void resetWithTheExactSequenceClosesOtherwiseChallengeAck() {
        established(10000);
        h.peer(RST, IRS + 100, 0, 0);
        Seg challenge = h.next();
        assertEquals(ACK, challenge.flags());
        assertEquals(IRS + 1, challenge.ack());
        assertNull(h.closed);
        h.peer(RST, IRS + 1, 0, 0);
        assertEquals(CloseReason.RESET, h.closed);
        h.nothingSent();
    }

    @Test
    void synOnAnEstablishedConnectionGetsAChallengeAck() {
        established(10000);
        h.peer(SYN, IRS + 1, 0, 10000, new byte[0], 1000, -1);
        assertEquals(ACK, h.next().flags());
        assertEquals(TcpState.ESTABLISHED, h.tcb.state());
    }

    @Test
    void halfCloseSendsFinAfterTheDataAndKeepsReceivingThenTimeWaitExpires() {
        established(10000);
        byte[] data = TcbHarness.bytes(1500, 1);
        h.out.write(data, 0, data.length); // written and closed before the TCB had a chance to send
        h.tcb.shutdownOutput();
        assertEquals(TcpState.FIN_WAIT_1, h.tcb.state());
        Seg a = h.next();
        Seg b = h.next();
        assertEquals(1000, a.data().length);
        assertEquals(500, b.data().length);
        assertTrue(b.has(FIN), "FIN rides on the last data");
        h.peer(ACK, IRS + 1, ISS + 1502, 10000);
        assertEquals(TcpState.FIN_WAIT_2, h.tcb.state());
        h.peer(ACK, IRS + 1, ISS + 1502, 10000, TcbHarness.bytes(700, 2)); // still reading
        assertEquals(700, h.received.size());
        h.peer(ACK | FIN, IRS + 701, ISS + 1502, 10000);
        Seg ack = h.next();
        assertEquals(IRS + 702, ack.ack());
        assertEquals(TcpState.TIME_WAIT, h.tcb.state());
        assertTrue(h.events.contains("fin"));
        h.peer(ACK | FIN, IRS + 701, ISS + 1502, 10000); // a retransmitted FIN: ACKed, 2MSL again
        assertEquals(IRS + 702, h.next().ack());
        h.advance(59_999 * MS);
        assertNull(h.closed);
        h.advance(2 * MS);
        assertEquals(CloseReason.NORMAL, h.closed);
    }

    @Test
    void aClosedConnectionWaitsInFinWait2AtMostTheFinTimeoutAndResetsNewData() {
        established(10000);
        h.tcb.close();
        h.next();
        h.peer(ACK, IRS + 1, ISS + 2, 10000);
        assertEquals(TcpState.FIN_WAIT_2, h.tcb.state());
        h.advance(59_999 * MS);
        assertNull(h.closed);
        h.advance(2 * MS);
        assertEquals(CloseReason.NORMAL, h.closed, "the peer never sent FIN: gone after tcp_fin_timeout");
    }

    @Test
    void dataForAClosedConnectionIsAnsweredWithReset() {
        established(10000);
        h.tcb.close();
        h.next();
        h.peer(ACK, IRS + 1, ISS + 2, 10000, TcbHarness.bytes(10, 1));
        assertEquals(RST, h.next().flags());
        assertEquals(CloseReason.ABORTED, h.closed);
    }

    @Test
    void passiveCloseGoesThroughCloseWaitAndLastAck() {
        established(10000);
        h.peer(ACK | FIN, IRS + 1, ISS + 1, 10000);
        assertEquals(IRS + 2, h.next().ack());
        assertEquals(TcpState.CLOSE_WAIT, h.tcb.state());
        h.write(TcbHarness.bytes(100, 3)); // the half-closed peer still reads
        assertEquals(100, h.next().data().length);
        h.tcb.shutdownOutput();
        Seg fin = h.next();
        assertEquals(FIN | ACK, fin.flags());
        assertEquals(ISS + 101, fin.seq());
        assertEquals(TcpState.LAST_ACK, h.tcb.state());
        h.peer(ACK, IRS + 2, ISS + 102, 10000);
        assertEquals(CloseReason.NORMAL, h.closed);
    }

    @Test
    void simultaneousCloseGoesThroughClosing() {
        established(10000);
        h.tcb.shutdownOutput();
        Seg fin = h.next();
        assertEquals(FIN | ACK, fin.flags());
        h.peer(ACK | FIN, IRS + 1, ISS + 1, 10000); // its FIN, not acknowledging ours
        assertEquals(TcpState.CLOSING, h.tcb.state());
        assertEquals(IRS + 2, h.next().ack());
        h.peer(ACK, IRS + 2, ISS + 2, 10000);
        assertEquals(TcpState.TIME_WAIT, h.tcb.state());
    }

    @Test
    void finIsRetransmittedOnTimeout() {
        established(10000);
        h.tcb.shutdownOutput();
        h.next();
        h.advance(201 * MS);
        Seg again = h.next();
        assertEquals(FIN | ACK, again.flags());
        assertEquals(ISS + 1, again.seq());
        h.peer(ACK, IRS + 1, ISS + 2, 10000);
        assertEquals(TcpState.FIN_WAIT_2, h.tcb.state());
    }

    @Test
    void abortSendsReset() {
        established(10000);
        h.write(TcbHarness.bytes(10, 1));
        h.next();
        h.tcb.abort();
        Seg rst = h.next();
        assertEquals(RST, rst.flags());
        assertEquals(ISS + 11, rst.seq());
        assertEquals(CloseReason.ABORTED, h.closed);
    }

    @Test
    void nagleHoldsSmallSegmentsWhileDataIsUnacknowledgedUnlessNoDelay() {
        established(10000);
        h.write(TcbHarness.bytes(10, 1));
        assertEquals(10, h.next().data().length);
        h.write(TcbHarness.bytes(10, 2));
        h.write(TcbHarness.bytes(10, 3));
        h.nothingSent();
        h.peer(ACK, IRS + 1, ISS + 11, 10000);
        assertEquals(20, h.next().data().length, "the held bytes coalesced");
        h.tcb.setNoDelay(true);
        h.write(TcbHarness.bytes(10, 4));
        assertEquals(10, h.next().data().length, "TCP_NODELAY: sent with data in flight");
    }

    @Test
    void windowScalingAppliesBothWays() {
        h = new TcbHarness(ISS, new TcpConfig(1500, 1 << 20, 40 * MS, 60_000 * MS, 15, 6));
        h.tcb.acceptSyn(synFromPeer(h, 1460, 3));
        Seg synAck = h.next();
        assertEquals(5, synAck.windowShift(), "1 MiB needs a shift of 5");
        h.peer(ACK, IRS + 1, ISS + 1, 100);
        assertEquals(800, h.tcb.sndWnd());
        h.peer(ACK, IRS + 1, ISS + 1, 100, TcbHarness.bytes(1000, 1));
        h.peer(ACK, IRS + 1001, ISS + 1, 100, TcbHarness.bytes(1000, 1));
        Seg ack = h.next();
        assertEquals(((1 << 20) - 2000 + 31) >> 5, ack.window(), "our window, scaled by 5");
        h.write(TcbHarness.bytes(2000, 1));
        assertEquals(800, h.next().data().length, "the peer's 800-byte window limits the segment");
    }

    @Test
    void zeroWindowIsProbedUntilItOpens() {
        established(1000);
        h.write(TcbHarness.bytes(1000, 1));
        h.next();
        h.peer(ACK, IRS + 1, ISS + 1001, 0); // all taken, window closed
        h.write(TcbHarness.bytes(500, 2));
        h.nothingSent();
        h.advance(201 * MS);
        Seg probe = h.next();
        assertEquals(ISS + 1000, probe.seq(), "a probe with an old sequence number");
        assertEquals(0, probe.data().length);
        h.peer(ACK, IRS + 1, ISS + 1001, 0);
        h.advance(201 * MS);
        h.nothingSent();
        h.advance(200 * MS);
        h.next(); // backed off: twice the RTO
        h.peer(ACK, IRS + 1, ISS + 1001, 1000); // a window update
        Seg data = h.next();
        assertEquals(500, data.data().length);
        assertEquals(ISS + 1001, data.seq());
        assertEquals(2, h.stats.get(Counter.ZERO_WINDOW_PROBES));
        assertNull(h.closed);
    }

    @Test
    void fullReceiveBufferClosesTheWindowAndReadingReopensIt() {
        h = new TcbHarness(ISS, new TcpConfig(1500, 4000, 40 * MS, 60_000 * MS, 15, 6));
        h.tcb.acceptSyn(synFromPeer(h, 1000, -1));
        assertEquals(4000, h.next().window());
        h.peer(ACK, IRS + 1, ISS + 1, 10000);
        for (int i = 0; i < 4; i++) {
            h.peer(ACK, IRS + 1 + i * 1000, ISS + 1, 10000, TcbHarness.bytes(1000, i));
        }
        h.sent.clear();
        h.peer(ACK, IRS + 4001, ISS + 1, 10000, TcbHarness.bytes(1000, 9)); // beyond the window: dropped
        Seg ack = h.next();
        assertEquals(0, ack.window());
        assertEquals(IRS + 4001, ack.ack());
        assertEquals(4000, h.received.size());
        h.tcb.consumed(500);
        h.nothingSent(); // under min(MSS, buffer/2): no update (receiver SWS avoidance)
        h.tcb.consumed(1500);
        Seg update = h.next();
        assertEquals(2000, update.window());
    }

    @Test
    void bytesTheScaledWindowRoundedUpAreTakenSoThePeersAcksStayInTheWindow() {
        h = new TcbHarness(ISS, new TcpConfig(1500, 70_001, 40 * MS, 60_000 * MS, 15, 6)); // shift 1
        h.tcb.acceptSyn(synFromPeer(h, 1000, 0));
        h.next();
        h.peer(ACK, IRS + 1, ISS + 1, 10000);
        int seq = IRS + 1;
        for (int sent = 0; sent < 70_000; sent += 1000) {
            h.peer(ACK, seq, ISS + 1, 10000, TcbHarness.bytes(1000, sent));
            seq += 1000;
        }
        h.sent.clear();
        h.tcb.sendAck();
        Seg ack = h.next();
        assertEquals(1, ack.window(), "1 free byte, rounded up to one unit of 2 bytes");
        h.peer(ACK, seq, ISS + 1, 10000, TcbHarness.bytes(2, 0)); // the peer fills the 2 bytes offered
        assertEquals(seq + 2, h.tcb.rcvNxt(), "both taken");
        assertEquals(70_002, h.received.size());
        h.write(TcbHarness.bytes(10, 1));
        h.next();
        h.peer(ACK, seq + 2, ISS + 11, 10000); // its ACK, at the right edge of a closed window, is read
        assertEquals(0, h.out.pendingBytes());
    }

    @Test
    void keepaliveProbesAnIdlePeerAndGivesUp() {
        established(10000);
        h.tcb.setKeepalive(10_000 * MS, 1000 * MS, 3);
        h.advance(10_001 * MS);
        Seg probe = h.next();
        assertEquals(ISS, probe.seq(), "SND.NXT - 1");
        h.peer(ACK, IRS + 1, ISS + 1, 10000); // answered: idle again
        h.advance(1001 * MS);
        h.nothingSent();
        h.advance(9001 * MS);
        h.next();
        h.advance(1001 * MS);
        h.next();
        h.advance(1001 * MS);
        h.next();
        h.advance(1001 * MS);
        assertEquals(RST, h.next().flags());
        assertEquals(CloseReason.TIMED_OUT, h.closed);
    }

    @Test
    void dataIsRetriedUntilTheLimitThenReset() {
        h = new TcbHarness(ISS, new TcpConfig(1500, 65536, 40 * MS, 60_000 * MS, 3, 6));
        h.tcb.acceptSyn(synFromPeer(h, 1000, -1));
        h.next();
        h.peer(ACK, IRS + 1, ISS + 1, 10000);
        h.write(TcbHarness.bytes(100, 1));
        h.next();
        for (int i = 0; i < 3; i++) {
            h.advance(h.tcb.rtoNanos() + MS);
            assertEquals(ISS + 1, h.next().seq());
        }
        h.advance(h.tcb.rtoNanos() + MS);
        assertEquals(RST, h.next().flags());
        assertEquals(CloseReason.TIMED_OUT, h.closed);
    }

    @Test
    void noPacketBufferMeansTheTimerSendsLater() {
        established(10000);
        h.buffersLeft = 0;
        h.write(TcbHarness.bytes(100, 1));
        h.nothingSent();
        assertEquals(1, h.stats.get(Counter.NO_BUFFER));
        h.buffersLeft = Integer.MAX_VALUE;
        h.write(new byte[0]);
        assertEquals(100, h.next().data().length, "nothing accepted for sending is dropped");
    }

    @Test
    void describeShowsWhatSsShows() {
        established(10000);
        String d = h.tcb.describe();
        assertTrue(d.startsWith("ESTABLISHED 198.18.0.2:5000 198.18.0.1:40000 mss:1000"), d);
        assertTrue(d.contains("cwnd:") && d.contains("rto:") && d.contains("unacked:0"), d);
    }

    /** A SYN from the peer, parsed into the harness's parser (as a listener hands it over). */
    static TcpSegment synFromPeer(TcbHarness h, int mss, int shift) {
        java.lang.foreign.MemorySegment m = java.lang.foreign.MemorySegment.ofArray(new byte[60]);
        int hl = TcpSegment.write(m, 0, TcbHarness.REMOTE_PORT, TcbHarness.LOCAL_PORT, IRS, 0, SYN, 0xFFFF, mss, shift);
        TcpSegment.checksum(m, 0, hl, TcbHarness.REMOTE_IP, TcbHarness.LOCAL_IP);
        assertEquals(TcpSegment.Error.NONE, h.parser.parse(m, 0, hl, TcbHarness.REMOTE_IP, TcbHarness.LOCAL_IP, true));
        return h.parser;
    }

    static String hex(byte[] b) {
        return Arrays.toString(b);
    }
}
