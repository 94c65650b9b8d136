package dev.isthmus.dpdk.tcp;

import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.security.SecureRandom;
import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The small parts: sequence arithmetic, the segment codec, SipHash, ISNs, RTO, NewReno. */
class TcpPiecesTest {
    @Test
    void sequenceNumbersCompareAcrossTheWrap() {
        assertTrue(SequenceNumbers.lt(0xFFFFFFF0, 0x10));
        assertTrue(SequenceNumbers.gt(0x10, 0xFFFFFFF0));
        assertTrue(SequenceNumbers.le(5, 5));
        assertTrue(SequenceNumbers.inWindow(0xFFFFFFFF, 0xFFFFFFF0, 0x10));
        assertFalse(SequenceNumbers.inWindow(0x10, 0xFFFFFFF0, 0x10));
        assertFalse(SequenceNumbers.inWindow(7, 7, 7));
    }

    @Test
    void segmentWrittenIsParsedBackWithOptionsAndChecksum() {
        MemorySegment m = MemorySegment.ofArray(new byte[100]);
        int hl = TcpSegment.write(m, 0, 1234, 80, 0xDEADBEEF, 42, TcpFlags.SYN | TcpFlags.ACK, 29200, 1460, 7);
        assertEquals(28, hl);
        m.set(java.lang.foreign.ValueLayout.JAVA_BYTE, hl, (byte) 'x');
        TcpSegment.checksum(m, 0, hl + 1, 0x0A000001, 0x0A000002);
        TcpSegment s = new TcpSegment();
        assertEquals(TcpSegment.Error.NONE, s.parse(m, 0, hl + 1, 0x0A000001, 0x0A000002, true));
        assertEquals(1234, s.sourcePort());
        assertEquals(80, s.destinationPort());
        assertEquals(0xDEADBEEF, s.seq());
        assertEquals(42, s.ack());
        assertEquals(TcpFlags.SYN | TcpFlags.ACK, s.flags());
        assertEquals(29200, s.window());
        assertEquals(1460, s.mss());
        assertEquals(7, s.windowShift());
        assertEquals(1, s.payloadLength());
        assertEquals(2, s.segmentLength(), "SYN counts one");
        assertEquals(TcpSegment.Error.BAD_CHECKSUM, s.parse(m, 0, hl + 1, 0x0A000001, 0x0A000003, true),
                "the pseudo-header's address is covered");
        m.set(java.lang.foreign.ValueLayout.JAVA_BYTE, 12, (byte) 0x40);
        assertEquals(TcpSegment.Error.BAD_OFFSET, s.parse(m, 0, hl + 1, 0x0A000001, 0x0A000002, false));
        assertEquals(TcpSegment.Error.TRUNCATED, s.parse(m, 0, 19, 0x0A000001, 0x0A000002, false));
    }

    @Test
    void linuxSynOptionsAreRead() {
        // A SYN as Linux sends it: MSS 1460, SACK permitted, timestamps, NOP, window scale 7.
        byte[] opts = {2, 4, 0x05, (byte) 0xB4, 4, 2, 8, 10, 0, 0, 0, 1, 0, 0, 0, 0, 1, 3, 3, 7};
        MemorySegment m = MemorySegment.ofArray(new byte[40]);
        TcpSegment.write(m, 0, 40000, 5000, 1, 0, TcpFlags.SYN, 64240, -1, -1);
        m.set(java.lang.foreign.ValueLayout.JAVA_BYTE, 12, (byte) (10 << 4));
        MemorySegment.copy(MemorySegment.ofArray(opts), 0, m, 20, opts.length);
        TcpSegment s = new TcpSegment();
        assertEquals(TcpSegment.Error.NONE, s.parse(m, 0, 40, 0, 0, false));
        assertEquals(1460, s.mss());
        assertEquals(7, s.windowShift());
        assertTrue(s.sackPermitted());
        assertTrue(s.timestamps());
        assertEquals(0, s.payloadLength());
    }

    @Test
    void sipHashMatchesThePapersVector() {
        byte[] msg = new byte[15];
        for (int i = 0; i < 15; i++) {
            msg[i] = (byte) i;
        }
        long k0 = 0x0706050403020100L;
        long k1 = 0x0F0E0D0C0B0A0908L;
        assertEquals(0xA129CA6149BE45E5L, SipHash.hash(k0, k1, msg));
        byte[] twelve = new byte[12];
        for (int i = 0; i < 12; i++) {
            twelve[i] = (byte) (i * 7 + 3);
        }
        long m0 = 0;
        for (int i = 7; i >= 0; i--) {
            m0 = (m0 << 8) | (twelve[i] & 0xFF);
        }
        int m1 = (twelve[8] & 0xFF) | (twelve[9] & 0xFF) << 8 | (twelve[10] & 0xFF) << 16 | (twelve[11] & 0xFF) << 24;
        assertEquals(SipHash.hash(k0, k1, twelve), SipHash.hash12(k0, k1, m0, m1));
    }

    @Test
    void isnsDifferPerFlowAndAdvanceWithTheFourMicrosecondClock() {
        long[] now = {0};
        IsnGenerator g = new IsnGenerator(new SecureRandom(), () -> now[0]);
        int a = g.next(1, 80, 2, 40000);
        int b = g.next(1, 80, 2, 40001);
        assertNotEquals(a, b);
        now[0] += 4_000_000; // 4 ms: 1000 ticks of 4 us
        assertEquals(a + 1000, g.next(1, 80, 2, 40000));
        IsnGenerator other = new IsnGenerator(new SecureRandom(), () -> now[0]);
        Set<Integer> seen = new HashSet<>();
        seen.add(g.next(1, 80, 2, 40000));
        seen.add(other.next(1, 80, 2, 40000));
        assertEquals(2, seen.size(), "another key, another ISN");
    }

