package dev.isthmus.dpdk.tcp;

import dev.isthmus.dpdk.tcp.TcbHarness.Seg;
import dev.isthmus.dpdk.tcp.TcpStats.Counter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static dev.isthmus.dpdk.tcp.TcpFlags.ACK;
import static dev.isthmus.dpdk.tcp.TcpFlags.RST;
import static dev.isthmus.dpdk.tcp.TcpFlags.SYN;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One TCB against a hostile scripted peer (RFC 9293 3.10.7.4, RFC 5961): out-of-window segments, forged
 * RSTs, SYNs and ACKs, a window kept shut, and endless out-of-order data. Each is dropped, counted by
 * reason, and answered as the RFCs say; memory stays bounded.
 */
class HostileTcbTest {
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

    static TcpConfig config(int receiveBuffer, TcpLimits limits) {
        return new TcpConfig(1500, receiveBuffer, 40 * MS, 60_000 * MS, 15, 6).withLimits(limits);
    }

    TcbHarness established(TcpConfig config, int peerWindow) {
        h = new TcbHarness(ISS, config);
        h.tcb.acceptSyn(TcbTest.synFromPeer(h, 1000, -1));
        assertEquals(SYN | ACK, h.next().flags());
        h.advance(10 * MS);
        h.peer(ACK, IRS + 1, ISS + 1, peerWindow);
        assertEquals(TcpState.ESTABLISHED, h.tcb.state());
        return h;
    }

    @Test
    void outOfWindowDataIsDroppedAndAnsweredWithAnAckOfWhereWeAre() {
        established(config(4000, TcpLimits.defaults()), 10000);
        h.peer(ACK, IRS + 1 + 4000, ISS + 1, 10000, TcbHarness.bytes(100, 1)); // just past the window
        Seg a = h.next();
        assertEquals(ACK, a.flags());
        assertEquals(IRS + 1, a.ack());
        h.peer(ACK, IRS + 1 - 500, ISS + 1, 10000, TcbHarness.bytes(100, 1)); // entirely old
        assertEquals(IRS + 1, h.next().ack());
        h.peer(ACK | RST, IRS + 1 + 5000, ISS + 1, 0); // an out-of-window RST: silently dropped
        h.nothingSent();
        assertEquals(3, h.stats.get(Counter.OUT_OF_WINDOW));
        assertEquals(0, h.received.size());
        assertEquals(TcpState.ESTABLISHED, h.tcb.state());
        assertNull(h.closed);
    }

    @Test
    void inWindowResetsAndSynsGetChallengeAcksWithinTheRateLimit() {
        established(config(64 * 1024, new TcpLimits(true, 10, 120_000 * MS, 64 << 20)), 10000);
        for (int i = 0; i < 50; i++) {
            h.peer(RST, IRS + 2 + i, 0, 0); // in the window, not exact
        }
        for (int i = 0; i < 50; i++) {
            h.peer(SYN, IRS + 1 + i * 1000, 0, 10000, new byte[0], 1000, -1); // in and out of the window
        }
        int acks = 0;
        while (!h.sent.isEmpty()) {
            Seg s = h.next();
            assertEquals(ACK, s.flags());
            assertEquals(IRS + 1, s.ack(), "a challenge ACK says where we are");
            assertEquals(ISS + 1, s.seq());
            acks++;
        }
        assertEquals(10, acks, "RFC 5961 7: at most the limit per second");
        assertEquals(10, h.stats.get(Counter.CHALLENGE_ACKS));
        assertEquals(90, h.stats.get(Counter.CHALLENGE_ACKS_SUPPRESSED));
        assertEquals(TcpState.ESTABLISHED, h.tcb.state());
        h.advance(1001 * MS);
        h.peer(RST, IRS + 7, 0, 0);
        assertEquals(ACK, h.next().flags(), "a new second, a new budget");
        h.peer(RST, IRS + 1, 0, 0);
        assertEquals(CloseReason.RESET, h.closed, "the exact RST still resets");
    }

