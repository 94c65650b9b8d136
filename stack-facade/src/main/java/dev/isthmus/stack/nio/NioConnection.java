package dev.isthmus.stack.nio;

import dev.isthmus.stack.ConnectionHandler;
import dev.isthmus.stack.buffer.BufferPool;
import dev.isthmus.stack.buffer.PooledBuffer;
import dev.isthmus.stack.spi.AbstractConnection;

import java.io.IOException;
import java.net.SocketException;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/**
 * A connection on a non-blocking {@link SocketChannel}: reads land in pooled buffers through their cached
 * ByteBuffer views, writes are gathered with {@code write(ByteBuffer[])}, and OP_WRITE is asked for only
 * while bytes are pending.
 */
final class NioConnection extends AbstractConnection implements NioSelectable {
    /** Reads per readiness event at most, so one busy connection cannot starve the others. */
    private static final int MAX_READS_PER_EVENT = 16;

    private final NioWorker worker;
    private final SocketChannel ch;
    private final BufferPool pool;
    private SelectionKey key;
    private int interest;

    private NioConnection(NioWorker worker, SocketChannel ch, ConnectionHandler handler) throws IOException {
        super(worker, handler, ch.getLocalAddress(), ch.getRemoteAddress());
        this.worker = worker;
        this.ch = ch;
        this.pool = worker.bufferPool();
    }

    /**
     * Wraps a connected non-blocking channel; {@code key} is its key if it is registered already (after a
     * connect), else it is registered here. Call {@link #start()} next.
     */
    static NioConnection create(NioWorker worker, SocketChannel ch, SelectionKey key, ConnectionHandler handler)
            throws IOException {
        NioConnection c = new NioConnection(worker, ch, handler);
        c.interest = SelectionKey.OP_READ;
        if (key == null) {
            c.key = ch.register(worker.selector(), SelectionKey.OP_READ, c);
        } else {
            c.key = key;
            key.attach(c);
            key.interestOps(SelectionKey.OP_READ);
        }
        return c;
    }

    /** Registers with the worker and calls {@code onOpen}. */
    void start() {
        opened();
    }

    @Override
    public void ready(int ops) {
        if ((ops & SelectionKey.OP_WRITE) != 0) {
            writeReady();
            if (isClosed()) {
                return;
            }
        }
        if ((ops & SelectionKey.OP_READ) != 0) {
            readLoop();
        }
    }

    private void readLoop() {
        for (int i = 0; i < MAX_READS_PER_EVENT && !isClosed() && !isInputShut() && !isReadingPausedInternal(); i++) {
            PooledBuffer b = pool.allocate();
            ByteBuffer bb = b.byteBuffer();
            bb.clear();
            int n;
            try {
                n = ch.read(bb);
            } catch (IOException e) {
                b.release();
                failed(named("read", e));
                return;
            } finally {
                worker.countSyscalls(1);
            }
            if (n > 0) {
                b.advanceWrite(n);
                received(b);
                if (n < bb.capacity()) {
                    return; // the socket is drained
                }
            } else {
                b.release();
                worker.countRead(0); // a read(2) that found nothing (EAGAIN) or EOF is still a read call
                if (n < 0) {
                    setInterest(interest & ~SelectionKey.OP_READ);
                    inputEnded();
                }
                return;
            }
        }
    }

    @Override
    protected void doFlush() throws IOException {
        ByteBuffer[] iov = worker.iov();
        while (true) {
            int count = outbound().gather(iov);
            if (count == 0) {
                break;
            }
            long asked = 0;
            for (int i = 0; i < count; i++) {
                asked += iov[i].remaining();
            }
            long n;
            try {
                n = ch.write(iov, 0, count);
            } catch (IOException e) {
                throw named("writev", e);
            } finally {
                worker.countSyscalls(1);
            }
            if (n > 0) {
                written(n);
            }
            if (isClosed() || n < asked) {
                break; // the send buffer is full: wait for OP_WRITE
            }
        }
        if (!isClosed()) {
            setInterest(outbound().pendingBytes() > 0 ? interest | SelectionKey.OP_WRITE
                    : interest & ~SelectionKey.OP_WRITE);
        }
    }

    @Override
    protected void doShutdownOutput() throws IOException {
        try {
            ch.shutdownOutput();
        } catch (IOException e) {
            throw named("shutdown(SHUT_WR)", e);
        }
    }

    @Override
    protected void doPauseReading() {
        setInterest(interest & ~SelectionKey.OP_READ);
    }

    @Override
    protected void doResumeReading() {
        if (!isInputShut()) {
            setInterest(interest | SelectionKey.OP_READ);
        }
    }

    @Override
    protected void doShutdownInput() throws IOException {
        setInterest(interest & ~SelectionKey.OP_READ);
        try {
            ch.shutdownInput();
        } catch (IOException e) {
            throw named("shutdown(SHUT_RD)", e);
        }
    }

    @Override
    protected void doClose(boolean abortive) throws IOException {
        key.cancel();
        if (abortive && ch.supportedOptions().contains(StandardSocketOptions.SO_LINGER)) {
            try {
                // SO_LINGER 0: close(2) sends RST and drops unsent data (socket(7)).
                ch.setOption(StandardSocketOptions.SO_LINGER, 0);
            } catch (IOException e) {
                // Already reset by the peer: nothing to abort.
            }
        }
        ch.close();
    }

    @Override
    protected <T> void doSetOption(SocketOption<T> option, T value) throws IOException {
        NioConfig.set(ch, option, value);
    }

    @Override
    protected <T> T doGetOption(SocketOption<T> option) throws IOException {
        return NioConfig.get(ch, option);
    }

    private void setInterest(int ops) {
        if (ops != interest && key.isValid()) {
            interest = ops;
            key.interestOps(ops);
        }
    }

    /** The JDK's message ("Connection reset") prefixed with the call, keeping the type (e.g. SocketException). */
    static IOException named(String call, IOException e) {
        String m = e.getMessage();
        if (m != null && m.startsWith(call + ":")) {
            return e;
        }
        String msg = call + ": " + m;
        // Keep the standard subclass (BindException for "Address already in use", ...): callers and
        // the API's documentation promise it.
        IOException n = switch (e) {
            case java.net.BindException x -> new java.net.BindException(msg);
            case java.net.ConnectException x -> new java.net.ConnectException(msg);
            case java.net.NoRouteToHostException x -> new java.net.NoRouteToHostException(msg);
            case java.net.PortUnreachableException x -> new java.net.PortUnreachableException(msg);
            case java.net.SocketTimeoutException x -> new java.net.SocketTimeoutException(msg);
            case SocketException x -> new SocketException(msg);
            default -> new IOException(msg);
        };
        n.initCause(e);
        return n;
    }
}
