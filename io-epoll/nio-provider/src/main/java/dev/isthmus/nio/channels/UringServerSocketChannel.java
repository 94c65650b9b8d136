package dev.isthmus.nio.channels;

import dev.isthmus.ffi.posix.errno_h;
import dev.isthmus.ffi.posix.socket_h;
import dev.isthmus.linux.socket.LinuxSocket;
import dev.isthmus.uring.StandaloneRing;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.spi.AsynchronousChannelProvider;

/**
 * An {@link AsyncServerSocketChannel} whose accept is an IORING_OP_ACCEPT (SOCK_NONBLOCK|SOCK_CLOEXEC) of its
 * {@link UringChannelGroup}; the peer's address is read with getpeername(2) on the new socket. Close and a
 * cancelled Future send IORING_OP_ASYNC_CANCEL; after close the accept fails with AsynchronousCloseException (a
 * connection accepted meanwhile is closed).
 */
final class UringServerSocketChannel extends AsyncServerSocketChannel {
    private final UringChannelGroup uring;
    private volatile UringOp accepting;

    UringServerSocketChannel(AsynchronousChannelProvider provider, UringChannelGroup group) throws IOException {
        super(provider, group);
        this.uring = group;
    }

    @Override
    void startAccept(AsyncResult<AsynchronousSocketChannel, Object> r) {
        if (!use.tryEnter(this)) {
            synchronized (acceptLock) {
                if (acceptOp == r) {
                    acceptOp = null;
                }
            }
            acceptDone(r, -1, null, new AsynchronousCloseException(), true);
            return;
        }
        UringOp op = new AcceptOp(r);
        accepting = op;
        uring.submit(op);
    }

    @Override
    AsynchronousSocketChannel accepted(int cfd, SocketAddress remote) throws IOException {
        return new UringSocketChannel(provider(), uring, family, cfd, remote);
    }

    private final class AcceptOp extends UringOp {
        private final AsyncResult<AsynchronousSocketChannel, Object> r;

        AcceptOp(AsyncResult<AsynchronousSocketChannel, Object> r) {
            super(UringServerSocketChannel.this, UringServerSocketChannel.this.use, r, 0);
            this.r = r;
        }

        @Override
        void prepare(UringChannelGroup g, StandaloneRing ring, long sqe, long userData) {
            ring.accept(sqe, fd, socket_h.SOCK_NONBLOCK | socket_h.SOCK_CLOEXEC, userData);
        }

        @Override
        void complete(UringChannelGroup g, int res) {
            if (res == -errno_h.ECONNABORTED && !cancelRequested && use.tryEnter(UringServerSocketChannel.this)) {
                // accept(2): the peer went away before we took it; wait for the next one (this request's use ends
                // when this returns, the new one holds its own)
                UringOp next = new AcceptOp(r);
                accepting = next;
                g.submit(next);
                return;
            }
            accepting = null;
            synchronized (acceptLock) {
                if (acceptOp == r) {
                    acceptOp = null;
                }
            }
            ThreadIo io = ThreadIo.current();
            SocketAddress remote = null;
            Throwable fail = null;
            if (res >= 0 && !isOpen()) {
                LinuxSocket.closeQuietly(io.state(), res);
                fail = new AsynchronousCloseException();
            } else if (res >= 0) {
                try {
                    remote = LinuxSocket.remoteAddress(io.scratch, res);
                } catch (IOException e) { // the peer reset the connection already: the accept reports it
                    LinuxSocket.closeQuietly(io.state(), res);
                    fail = e;
                }
            } else {
                fail = error(res, "accept");
            }
            acceptDone(r, res, remote, fail, false);
        }
    }

    @Override
    void cancelled(AsyncResult<?, ?> r) {
        UringOp op = accepting;
        if (op != null && op.result == r) {
            uring.cancel(op);
        }
    }

    /** The accept ends when its cancelled request completes. */
    @Override
    void abandon(AsyncResult<?, ?> accept) {
        UringOp op = accepting;
        if (op != null) {
            uring.cancel(op);
        }
    }
}
