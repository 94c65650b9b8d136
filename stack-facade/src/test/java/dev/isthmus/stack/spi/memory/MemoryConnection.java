package dev.isthmus.stack.spi.memory;

import dev.isthmus.stack.Connection;
import dev.isthmus.stack.ConnectionHandler;
import dev.isthmus.stack.buffer.PooledBuffer;
import dev.isthmus.stack.buffer.SegmentSink;
import dev.isthmus.stack.spi.AbstractConnection;
import dev.isthmus.stack.spi.Timeout;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.SocketOption;
import java.util.concurrent.CompletableFuture;

/**
 * A connection of the {@link MemoryNetworkStack}: a sender that keeps what it sent in the outbound chain
 * until acknowledged (a window of {@link #WINDOW} bytes in flight), retransmits from the acknowledged
 * point when its timer, re-armed on every send, expires or three duplicate ACKs arrive; a receiver that
 * takes segments in order only and acknowledges cumulatively. Sequence numbers count payload bytes from 0.
 */
final class MemoryConnection extends AbstractConnection implements SegmentSink {
    static final int WINDOW = 16 * MemoryWorker.MSS;
    static final long RTO_NANOS = 3_000_000L;

    private final MemoryWorker w;
    final int localPort;
    final int remotePort;
    private final Timeout rto;
    private long sndUna;
    private long sndNxt;
    private long rcvNxt;
    private int dupAcks;
    /** sndNxt when we last went back: duplicate ACKs below it are echoes of the same loss. */
    private long recover = -1;
    /** Bytes gathered in the current doFlush, and how many more the window allows. */
    private long flushed;
    private long budget;
    private CompletableFuture<Connection> connecting;
    private Timeout connectTimer;
    private boolean finSent;
    private boolean finReceived;
    private boolean reset;

    MemoryConnection(MemoryWorker w, ConnectionHandler handler, int localPort, int remotePort) {
        super(w, handler, new InetSocketAddress(MemoryNetworkStack.ADDRESS, localPort),
                new InetSocketAddress(MemoryNetworkStack.ADDRESS, remotePort));
        this.w = w;
        this.localPort = localPort;
        this.remotePort = remotePort;
        this.rto = w.newTimeout(this::retransmit);
    }

    // ---- opening ----

    void connect(CompletableFuture<Connection> future, long timeoutNanos) {
        connecting = future;
        connectTimer = w.newTimeout(() -> {
            connecting.completeExceptionally(new ConnectException("connect to port " + remotePort + " timed out"));
            w.closed(this, false);
        });
        connectTimer.arm(timeoutNanos);
        send(Segment.SYN, Segment.NO_DATA, 0);
    }

    void accepted() {
        send(Segment.SYN | Segment.ACK, Segment.NO_DATA, 0);
        opened();
    }

    // ---- input ----

    void input(Segment s) {
        if (s.has(Segment.RST)) {
            reset = true;
            if (connecting != null) {
                connectFailed(new ConnectException("connection refused by port " + remotePort));
            } else {
                failed(new SocketException("connection reset by port " + remotePort));
            }
            return;
        }
        if (connecting != null) {
            if (s.has(Segment.SYN) && s.has(Segment.ACK)) {
                CompletableFuture<Connection> f = connecting;
                connecting = null;
                connectTimer.cancel();
                if (f.isDone()) { // cancelled meanwhile: never opened, so no onClose either
                    send(Segment.RST, Segment.NO_DATA, 0);
                    w.closed(this, false);
                    return;
                }
                opened();
                f.complete(this);
            }
            return;
        }
        if (s.has(Segment.ACK)) {
            ackReceived(s);
            if (isClosed()) {
                return;
            }
        }
        if (s.data().length > 0) {
            dataReceived(s);
        }
        if (s.has(Segment.FIN) && !finReceived && !isClosed()) {
            finReceived = true;
            inputEnded();
        }
    }

    private void connectFailed(Exception e) {
        connectTimer.cancel();
        connecting.completeExceptionally(e);
        connecting = null;
        w.closed(this, false);
    }

