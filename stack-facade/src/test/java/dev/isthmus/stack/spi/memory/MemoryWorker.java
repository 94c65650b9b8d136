package dev.isthmus.stack.spi.memory;

import dev.isthmus.stack.Connection;
import dev.isthmus.stack.ConnectionHandler;
import dev.isthmus.stack.ConnectOptions;
import dev.isthmus.stack.spi.AbstractWorker;
import dev.isthmus.stack.spi.BackoffIdle;
import dev.isthmus.stack.spi.IdleStrategy;
import dev.isthmus.stack.spi.Timeout;

import java.lang.foreign.MemorySegment;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A worker of the {@link MemoryNetworkStack}: its "rx queue" is a concurrent queue the wire fills, drained
 * in bursts by {@link #poll}, which never waits (the {@link BackoffIdle} parks the thread instead).
 * Received payloads land in chunks of a slab from the worker's arena.
 */
final class MemoryWorker extends AbstractWorker {
    static final int MSS = 1024;
    private static final int CHUNKS = 1024;
    private static final int RX_BURST = 32;

    final MemoryNetworkStack stack;
    final ConcurrentLinkedQueue<Segment> rx = new ConcurrentLinkedQueue<>();
    /** Flows by {@code localPort << 16 | remotePort}. */
    private final Map<Integer, MemoryConnection> flows = new HashMap<>();
    private final Map<Integer, Timeout> timeWait = new HashMap<>();
    private final ArrayDeque<MemoryChunk> freeChunks = new ArrayDeque<>();
    private final int retransmits;
    private final int dropped;
    private final int chunksDelivered;
    private final int chunksReleased;
    private final int timeWaitEntered;
    private final int timeWaitNow;
    private final int drainsAbandoned;

    MemoryWorker(MemoryNetworkStack stack, int index) {
        super(stack, index);
        this.stack = stack;
        retransmits = registerCounter("retransmits");
        dropped = registerCounter("segmentsDropped");
        chunksDelivered = registerCounter("chunksDelivered");
        chunksReleased = registerCounter("chunksReleased");
        timeWaitEntered = registerCounter("timeWaitEntered");
        timeWaitNow = registerCounter("timeWait");
        drainsAbandoned = registerCounter("drainsAbandoned");
    }

    @Override
    protected IdleStrategy newIdleStrategy() {
        return new BackoffIdle(200, 20, 10_000, stack.maxParkNanos);
    }

    @Override
    protected void onStart() {
        MemorySegment slab = arena().allocate((long) CHUNKS * MSS, 64);
        for (int i = 0; i < CHUNKS; i++) {
            freeChunks.push(new MemoryChunk(this, slab.asSlice((long) i * MSS, MSS)));
        }
    }

    @Override
    protected int poll(long timeoutNanos) {
        int n = 0;
        Segment s;
        while (n < RX_BURST && (s = rx.poll()) != null) {
            n++;
            input(s);
        }
        return n;
    }

    @Override
    protected void wakeup() {
        // poll never waits: an idle worker is parked by its BackoffIdle, and AbstractWorker unparks it.
    }

    /** Protocol input: the flow's connection, a listener for a SYN, or a reset for a stray segment. */
    private void input(Segment s) {
        int key = s.dstPort() << 16 | s.srcPort();
        MemoryConnection c = flows.get(key);
        if (c != null) {
            c.input(s);
            return;
        }
        if (s.has(Segment.SYN) && !s.has(Segment.ACK)) {
            MemoryNetworkStack.MemoryListener l = stack.listener(s.dstPort());
            if (l == null) {
                send(new Segment(s.dstPort(), s.srcPort(), Segment.RST, 0, 0, Segment.NO_DATA));
                return;
            }
            countAccepted();
            c = new MemoryConnection(this, l.handlers.newHandler(), s.dstPort(), s.srcPort());
            flows.put(key, c);
            c.accepted();
            return;
        }
        if (s.data().length > 0) {
            // Data for a flow that is gone (closed, or in TIME_WAIT): tell the sender, as TCP does.
            send(new Segment(s.dstPort(), s.srcPort(), Segment.RST, 0, 0, Segment.NO_DATA));
        }
    }

    void connect(InetSocketAddress remote, ConnectOptions options, ConnectionHandler handler,
                 CompletableFuture<Connection> future) {
        if (!remote.getAddress().equals(MemoryNetworkStack.ADDRESS)) {
            future.completeExceptionally(new ConnectException("no route to " + remote + " on the memory stack"));
            return;
        }
        InetSocketAddress local = new InetSocketAddress(MemoryNetworkStack.ADDRESS, 0);
        for (int port : stack.flowPlacement().connectPorts(index(), local, remote, 64)) {
            if (stack.ports.add(port)) {
                MemoryConnection c = new MemoryConnection(this, handler, port, remote.getPort());
                flows.put(port << 16 | remote.getPort(), c);
                c.connect(future, options.timeout().toNanos());
                return;
            }
        }
        future.completeExceptionally(new ConnectException("no free local port lands on worker " + index()));
    }

    void send(Segment s) {
        stack.transmit(s, this);
    }

    /** A chunk for a received payload, or null when all are in use (a full rx ring: the segment is lost). */
    MemoryChunk chunk() {
        MemoryChunk c = freeChunks.poll();
        if (c != null) {
            c.inUse = true;
            count(chunksDelivered, 1);
        }
        return c;
    }

    void recycle(MemoryChunk c) {
        if (!c.inUse) {
            throw new IllegalStateException("chunk released twice");
        }
        c.inUse = false;
        freeChunks.push(c);
        count(chunksReleased, 1);
    }

    void countRetransmit() {
        count(retransmits, 1);
    }

    void countDropped() {
        count(dropped, 1);
    }

    /** The connection is closed: forget the flow, or hold it in TIME_WAIT when we closed first. */
    void closed(MemoryConnection c, boolean activeClose) {
        int key = c.localPort << 16 | c.remotePort;
        flows.remove(key);
        if (!activeClose || stack.timeWaitNanos == 0) {
            releasePort(c);
            return;
        }
        // RFC 9293 3.6: the side that closes first waits 2*MSL before the 4-tuple may be used again.
        Timeout t = newTimeout(() -> {
            timeWait.remove(key);
            count(timeWaitNow, -1);
            releasePort(c);
        });
        timeWait.put(key, t);
        count(timeWaitEntered, 1);
        count(timeWaitNow, 1);
        t.arm(stack.timeWaitNanos);
    }

    private void releasePort(MemoryConnection c) {
        if (stack.listener(c.localPort) == null) {
            stack.ports.remove(c.localPort);
        }
    }

    @Override
    protected boolean drained() {
        return timeWait.isEmpty();
    }

    @Override
    protected void drainAbandoned() {
        count(drainsAbandoned, 1);
        for (Timeout t : timeWait.values()) {
            t.cancel();
        }
        count(timeWaitNow, -timeWait.size());
        timeWait.clear();
    }
}