    @Test
    void rtoFollowsRfc6298() {
        RttEstimator r = new RttEstimator();
        assertEquals(1_000_000_000L, r.rto());
        r.sample(100_000_000L); // 100 ms: SRTT 100, RTTVAR 50, RTO 300 ms
        assertEquals(100_000_000L, r.srtt());
        assertEquals(50_000_000L, r.rttvar());
        assertEquals(300_000_000L, r.rto());
        r.sample(100_000_000L); // RTTVAR 3/4*50 + 0 = 37.5 -> RTO 250 ms
        assertEquals(250_000_000L, r.rto());
        r.backoff();
        assertEquals(500_000_000L, r.rto());
        r.sample(1_000_000L); // 1 ms on a LAN: the floor
        assertTrue(r.rto() >= RttEstimator.MIN_RTO);
    }

    @Test
    void newRenoSlowStartThenAvoidanceThenRecovery() {
        NewReno cc = new NewReno(1000, 0);
        assertEquals(10_000, cc.cwnd(), "IW10");
        assertFalse(cc.onNewAck(1000, 1000, 10_000));
        assertEquals(11_000, cc.cwnd());
        assertFalse(cc.onDupAck(1000, 11_000, 10_000));
        assertFalse(cc.onDupAck(1000, 11_000, 10_000));
        assertTrue(cc.onDupAck(1000, 11_000, 10_000), "third duplicate: fast retransmit");
        assertEquals(5000, cc.ssthresh());
        assertEquals(8000, cc.cwnd(), "ssthresh + 3 MSS");
        cc.onDupAck(1000, 11_000, 10_000);
        assertEquals(9000, cc.cwnd(), "inflated by one MSS per further duplicate");
        assertTrue(cc.onNewAck(3000, 2000, 10_000), "partial: retransmit the next hole");
        assertTrue(cc.inRecovery());
        assertFalse(cc.onNewAck(11_000, 8000, 8000));
        assertFalse(cc.inRecovery());
        assertEquals(2000, cc.cwnd(), "RFC 6582 3.2 step 3: min(ssthresh, max(FlightSize, SMSS) + SMSS), never one lone segment");
        cc.onTimeout(20_000, 30_000);
        assertEquals(1000, cc.cwnd());
        assertEquals(10_000, cc.ssthresh());
    }

    /**
     * RFC 7323 appendix G: with timestamps every ACK is a sample; ExpectedSamples of them per round trip
     * each move SRTT and RTTVAR by alpha and beta divided by ExpectedSamples, so that a burst of short
     * samples does not make RTTVAR forget a delay within one window.
     */
    @Test
    void samplesPerAckAreWeighedByExpectedSamples() {
        RttEstimator r = new RttEstimator();
        r.sample(80_000_000L); // SRTT 80 ms, RTTVAR 40 ms
        r.sample(0, 10); // ten samples expected this round trip: 1/80 and 1/40 of the change
        assertEquals(79_000_000L, r.srtt());
        assertEquals(41_000_000L, r.rttvar());
        RttEstimator one = new RttEstimator();
        one.sample(80_000_000L);
        one.sample(0);
        assertEquals(70_000_000L, one.srtt(), "one sample per round trip: RFC 6298's 1/8");
        assertEquals(50_000_000L, one.rttvar());
        one.backoff();
        assertEquals(2 * (70_000_000L + 4 * 50_000_000L), one.rto());
        one.restart();
        assertEquals(70_000_000L + 4 * 50_000_000L, one.rto(), "a spurious timeout's backoff ends (RFC 4015)");
    }

    /**
     * A spurious timeout undone (RFC 4015 3.2 step (5)): ssthresh back to pipe_prev = max(FlightSize,
     * ssthresh) at the timeout, cwnd FlightSize + min(acked, IW); a second timeout of the same series keeps
     * the first one's pipe_prev. CUBIC gets W_max back too (RFC 9438 4.9).
     */
    @Test
    void aSpuriousTimeoutIsUndone() {
        NewReno cc = new NewReno(1000, 0);
        cc.onNewAck(1000, 1000, 10_000); // cwnd 11000, ssthresh infinite
        cc.onTimeout(20_000, 21_000);
        assertEquals(1000, cc.cwnd());
        cc.onTimeout(20_000, 21_000); // backed off: still the first's state to restore
        cc.undoTimeout(5000, 15_000);
        assertEquals(Long.MAX_VALUE, cc.ssthresh(), "pipe_prev = max(FlightSize, ssthresh)");
        assertEquals(15_000, cc.cwnd(), "FlightSize + min(acked, IW)");
        Cubic c = new Cubic(1000, 0, () -> 0L, new RttEstimator());
        for (int i = 0; i < 3; i++) {
            c.onDupAck(0, 30_000, 30_000);
        }
        c.onNewAck(30_000, 30_000, 30_000);
        double wMax = c.wMax();
        long ssthresh = c.ssthresh();
        c.onTimeout(ssthresh, 40_000); // a flight of ssthresh: pipe_prev = ssthresh
        assertTrue(c.wMax() != wMax, "the timeout set a new W_max");
        assertTrue(c.ssthresh() < ssthresh);
        c.undoTimeout(0, 40_000);
        assertEquals(wMax, c.wMax());
        assertEquals(ssthresh, c.ssthresh());
        assertEquals(10_000, c.cwnd(), "an initial window at most");
    }
}
