package dev.isthmus.dpdk.tcp;

import dev.isthmus.dpdk.tcp.TcpStats.Counter;
import dev.isthmus.stack.buffer.BufferPool;
import dev.isthmus.stack.buffer.OutboundChain;
import dev.isthmus.stack.spi.TimerWheel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static dev.isthmus.dpdk.tcp.TcpFlags.ACK;
import static dev.isthmus.dpdk.tcp.TcpFlags.PSH;
import static dev.isthmus.dpdk.tcp.TcpFlags.RST;
import static dev.isthmus.dpdk.tcp.TcpFlags.SYN;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A whole worker's {@link TcpLayer} against scripted segments: a SYN flood past the half-open queue met
 * with SYN cookies, a valid cookie ACK making the connection and forged ones refused, bad checksums.
 */
class HostileLayerTest {
    static final int LOCAL = 0xC6120002;
    static final int PORT = 80;
    static final long MS = 1_000_000L;

    long now = 1_000_000_000_000L;
    final Arena arena = Arena.ofConfined();
    final BufferPool pool = new BufferPool(arena, 4096, 1024);
    final TimerWheel wheel = new TimerWheel(TimerWheel.DEFAULT_TICK_NANOS, TimerWheel.DEFAULT_SLOTS, () -> now);
    final ArrayDeque<Sent> sent = new ArrayDeque<>();
    final TcpSegment parser = new TcpSegment();
    TcpLayer layer;
    Listener listener;

    record Sent(int dst, int srcPort, int dstPort, int flags, int seq, int ack, int window, int mss, int shift) {
        boolean has(int f) {
            return (flags & f) != 0;
        }
    }

    /** What the layer sends, parsed (checksums verified). */
    final class Output implements TcpOutput {
        MemorySegment room;
        int length;
        int dst;

        @Override
        public long allocate(int dstIp, int len) {
            room = MemorySegment.ofArray(new byte[len]);
            length = len;
            dst = dstIp;
            return 0;
        }

        @Override
        public MemorySegment segment() {
            return room;
        }

        @Override
        public void transmit() {
            TcpSegment s = new TcpSegment();
            assertEquals(TcpSegment.Error.NONE, s.parse(room, 0, length, LOCAL, dst, true));
            sent.add(new Sent(dst, s.sourcePort(), s.destinationPort(), s.flags(), s.seq(), s.ack(), s.window(),
                    s.mss(), s.windowShift()));
        }
    }

    /** A listening port as the dpdk stack's: a half-open queue bounded by the backlog; accepted connections kept. */
    final class Listener implements TcpListener, TcbEvents {
        final int backlog;
        int halfOpen;
        final List<Tcb> established = new ArrayList<>();
        final ByteArrayOutputStream data = new ByteArrayOutputStream();

        Listener(int backlog) {
            this.backlog = backlog;
        }

        @Override
        public boolean admits() {
            return halfOpen < backlog;
        }

        @Override
        public Tcb newTcb(TcpLayer l, int localPort, int remoteIp, int remotePort, int iss) {
            halfOpen++;
            return l.newTcb(localPort, remoteIp, remotePort, iss, this, new OutboundChain(pool));
        }

        @Override
        public void onEstablished(Tcb t) {
            halfOpen--;
            established.add(t);
        }

        @Override
        public void onData(Tcb t, MemorySegment packet, long offset, int length) {
            data.writeBytes(packet.asSlice(offset, length).toArray(ValueLayout.JAVA_BYTE));
            t.consumed(length);
        }

        @Override
        public void onAcknowledged(Tcb t, long bytes) {
        }

        @Override
        public void onPeerFin(Tcb t) {
        }

        @Override
        public void onClosed(Tcb t, CloseReason reason) {
            if (t.state() == TcpState.CLOSED && !established.contains(t)) {
                halfOpen--;
            }
        }
    }

    void setUp(TcpLimits limits, int backlog) {
        TcpConfig config = new TcpConfig(1500, 256 * 1024, 40 * MS, 2_000 * MS, 15, 6).withLimits(limits);
        layer = new TcpLayer(LOCAL, config, new Output(), wheel, () -> now, new IsnGenerator(new SecureRandom(), () -> now));
        listener = new Listener(backlog);
        layer.listen(PORT, listener);
    }