    private void ackReceived(Segment s) {
        long ack = s.ack();
        if (ack > sndNxt) {
            // Segments from before a go-back arrived in order after all: they count as sent again.
            sent(ack - sndNxt);
            sndNxt = ack;
        }
        if (ack > sndUna) {
            long n = ack - sndUna;
            sndUna = ack;
            dupAcks = 0;
            if (sndUna == sndNxt) {
                rto.cancel();
            } else {
                rto.arm(RTO_NANOS);
            }
            acknowledged(n); // may make us writable, or finish a close
            if (!isClosed() && outbound().unsentBytes() > 0) {
                flush();
            }
        } else if (s.data().length == 0 && !s.has(Segment.FIN) && sndNxt > sndUna && sndUna > recover
                && ++dupAcks == 3) {
            // Fast retransmit (RFC 5681 3.2): three duplicate ACKs say a segment was lost.
            goBack();
        }
    }

    private void dataReceived(Segment s) {
        if (s.seq() != rcvNxt) {
            sendAck(); // out of order (a segment before it was lost) or a duplicate: say what we expect
            return;
        }
        MemoryChunk c = w.chunk();
        if (c == null) {
            return; // no room: lost, the sender will retransmit
        }
        byte[] d = s.data();
        MemorySegment.copy(d, 0, c.segment(), ValueLayout.JAVA_BYTE, 0, d.length);
        c.setIndex(0, d.length);
        rcvNxt += d.length;
        sendAck();
        received(c);
    }

    // ---- output ----

    @Override
    protected void doFlush() {
        budget = WINDOW - (sndNxt - sndUna);
        if (budget <= 0) {
            return;
        }
        flushed = 0;
        outbound().gather(this, 64);
        if (flushed > 0) {
            sent(flushed);
            sndNxt += flushed;
            rto.arm(RTO_NANOS); // re-armed on every send: allocates nothing
        }
    }

    /** Cuts each gathered piece into segments of at most an MSS, within the window. */
    @Override
    public void piece(int index, PooledBuffer buffer, MemorySegment segment, long offset, int length) {
        while (length > 0 && budget > 0) {
            int n = (int) Math.min(Math.min(length, MemoryWorker.MSS), budget);
            byte[] data = segment.asSlice(offset, n).toArray(ValueLayout.JAVA_BYTE);
            w.send(new Segment(localPort, remotePort, Segment.ACK, sndNxt + flushed, rcvNxt, data));
            flushed += n;
            budget -= n;
            offset += n;
            length -= n;
        }
    }

    /** The retransmission timer expired: send everything unacknowledged again. */
    private void retransmit() {
        if (!isClosed() && sndNxt > sndUna) {
            goBack();
        }
    }

    private void goBack() {
        recover = sndNxt;
        dupAcks = 0;
        outbound().rewindToAcknowledged();
        sndNxt = sndUna;
        w.countRetransmit();
        flush();
    }

    private void sendAck() {
        send(Segment.ACK, Segment.NO_DATA, sndNxt);
    }

    private void send(int flags, byte[] data, long seq) {
        w.send(new Segment(localPort, remotePort, flags, seq, rcvNxt, data));
    }

    @Override
    protected void doShutdownOutput() {
        finSent = true;
        send(Segment.FIN | Segment.ACK, Segment.NO_DATA, sndNxt);
    }

    @Override
    protected void doClose(boolean abortive) {
        rto.cancel();
        boolean activeClose = !finReceived;
        if (abortive) {
            if (!reset) {
                send(Segment.RST, Segment.NO_DATA, sndNxt);
            }
            activeClose = false;
        } else if (!finSent) {
            doShutdownOutput();
        }
        w.closed(this, activeClose);
    }

    @Override
    protected void doPauseReading() {
        // Bytes keep arriving and wait in the inbound chain; a real stack would shrink its window.
    }

    @Override
    protected void doResumeReading() {
    }

    @Override
    protected void doShutdownInput() {
    }

    @Override
    protected <T> void doSetOption(SocketOption<T> option, T value) {
        throw new UnsupportedOperationException("the memory stack has no option " + option.name());
    }

    @Override
    protected <T> T doGetOption(SocketOption<T> option) {
        throw new UnsupportedOperationException("the memory stack has no option " + option.name());
    }
}