    @Test
    void acksOutsideTheAcceptableRangeAreDroppedWithAChallengeAck() {
        established(config(64 * 1024, TcpLimits.defaults()), 1000); // MAX.SND.WND 65535, the SYN's
        h.write(TcbHarness.bytes(1000, 3));
        h.next();
        h.peer(ACK, IRS + 1, ISS + 1001, 1000);
        // RFC 5961 5.2: SEG.ACK beyond SND.NXT, and SEG.ACK below SND.UNA - MAX.SND.WND: dropped, data too.
        h.peer(ACK, IRS + 1, ISS + 1001 + 5000, 1000, TcbHarness.bytes(10, 1));
        assertEquals(IRS + 1, h.next().ack());
        h.peer(ACK, IRS + 1, ISS + 1001 - 70_000, 1000, TcbHarness.bytes(10, 1));
        assertEquals(IRS + 1, h.next().ack());
        assertEquals(0, h.received.size());
        assertEquals(1, h.stats.get(Counter.ACKS_OF_UNSENT));
        assertEquals(1, h.stats.get(Counter.ACKS_TOO_OLD));
        // A duplicate within MAX.SND.WND is only old, and its data is taken.
        h.peer(ACK, IRS + 1, ISS + 1001 - 60_000, 1000, TcbHarness.bytes(10, 1));
        assertEquals(10, h.received.size());
        assertEquals(ISS + 1001, h.tcb.sndUna());
    }

    @Test
    void aPeerThatKeepsItsWindowShutIsAbortedAfterTheStallLimitAndProbesAreBounded() {
        established(config(64 * 1024, new TcpLimits(true, 1000, 10_000 * MS, 64 << 20)), 1000);
        h.write(TcbHarness.bytes(1000, 1));
        h.next();
        h.peer(ACK, IRS + 1, ISS + 1001, 0); // all taken, window shut
        h.write(TcbHarness.bytes(50_000, 2));
        long held = h.out.pendingBytes();
        int probes = 0;
        for (int i = 0; i < 1000 && h.closed == null; i++) {
            h.advance(100 * MS);
            while (!h.sent.isEmpty()) {
                Seg s = h.next();
                if (s.has(RST)) {
                    continue;
                }
                assertEquals(0, s.data().length, "nothing but probes into a shut window");
                probes++;
                h.peer(ACK, IRS + 1, ISS + 1001, 0); // answered, still shut
            }
            assertTrue(h.out.pendingBytes() <= held, "what we hold does not grow");
        }
        assertEquals(CloseReason.TIMED_OUT, h.closed);
        assertEquals(1, h.stats.get(Counter.WINDOW_STALL_ABORTS));
        assertTrue(probes > 2 && probes < 40, "probes back off: " + probes);
        // Checked at each probe and ACK: aborted at the first probe past the limit (probes back off to 6.4 s).
        assertTrue(h.now - 1_000_000_000_000L <= 10_000 * MS + 6_500 * MS, "aborted soon after the limit");
    }

    @Test
    void aTinyWindowThatTakesAByteAtATimeIsAbortedButASlowReaderIsNot() {
        established(config(64 * 1024, new TcpLimits(true, 1000, 5_000 * MS, 64 << 20)), 1000);
        h.write(TcbHarness.bytes(1000, 1));
        h.next();
        h.tcb.setNoDelay(true);
        h.peer(ACK, IRS + 1, ISS + 1001, 1);
        h.write(TcbHarness.bytes(20_000, 2));
        int acked = ISS + 1001;
        for (int i = 0; i < 200 && h.closed == null; i++) {
            h.advance(50 * MS);
            boolean took = false;
            while (!h.sent.isEmpty()) {
                Seg s = h.next();
                if (s.data().length > 0) {
                    assertTrue(s.data().length <= 1, "never more than the window");
                    acked = s.seq() + s.data().length;
                    took = true;
                }
            }
            if (took) {
                h.peer(ACK, IRS + 1, acked, 1); // one byte taken per round trip, one byte offered
            }
        }
        assertEquals(CloseReason.TIMED_OUT, h.closed, "a byte at a time never makes a segment's progress");
        assertEquals(1, h.stats.get(Counter.WINDOW_STALL_ABORTS));
        h.close();

        // A slow reader: the window shut most of the time, but a segment's worth taken every few seconds.
        established(config(64 * 1024, new TcpLimits(true, 1000, 5_000 * MS, 64 << 20)), 1000);
        h.write(TcbHarness.bytes(1000, 1));
        h.next();
        h.peer(ACK, IRS + 1, ISS + 1001, 0);
        h.write(TcbHarness.bytes(10_000, 2));
        int una = ISS + 1001;
        for (int round = 0; round < 8; round++) {
            h.advance(3_000 * MS); // probes meanwhile, answered shut
            while (!h.sent.isEmpty()) {
                h.next();
                h.peer(ACK, IRS + 1, una, 0);
            }
            h.peer(ACK, IRS + 1, una, 1000); // the reader took a segment: the window opens
            Seg s = h.next();
            assertEquals(1000, s.data().length);
            una = s.seq() + 1000;
            h.peer(ACK, IRS + 1, una, 0);
        }
        assertNull(h.closed, "a reader taking a segment every 3 s is not a stall of 5 s");
        assertEquals(0, h.stats.get(Counter.WINDOW_STALL_ABORTS));
    }