    @AfterEach
    void tearDown() {
        arena.close();
    }

    /** A segment from {@code src}:{@code srcPort} to our port, with a checksum (spoiled if {@code badChecksum}). */
    void segment(int src, int srcPort, int flags, int seq, int ack, int window, int mss, int shift, byte[] data,
                 boolean badChecksum) {
        MemorySegment m = MemorySegment.ofArray(new byte[TcpSegment.MAX_HEADER + data.length]);
        int hl = TcpSegment.write(m, 0, srcPort, PORT, seq, ack, flags, window, mss, shift);
        MemorySegment.copy(MemorySegment.ofArray(data), 0, m, hl, data.length);
        TcpSegment.checksum(m, 0, hl + data.length, src, LOCAL);
        if (badChecksum) {
            m.set(ValueLayout.JAVA_BYTE, 16, (byte) (m.get(ValueLayout.JAVA_BYTE, 16) ^ 0x5A));
        }
        layer.input(m, 0, hl + data.length, src, LOCAL);
    }

    void syn(int src, int srcPort, int isn, int mss, int shift) {
        segment(src, srcPort, SYN, isn, 0, 0xFFFF, mss, shift, new byte[0], false);
    }

    Sent next() {
        Sent s = sent.poll();
        assertNotNull(s, "expected a segment from the layer");
        return s;
    }

    @Test
    void aSynFloodPastTheHalfOpenQueueGetsCookiesAndAValidCookieAckMakesTheConnection() {
        setUp(TcpLimits.defaults(), 8);
        Random r = new Random(3);
        // The flood: spoofed sources that never answer. The first 8 fill the half-open queue.
        for (int i = 0; i < 8; i++) {
            syn(0xC6130000 + i, 1000 + i, r.nextInt(), 1460, 7);
            Sent s = next();
            assertEquals(SYN | ACK, s.flags());
        }
        assertEquals(8, layer.connections());
        for (int i = 8; i < 5000; i++) {
            syn(0xC6130000 + i, 1000 + (i & 0x7FFF), r.nextInt(), 1460, 7);
            Sent s = next();
            assertEquals(SYN | ACK, s.flags(), "a cookie SYN-ACK");
            assertEquals(1460, s.mss());
            assertEquals(3, s.shift(), "our window shift, since the SYN offered one");
        }
        assertEquals(8, layer.connections(), "cookies keep nothing");
        assertEquals(4992, layer.stats().get(Counter.SYN_COOKIES_SENT));
        assertEquals(4992, layer.stats().get(Counter.LISTEN_OVERFLOWS));

        // A real client among them: its SYN gets a cookie; its ACK (with data) brings it back.
        int client = 0xC6120009;
        int clientIsn = 0x7000_0000;
        syn(client, 45000, clientIsn, 1400, 2);
        Sent cookieSynAck = next();
        assertEquals(clientIsn + 1, cookieSynAck.ack());
        now += 50 * MS;
        byte[] hello = "GET / HTTP/1.1\r\n\r\n".getBytes();
        segment(client, 45000, ACK | PSH, clientIsn + 1, cookieSynAck.seq() + 1, 1000, -1, -1, hello, false);
        assertEquals(1, layer.stats().get(Counter.SYN_COOKIES_VALID));
        assertEquals(1, listener.established.size());
        Tcb t = listener.established.get(0);
        assertEquals(TcpState.ESTABLISHED, t.state());
        assertEquals(1360, t.sndMss(), "the cookie's MSS: the largest of its table not above the client's 1400");
        assertEquals(2, t.sendWindowShift(), "the client's window shift came back in the cookie");
        assertEquals(1000L << 2, t.sndWnd());
        assertArrayEquals(hello, listener.data.toByteArray(), "the ACK's data was taken");
        assertEquals(9, layer.connections());
        Sent ack = next();
        assertEquals(ACK, ack.flags() & ~PSH);
        assertEquals(clientIsn + 1 + hello.length, ack.ack());
        assertEquals(cookieSynAck.seq() + 1, ack.seq());
    }

