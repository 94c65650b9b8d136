package dev.isthmus.nio.channels;

import dev.isthmus.ffi.Errno;
import dev.isthmus.ffi.posix.errno_h;
import dev.isthmus.linux.socket.LinuxSocket;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.spi.AsynchronousChannelProvider;

/**
 * An {@link AsyncServerSocketChannel} in an {@link EpollChannelGroup}'s epoll set: accept4(2) in the initiating
 * call, and on EAGAIN again on each readable edge.
 */
final class EpollServerSocketChannel extends AsyncServerSocketChannel implements EpollChannelGroup.Member {
    private final EpollChannelGroup epoll;

    EpollServerSocketChannel(AsynchronousChannelProvider provider, EpollChannelGroup group) throws IOException {
        super(provider, group);
        this.epoll = group;
    }

    @Override
    void startAccept(AsyncResult<AsynchronousSocketChannel, Object> r) {
        doAccept(true);
    }

    @Override
    AsynchronousSocketChannel accepted(int cfd, SocketAddress remote) throws IOException {
        return new EpollSocketChannel(provider(), epoll, family, cfd, remote);
    }

    /** Tries the pending accept: in the initiating call, and on the poller for each readable edge. */
    private void doAccept(boolean initiating) {
        AsyncResult<AsynchronousSocketChannel, Object> r;
        int cfd = -1;
        SocketAddress remote = null;
        Throwable failure = null;
        synchronized (acceptLock) {
            r = acceptOp;
            if (r == null) {
                return;
            }
            if (!use.tryEnter(this)) {
                failure = new AsynchronousCloseException();
            } else {
                try {
                    ThreadIo io = ThreadIo.current();
                    while (true) {
                        cfd = LinuxSocket.accept(io.scratch, fd);
                        if (cfd >= 0) {
                            remote = LinuxSocket.scratchAddress(io.scratch);
                            break;
                        }
                        int e = -cfd;
                        if (e == errno_h.ECONNABORTED || e == errno_h.EINTR) {
                            continue; // accept(2): the peer went away before we took it; take the next one
                        }
                        if (e == errno_h.EAGAIN) {
                            return;
                        }
                        failure = Errno.exception("accept", e);
                        break;
                    }
                } finally {
                    use.exitQuietly(this);
                }
            }
            acceptOp = null;
        }
        acceptDone(r, cfd, remote, failure, initiating);
    }

    @Override
    public void onEvents(int events) {
        doAccept(false);
    }

    /** The accept4(2), retried on edges, just stops. */
    @Override
    void cancelled(AsyncResult<?, ?> r) {
    }

    /** Nothing of the accept is in the kernel: fail it now. */
    @Override
    void abandon(AsyncResult<?, ?> accept) {
        group.failClosed(accept);
    }
}
