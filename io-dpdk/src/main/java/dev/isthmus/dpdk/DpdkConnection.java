package dev.isthmus.dpdk;

import dev.isthmus.dpdk.tcp.CloseReason;
import dev.isthmus.dpdk.tcp.Tcb;
import dev.isthmus.dpdk.tcp.TcbEvents;
import dev.isthmus.dpdk.tcp.TcpState;
import dev.isthmus.stack.ConnectionHandler;
import dev.isthmus.stack.buffer.InboundChunk;
import dev.isthmus.stack.spi.AbstractConnection;
import dev.isthmus.stack.spi.SocketOptionErrors;
import jdk.net.ExtendedSocketOptions;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.SocketOption;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;

/**
 * A TCP connection of the dpdk stack: the facade's {@link AbstractConnection} over a {@link Tcb}.
 *
 * <p>Sending: {@code write} fills the outbound chain; {@link #doFlush} lets the TCB send what its windows
 * allow from the chain's sent cursor; acknowledged bytes are released through {@link #acknowledged}, so
 * writability and a close that waits for the last byte work as on the kernel stacks. Receiving: the bytes
 * of each in-order segment reach the inbound chain as a chunk over their mbuf, without a copy; the mbuf
 * goes back to its pool when the chunk is released. Under pressure they are copied into a buffer of the
 * worker's pool and the mbuf goes back with its rx batch: while reading is paused, and once the worker's
 * connections hold their share of mbufs ({@link DpdkTcp#receivedChunk}), so held data never starves the
 * mbuf pool. The TCB counts the bytes as queued until the application consumed them (the chunk's
 * release), so a paused or slow reader closes the advertised window instead of growing a buffer.
 *
 * <p>Closing hands the TCB its FIN (or RST when aborted); the TCB then lives on in the worker's layer
 * through FIN_WAIT and TIME_WAIT without the connection.
 */
final class DpdkConnection extends AbstractConnection implements TcbEvents {
    private final DpdkTcp tcp;
    private Tcb tcb;
    /** Set while an active open waits for its handshake. */
    DpdkConnectAttempt attempt;
    private boolean keepalive;
    private int keepIdleSeconds = 7200;
    private int keepIntervalSeconds = 75;
    private int keepCount = 9;
    /** SO_LINGER in seconds, -1 when off. A non-blocking close never waits; only 0 changes what it does. */
    private int linger = -1;

    DpdkConnection(DpdkWorker worker, ConnectionHandler handler, InetSocketAddress local, InetSocketAddress remote) {
        super(worker, handler, local, remote);
        this.tcp = ((DpdkWorker) worker).tcp();
    }

    void bind(Tcb tcb) {
        this.tcb = tcb;
    }

    Tcb tcb() {
        return tcb;
    }

    /** The handshake completed: registered with the worker, {@code onOpen}. */
    void open() {
        opened();
    }

    /** The connection's outbound chain, for the TCB. */
    dev.isthmus.stack.buffer.OutboundChain chain() {
        return outbound();
    }

    // ---- TcbEvents ----

    @Override
    public void onEstablished(Tcb t) {
        if (attempt != null) {
            DpdkConnectAttempt a = attempt;
            attempt = null;
            a.connected(this);
        }
    }

    @Override
    public void onData(Tcb t, MemorySegment packet, long offset, int length) {
        // Left in the mbuf, or copied out under pressure (see the class comment); each chunk tells the TCB
        // when the application has consumed it.
        while (length > 0) {
            InboundChunk c = tcp.receivedChunk(t, packet, offset, length, isReadingPaused());
            int n = c.readableBytes();
            received(c);
            offset += n;
            length -= n;
        }
    }

    @Override
    public void onAcknowledged(Tcb t, long bytes) {
        // The worker's bytesWritten: each byte once, when the peer has it (a kernel stack counts what the
        // kernel took; a byte sent again after a loss is not written again). Also after close: a close
        // that flushes pending writes still writes them.
        worker().countWrite(bytes);
        if (isClosed()) {
            return; // the chain went with the connection; the TCB finishes on its own
        }
        acknowledged(bytes);
    }

    @Override
    public void onPeerFin(Tcb t) {
        inputEnded();
    }

    @Override
    public void onClosed(Tcb t, CloseReason reason) {
        if (attempt != null) {
            DpdkConnectAttempt a = attempt;
            attempt = null;
            a.failedWith(reason);
            return;
        }
        if (isClosed()) {
            return;
        }
        switch (reason) {
            case RESET, REFUSED -> failed(new SocketException("Connection reset (ECONNRESET)"));
            case TIMED_OUT -> failed(new SocketTimeoutException("Connection timed out (ETIMEDOUT)"));
            case UNREACHABLE -> failed(new SocketException("No route to host (EHOSTUNREACH)"));
            case NORMAL, ABORTED -> {
                // Both directions finished (or we aborted): nothing more will come. The application still
                // closes the connection itself, as after a kernel socket's FIN exchange.
            }
        }
    }

    // ---- AbstractConnection ----