    @Test
    void forgedStaleAndMisdirectedCookieAcksAreRefusedWithReset() {
        setUp(TcpLimits.defaults(), 0); // every SYN gets a cookie
        int client = 0xC6120009;
        syn(client, 45000, 1000, 1460, -1);
        Sent c = next();
        assertEquals(-1, c.shift(), "no window scaling when the SYN offered none");
        Random r = new Random(5);
        int forged = 0;
        for (int i = 0; i < 2000; i++) {
            int guess = r.nextInt();
            if (guess == c.seq() + 1) {
                continue;
            }
            segment(client, 45000, ACK, 1001, guess, 1000, -1, -1, new byte[0], false);
            Sent rst = next();
            assertEquals(RST, rst.flags());
            assertEquals(guess, rst.seq(), "RFC 9293 3.10.7.1: <SEQ=SEG.ACK><CTL=RST>");
            forged++;
        }
        // The right cookie from another port, or for another client ISN, is no cookie either.
        segment(client, 45001, ACK, 1001, c.seq() + 1, 1000, -1, -1, new byte[0], false);
        assertEquals(RST, next().flags());
        segment(client, 45000, ACK, 1002, c.seq() + 1, 1000, -1, -1, new byte[0], false);
        assertEquals(RST, next().flags());
        assertEquals(forged + 2, layer.stats().get(Counter.SYN_COOKIES_FAILED));
        // Too late: a cookie lives 64 to 128 s.
        now += 130_000 * MS;
        syn(client, 45002, 5000, 1460, -1); // keeps cookies "recent"
        next();
        segment(client, 45000, ACK, 1001, c.seq() + 1, 1000, -1, -1, new byte[0], false);
        assertEquals(RST, next().flags());
        assertEquals(0, listener.established.size());
        assertEquals(0, layer.connections());
        assertEquals(0, layer.stats().get(Counter.SYN_COOKIES_VALID));
    }

    @Test
    void withCookiesOffAFullQueueDropsTheSyn() {
        setUp(new TcpLimits(false, 1000, 120_000 * MS, 64 << 20), 1);
        syn(0xC6130001, 1000, 1, 1460, -1);
        assertEquals(SYN | ACK, next().flags());
        syn(0xC6130002, 1000, 1, 1460, -1);
        assertTrue(sent.isEmpty());
        assertEquals(1, layer.stats().get(Counter.LISTEN_DROPS));
        assertEquals(0, layer.stats().get(Counter.SYN_COOKIES_SENT));
    }

    @Test
    void badChecksumsAreCountedApartAndNeverAnswered() {
        setUp(TcpLimits.defaults(), 8);
        for (int i = 0; i < 100; i++) {
            segment(0xC6130001, 2000 + i, SYN, i, 0, 1000, 1460, -1, new byte[0], true);
            segment(0xC6130001, 2000 + i, ACK, i, 0, 1000, -1, -1, new byte[10], true);
        }
        assertTrue(sent.isEmpty());
        assertEquals(200, layer.stats().get(Counter.BAD_CHECKSUMS));
        assertEquals(0, layer.stats().get(Counter.BAD_SEGMENTS));
        assertEquals(0, layer.connections());
    }

    @Test
    void cookiesCarryTheMssTableAndTheShift() {
        SynCookies cookies = new SynCookies(new SecureRandom(), () -> now);
        for (int mss : new int[]{100, 536, 1200, 1300, 1460, 9000}) {
            for (int shift : new int[]{-1, 0, 7, 14}) {
                int c = cookies.make(LOCAL, PORT, 0xC6120009, 40000, 77, mss, shift);
                assertTrue(cookies.check(LOCAL, PORT, 0xC6120009, 40000, 77, c));
                assertEquals(SynCookies.MSS[SynCookies.mssIndex(mss)], cookies.mss());
                assertTrue(cookies.mss() <= Math.max(mss, 256));
                assertEquals(shift, cookies.shift());
                assertFalse(cookies.check(LOCAL, PORT, 0xC6120009, 40000, 78, c), "bound to the client ISN");
                assertNotEquals(c, cookies.make(LOCAL, PORT, 0xC6120009, 40001, 77, mss, shift));
            }
        }
        int c = cookies.make(LOCAL, PORT, 0xC6120009, 40000, 77, 1460, 7);
        now += 64_000 * MS;
        assertTrue(cookies.check(LOCAL, PORT, 0xC6120009, 40000, 77, c), "good in the next tick");
        now += 64_000 * MS;
        assertFalse(cookies.check(LOCAL, PORT, 0xC6120009, 40000, 77, c), "not in the one after");
    }
}
