package dev.isthmus.dpdk.tcp;

import dev.isthmus.stack.buffer.BufferPool;
import dev.isthmus.stack.buffer.OutboundChain;
import dev.isthmus.stack.spi.TimerWheel;

import java.io.ByteArrayOutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * A scripted peer for one {@link Tcb}: the test plays the remote end segment by segment, sets the clock,
 * and reads what the TCB sent, parsed (each segment's checksum verified on the way).
 */
final class TcbHarness implements TcpOutput, TcbEvents, AutoCloseable {
    static final int LOCAL_IP = 0xC6120002;  // 198.18.0.2
    static final int REMOTE_IP = 0xC6120001; // 198.18.0.1
    static final int LOCAL_PORT = 5000;
    static final int REMOTE_PORT = 40000;

    /** A segment as sent by the TCB. */
    record Seg(int flags, int seq, int ack, int window, int mss, int windowShift, byte[] data) {
        boolean has(int flag) {
            return (flags & flag) != 0;
        }

        @Override
        public String toString() {
            return "[" + TcpFlags.toString(flags) + "] seq " + Integer.toUnsignedString(seq) + " ack "
                    + Integer.toUnsignedString(ack) + " win " + window + " len " + data.length;
        }
    }

    long now = 1_000_000_000_000L;
    final TimerWheel wheel = new TimerWheel(TimerWheel.DEFAULT_TICK_NANOS, TimerWheel.DEFAULT_SLOTS, () -> now);
    final Arena arena = Arena.ofConfined();
    final BufferPool pool = new BufferPool(arena, 4096, 4096);
    final OutboundChain out = new OutboundChain(pool);
    final TcpStats stats = new TcpStats();
    final ArrayDeque<Seg> sent = new ArrayDeque<>();
    final ByteArrayOutputStream received = new ByteArrayOutputStream();
    final List<String> events = new ArrayList<>();
    final TcpSegment parser = new TcpSegment();
    CloseReason closed;
    long acknowledged;
    int buffersLeft = Integer.MAX_VALUE;
    final Tcb tcb;

    TcbHarness(int iss, TcpConfig config) {
        tcb = new Tcb(LOCAL_IP, LOCAL_PORT, REMOTE_IP, REMOTE_PORT, iss, config, this, this, out, wheel, () -> now, stats);
    }

    TcbHarness(int iss) {
        this(iss, new TcpConfig(1500, 64 * 1024, 40_000_000L, 60_000_000_000L, 15, 6));
    }

    private MemorySegment room;
    private int roomLength;

    @Override
    public long allocate(int dstIp, int length) {
        assertEquals(REMOTE_IP, dstIp);
        if (buffersLeft == 0) {
            return -1;
        }
        buffersLeft--;
        room = MemorySegment.ofArray(new byte[length + 16]);
        roomLength = length;
        return 16; // not at 0, so that an offset forgotten somewhere shows
    }

    @Override
    public MemorySegment segment() {
        return room;
    }

    @Override
    public void transmit() {
        TcpSegment s = new TcpSegment();
        assertEquals(TcpSegment.Error.NONE, s.parse(room, 16, roomLength, LOCAL_IP, REMOTE_IP, true), "checksum of what the TCB sent");
        assertEquals(LOCAL_PORT, s.sourcePort());
        assertEquals(REMOTE_PORT, s.destinationPort());
        byte[] data = room.asSlice(s.payloadOffset(), s.payloadLength()).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
        sent.add(new Seg(s.flags(), s.seq(), s.ack(), s.window(), s.mss(), s.windowShift(), data));
        room = null;
    }

    @Override
    public void onEstablished(Tcb t) {
        events.add("established");
    }

    @Override
    public void onData(Tcb t, MemorySegment packet, long offset, int length) {
        received.writeBytes(packet.asSlice(offset, length).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE));
    }

    @Override
    public void onAcknowledged(Tcb t, long bytes) {
        out.acknowledged(bytes);
        acknowledged += bytes;
    }

    @Override
    public void onPeerFin(Tcb t) {
        events.add("fin");
    }

    @Override
    public void onClosed(Tcb t, CloseReason reason) {
        assertNull(closed, "closed twice");
        closed = reason;
    }

    /** The peer sends a segment (options: mss and window shift, -1 for none). */
    void peer(int flags, int seq, int ack, int window, byte[] data, int mss, int shift) {
        MemorySegment m = MemorySegment.ofArray(new byte[TcpSegment.MAX_HEADER + data.length]);
        int hl = TcpSegment.write(m, 0, REMOTE_PORT, LOCAL_PORT, seq, ack, flags, window, mss, shift);
        MemorySegment.copy(MemorySegment.ofArray(data), 0, m, hl, data.length);
        TcpSegment.checksum(m, 0, hl + data.length, REMOTE_IP, LOCAL_IP);
        assertEquals(TcpSegment.Error.NONE, parser.parse(m, 0, hl + data.length, REMOTE_IP, LOCAL_IP, true));
        tcb.input(parser, m);
    }

    void peer(int flags, int seq, int ack, int window) {
        peer(flags, seq, ack, window, new byte[0], -1, -1);
    }

    void peer(int flags, int seq, int ack, int window, byte[] data) {
        peer(flags, seq, ack, window, data, -1, -1);
    }

    /** Moves the clock and runs the timers due. */
    void advance(long nanos) {
        now += nanos;
        wheel.expire(now, e -> {
            throw new AssertionError(e);
        });
    }

    Seg next() {
        Seg s = sent.poll();
        assertNotNull(s, "expected a segment from the TCB");
        return s;
    }

    void nothingSent() {
        assertNull(sent.peek(), "expected no segment, got " + sent.peek());
    }

    void write(byte[] data) {
        out.write(data, 0, data.length);
        tcb.output();
    }

    static byte[] bytes(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 31 + seed);
        }
        return b;
    }

    @Override
    public void close() {
        out.discard();
        arena.close();
    }
}