    @Override
    protected void doFlush() throws IOException {
        if (tcb.state() == TcpState.CLOSED || tcb.state() == TcpState.TIME_WAIT) {
            // Nothing can carry the bytes any more (the peer reset, or both FINs are through): as write(2)
            // on such a socket, EPIPE rather than bytes that wait forever.
            throw new SocketException("write: EPIPE (Broken pipe): the TCP connection is " + tcb.state());
        }
        tcb.output();
    }

    @Override
    protected void doShutdownOutput() {
        tcb.shutdownOutput();
    }

    @Override
    protected void doPauseReading() {
        // Nothing to stop: what arrives waits in the inbound chain, unreleased, and the TCB's window
        // closes as it fills (the receive buffer bounds it).
    }

    @Override
    protected void doResumeReading() {
    }

    @Override
    protected void doShutdownInput() {
    }

    @Override
    protected void doClose(boolean abortive) {
        if (tcb.state() == TcpState.CLOSED) {
            return;
        }
        if (abortive || linger == 0) {
            // SO_LINGER with a zero timeout: close resets the connection instead of a FIN exchange, as
            // Linux does (socket(7); tcp_close sends RST when SOCK_LINGER and sk_lingertime are 0).
            tcb.abort();
        } else {
            tcb.close();
        }
    }

    @Override
    protected <T> void doSetOption(SocketOption<T> option, T value) throws IOException {
        if (option == StandardSocketOptions.TCP_NODELAY) {
            tcb.setNoDelay((Boolean) value);
        } else if (option == StandardSocketOptions.SO_KEEPALIVE) {
            keepalive = (Boolean) value;
            applyKeepalive();
        } else if (option == ExtendedSocketOptions.TCP_KEEPIDLE) {
            keepIdleSeconds = positive(option, (Integer) value);
            applyKeepalive();
        } else if (option == ExtendedSocketOptions.TCP_KEEPINTERVAL) {
            keepIntervalSeconds = positive(option, (Integer) value);
            applyKeepalive();
        } else if (option == ExtendedSocketOptions.TCP_KEEPCOUNT) {
            keepCount = positive(option, (Integer) value);
            applyKeepalive();
        } else if (option == StandardSocketOptions.SO_RCVBUF) {
            tcb.setReceiveBuffer(positive(option, (Integer) value));
        } else if (option == StandardSocketOptions.SO_SNDBUF) {
            tcb.setSendBuffer(positive(option, (Integer) value));
        } else if (option == StandardSocketOptions.SO_LINGER) {
            linger = Math.max(-1, (Integer) value); // negative switches it off, as in java.net.Socket
        } else {
            throw SocketOptionErrors.notSupported(option, "dpdk");
        }
    }

    private static int positive(SocketOption<?> option, int v) {
        if (v < 1) {
            throw new IllegalArgumentException(option.name() + " must be at least 1, was " + v);
        }
        return v;
    }

    private void applyKeepalive() {
        tcb.setKeepalive(keepalive ? keepIdleSeconds * 1_000_000_000L : 0, keepIntervalSeconds * 1_000_000_000L, keepCount);
    }

    @Override
    @SuppressWarnings("unchecked")
    protected <T> T doGetOption(SocketOption<T> option) {
        Object v;
        if (option == StandardSocketOptions.TCP_NODELAY) {
            v = tcb.noDelay();
        } else if (option == StandardSocketOptions.SO_KEEPALIVE) {
            v = keepalive;
        } else if (option == ExtendedSocketOptions.TCP_KEEPIDLE) {
            v = keepIdleSeconds;
        } else if (option == ExtendedSocketOptions.TCP_KEEPINTERVAL) {
            v = keepIntervalSeconds;
        } else if (option == ExtendedSocketOptions.TCP_KEEPCOUNT) {
            v = keepCount;
        } else if (option == StandardSocketOptions.SO_RCVBUF) {
            v = tcb.receiveBuffer();
        } else if (option == StandardSocketOptions.SO_SNDBUF) {
            v = tcb.sendBuffer();
        } else if (option == StandardSocketOptions.SO_LINGER) {
            v = linger;
        } else {
            throw SocketOptionErrors.notSupported(option, "dpdk");
        }
        return (T) v;
    }

    /** The options this stack's connections take (others are refused when the connection is made). */
    static boolean supports(SocketOption<?> o) {
        return o == StandardSocketOptions.TCP_NODELAY || o == StandardSocketOptions.SO_KEEPALIVE
                || o == ExtendedSocketOptions.TCP_KEEPIDLE || o == ExtendedSocketOptions.TCP_KEEPINTERVAL
                || o == ExtendedSocketOptions.TCP_KEEPCOUNT || o == StandardSocketOptions.SO_RCVBUF
                || o == StandardSocketOptions.SO_SNDBUF || o == StandardSocketOptions.SO_LINGER;
    }

    /** A line as {@code ss -ti} prints it. */
    String describe() {
        return tcb == null ? "(no TCB)" : tcb.describe();
    }
}
