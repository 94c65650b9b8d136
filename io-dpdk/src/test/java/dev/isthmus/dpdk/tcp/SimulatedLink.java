package dev.isthmus.dpdk.tcp;

import dev.isthmus.stack.buffer.BufferPool;
import dev.isthmus.stack.buffer.OutboundChain;
import dev.isthmus.stack.spi.TimerWheel;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32;

/**
 * Two {@link TcpLayer}s joined by a simulated link: a one-way delay, random loss, a simulated clock;
 * no EAL. Each end has its own timer wheel on the shared clock, as two workers would.
 */
final class SimulatedLink implements AutoCloseable {
    static final int IP_A = 0xC6120001;
    static final int IP_B = 0xC6120002;

    long now = 1_000_000_000_000L;
    final long delayNanos;
    final double loss;
    final Random random;
    final Arena arena = Arena.ofShared();
    final BufferPool pool = new BufferPool(arena, 16384, 1 << 16);
    final End a;
    final End b;
    long dropped;
    long carried;

    record Packet(long at, int from, byte[] bytes) { }

    final class End implements TcpOutput {
        final int ip;
        final TimerWheel wheel = new TimerWheel(TimerWheel.DEFAULT_TICK_NANOS, TimerWheel.DEFAULT_SLOTS, () -> now);
        final TcpLayer layer;
        final ArrayDeque<Packet> inFlight = new ArrayDeque<>(); // toward this end
        End peer;
        MemorySegment room;
        int roomLength;
        int roomDst;

        End(int ip, TcpConfig config) {
            this.ip = ip;
            this.layer = new TcpLayer(ip, config, this, wheel, () -> now, new IsnGenerator(new SecureRandom(), () -> now));
        }

        @Override
        public long allocate(int dstIp, int length) {
            room = MemorySegment.ofArray(new byte[length]);
            roomLength = length;
            roomDst = dstIp;
            return 0;
        }

        @Override
        public MemorySegment segment() {
            return room;
        }

        @Override
        public void transmit() {
            if (roomDst != peer.ip) {
                throw new AssertionError("segment to an unknown address");
            }
            if (random.nextDouble() < loss) {
                dropped++;
            } else {
                carried++;
                peer.inFlight.add(new Packet(now + delayNanos, ip, room.toArray(ValueLayout.JAVA_BYTE)));
            }
            room = null;
        }

        void deliverDue() {
            while (!inFlight.isEmpty() && inFlight.peek().at() <= now) {
                Packet p = inFlight.poll();
                layer.input(MemorySegment.ofArray(p.bytes()), 0, p.bytes().length, p.from(), ip);
            }
        }
    }

    SimulatedLink(long delayNanos, double loss, long seed, TcpConfig config) {
        this.delayNanos = delayNanos;
        this.loss = loss;
        this.random = new Random(seed);
        a = new End(IP_A, config);
        b = new End(IP_B, config);
        a.peer = b;
        b.peer = a;
    }

    /** Moves the clock by {@code step} and delivers and expires what is due. */
    void step(long step) {
        now += step;
        a.deliverDue();
        b.deliverDue();
        a.wheel.expire(now, e -> { throw new AssertionError(e); });
        b.wheel.expire(now, e -> { throw new AssertionError(e); });
    }

    /**
     * An application over one TCB: sends {@code toSend} pseudo-random bytes (keeping at most
     * {@code sendBuffer} queued, topped up as ACKs free room), reads everything into a CRC, and closes
     * its side once all is sent.
     */
    final class App implements TcbEvents, TcpListener {
        final OutboundChain out = new OutboundChain(pool);
        final long toSend;
        final int sendBuffer;
        final CRC32 sentCrc = new CRC32();
        final CRC32 receivedCrc = new CRC32();
        final Random data;
        final byte[] chunk = new byte[8192];
        final List<String> events = new ArrayList<>();
        long written;
        long received;
        boolean peerFin;
        boolean established;
        CloseReason closed;
        Tcb tcb;
        boolean readPaused;
        long unread;

        App(long toSend, int sendBuffer, long seed) {
            this.toSend = toSend;
            this.sendBuffer = sendBuffer;
            this.data = new Random(seed);
        }

        void fill() {
            while (written < toSend && out.pendingBytes() < sendBuffer) {
                int n = (int) Math.min(chunk.length, Math.min(toSend - written, sendBuffer - out.pendingBytes()));
                data.nextBytes(chunk);
                sentCrc.update(chunk, 0, n);
                out.write(chunk, 0, n);
                written += n;
            }
            tcb.output();
            if (written == toSend && out.pendingBytes() == 0 && tcb.state() != TcpState.CLOSED) {
                tcb.shutdownOutput();
            }
        }

        @Override
        public void onEstablished(Tcb t) {
            established = true;
            fill();
        }

        @Override
        public void onData(Tcb t, MemorySegment packet, long offset, int length) {
            byte[] b = packet.asSlice(offset, length).toArray(ValueLayout.JAVA_BYTE);
            receivedCrc.update(b);
            received += length;
            if (readPaused) {
                unread += length;
            } else {
                t.consumed(length);
            }
        }

        void resumeReading() {
            readPaused = false;
            long n = unread;
            unread = 0;
            tcb.consumed(n);
        }

        @Override
        public void onAcknowledged(Tcb t, long bytes) {
            out.acknowledged(bytes);
            fill();
        }

        @Override
        public void onPeerFin(Tcb t) {
            peerFin = true;
        }

        @Override
        public void onClosed(Tcb t, CloseReason reason) {
            closed = reason;
        }

        // As a listener: one connection.
        @Override
        public boolean admits() {
            return tcb == null;
        }

        @Override
        public Tcb newTcb(TcpLayer layer, int localPort, int remoteIp, int remotePort, int iss) {
            tcb = layer.newTcb(localPort, remoteIp, remotePort, iss, this, out);
            return tcb;
        }
    }

    App client(End end, End server, int localPort, int serverPort, long toSend, int sendBuffer, long seed) {
        App app = new App(toSend, sendBuffer, seed);
        app.tcb = end.layer.newTcb(localPort, server.ip, serverPort, end.layer.isn(localPort, server.ip, serverPort), app, app.out);
        end.layer.connect(app.tcb);
        return app;
    }

    @Override
    public void close() {
        arena.close();
    }
}