    @Test
    void endlessOverlappingOutOfOrderSegmentsStayWithinTheRingAndReassembleExactly() {
        int buffer = 16 * 1024;
        established(config(buffer, TcpLimits.defaults()), 10000);
        byte[] stream = TcbHarness.bytes(buffer, 9);
        Random r = new Random(11);
        // Segments anywhere in (and beyond) the window but never at RCV.NXT, overlapping each other.
        for (int i = 0; i < 20_000; i++) {
            int from = 1 + r.nextInt(buffer + 4000);
            int len = 1 + r.nextInt(900);
            byte[] payload = new byte[len];
            for (int k = 0; k < len; k++) {
                int at = from + k;
                payload[k] = at < stream.length ? stream[at] : (byte) 0x55;
            }
            h.peer(ACK, IRS + 1 + from, ISS + 1, 10000, payload);
            h.sent.clear();
        }
        assertEquals(0, h.received.size(), "nothing delivered past the hole");
        assertTrue(h.stats.get(Counter.OUT_OF_ORDER_QUEUED) > 0);
        assertTrue(h.stats.get(Counter.OUT_OF_WINDOW) > 0, "beyond the window: unacceptable");
        // Fill the hole: everything kept within the buffer follows, byte for byte.
        h.peer(ACK, IRS + 1, ISS + 1, 10000, new byte[]{stream[0]});
        byte[] got = h.received.toByteArray();
        assertTrue(got.length > 1 && got.length <= buffer, "delivered " + got.length);
        assertArrayEquals(Arrays.copyOf(stream, got.length), got);
    }

    @Test
    void withoutReassemblyMemoryOutOfOrderDataIsDroppedAndCounted() {
        established(config(16 * 1024, new TcpLimits(true, 1000, 120_000 * MS, 0)), 10000);
        h.peer(ACK, IRS + 1 + 100, ISS + 1, 10000, TcbHarness.bytes(100, 1));
        assertEquals(1, h.stats.get(Counter.OUT_OF_ORDER_NO_MEMORY));
        assertEquals(IRS + 1, h.next().ack(), "the duplicate ACK still goes");
        h.peer(ACK, IRS + 1, ISS + 1, 10000, TcbHarness.bytes(100, 2));
        assertEquals(100, h.received.size(), "in-order data needs no reassembly memory");
    }

    @Test
    void reassemblyRingsAreLentWithinTheBudgetAndReused() {
        ReassemblyRings rings = new ReassemblyRings(ReassemblyRings.ringSizeFor(16 * 1024), 64 * 1024);
        assertEquals(16 * 1024, rings.ringSize(), "a power of two at least the buffer");
        assertEquals(32 * 1024, ReassemblyRings.ringSizeFor(16 * 1024 + 1));
        rings = new ReassemblyRings(16 * 1024, 32 * 1024);
        var a = rings.take();
        var b = rings.take();
        assertNull(rings.take(), "two rings of 16 KiB fill a 32 KiB budget");
        rings.giveBack(a);
        assertTrue(rings.take() == a, "a ring given back is reused, not reallocated");
        assertEquals(32 * 1024, rings.bytes());
        rings.giveBack(b);
        assertEquals(1, rings.lent());
    }
}
