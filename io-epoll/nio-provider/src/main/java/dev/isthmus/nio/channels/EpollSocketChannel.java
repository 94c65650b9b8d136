package dev.isthmus.nio.channels;

import dev.isthmus.ffi.Errno;
import dev.isthmus.ffi.posix.epoll_h;
import dev.isthmus.ffi.posix.errno_h;
import dev.isthmus.ffi.posix.poll_h;
import dev.isthmus.linux.socket.LinuxSocket;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.InterruptedByTimeoutException;
import java.nio.channels.spi.AsynchronousChannelProvider;

/**
 * An {@link AsyncSocketChannel} in an {@link EpollChannelGroup}'s epoll set. An operation tries its system call in
 * the initiating call; on EAGAIN it stays pending and the group's poller retries it on the socket's next edge. The
 * side's lock is held around the system call and the pending slot, so an edge that arrives while the initiating
 * call meets EAGAIN is not lost: the poller waits for the lock and then finds the operation pending.
 *
 * <p>Buffers: a direct buffer is read or written in place; a heap buffer through the calling thread's bounce
 * buffer ({@link FdIo}), during the system call only. The kernel never keeps a reference to either between
 * calls (readiness, not completion, is what epoll reports), so a pending operation holds no native memory.
 * Time-outs run on the group's timer thread.
 */
final class EpollSocketChannel extends AsyncSocketChannel implements EpollChannelGroup.Member {
    private static final int READ_EVENTS = epoll_h.EPOLLIN | epoll_h.EPOLLRDHUP | epoll_h.EPOLLHUP | epoll_h.EPOLLERR;
    private static final int WRITE_EVENTS = epoll_h.EPOLLOUT | epoll_h.EPOLLHUP | epoll_h.EPOLLERR;

    private final EpollChannelGroup epoll;

    /** A new unconnected socket in {@code group}. */
    EpollSocketChannel(AsynchronousChannelProvider provider, EpollChannelGroup group) throws IOException {
        super(provider, group);
        this.epoll = group;
    }

    /** An accepted connection; the descriptor is closed if the group refuses it. */
    EpollSocketChannel(AsynchronousChannelProvider provider, EpollChannelGroup group, int family, int fd, SocketAddress remote)
            throws IOException {
        super(provider, group, family, fd, remote);
        this.epoll = group;
    }

    // --- connect ---------------------------------------------------------------------------------------

    @Override
    void startConnect(AsyncResult<Void, Object> r, SocketAddress remote, ThreadIo io) {
        int err;
        synchronized (writeLock) {
            connectOp = r;
            if (!use.tryEnter(this)) {
                connectOp = null;
                err = -1;
            } else {
                try {
                    err = Sockets.connect(io, fd, family, remote);
                } finally {
                    use.exitQuietly(this);
                }
                if (err == errno_h.EINPROGRESS) {
                    return; // the poller finishes it on the socket's writable edge
                }
                connectOp = null;
            }
        }
        connected(r, err, true);
    }

    /** The poller: a writable edge may end a pending connect. */
    private void finishConnect() {
        AsyncResult<Void, Object> r;
        int err;
        synchronized (writeLock) {
            r = connectOp;
            if (r == null) {
                return;
            }
            if (!use.tryEnter(this)) {
                connectOp = null;
                err = -1;
            } else {
                try {
                    ThreadIo io = ThreadIo.current();
                    // The socket was added to epoll before connect(2), which reports an edge for the unconnected
                    // socket (tcp_poll: EPOLLOUT|EPOLLHUP in TCP_CLOSE); while in SYN_SENT poll shows nothing.
                    if (io.pollNow(fd, poll_h.POLLOUT) == 0) {
                        return;
                    }
                    err = LinuxSocket.soError(io.scratch, fd);
                } catch (IOException e) {
                    err = errno_h.EBADF;
                } finally {
                    use.exitQuietly(this);
                }
                connectOp = null;
            }
        }
        connected(r, err, false);
    }

    // --- read and write ----------------------------------------------------------------------------------

    @Override
    void startRead(AsyncResult<Number, Object> r) {
        transfer(true, true);
    }

    @Override
    void startWrite(AsyncResult<Number, Object> r) {
        transfer(false, true);
    }

    /** Tries the side's pending read or write: in the initiating call, and on the poller for each edge. */
    private void transfer(boolean read, boolean initiating) {
        AsyncResult<Number, Object> r;
        Number result = null;
        Throwable failure = null;
        synchronized (read ? readLock : writeLock) {
            r = read ? readOp : writeOp;
            if (r == null) {
                return;
            }
            if (!use.tryEnter(this)) {
                failure = new AsynchronousCloseException();
            } else {
                try {
                    long n = transferNow(read, r);
                    if (n == FdIo.EAGAIN) {
                        armTimer(r, read);
                        return;
                    }
                    if (n < 0) {
                        failure = Errno.exception(read ? "read" : "write", (int) -n);
                    } else {
                        result = transferred(r, n, read);
                    }
                } finally {
                    use.exitQuietly(this);
                }
            }
            if (read) {
                readOp = null;
            } else {
                writeOp = null;
            }
        }
        group.finish(r, result, failure, initiating);
    }

    // --- time-outs, cancellation, close --------------------------------------------------------------------

    /** Arms the operation's time-out when it first goes pending (caller holds the side's lock). */
    private void armTimer(AsyncResult<Number, Object> r, boolean read) {
        if (r.timeoutNanos > 0 && r.timer == null) {
            try {
                r.timer = epoll.schedule(() -> timedOut(r, read), r.timeoutNanos);
            } catch (java.util.concurrent.RejectedExecutionException terminating) {
                // shutdownNow is closing this channel: its close fails the operation with AsynchronousCloseException
            }
        }
    }

    private void timedOut(AsyncResult<Number, Object> r, boolean read) {
        if (read) {
            synchronized (readLock) {
                if (readOp != r) {
                    return;
                }
                readOp = null;
                readKilled = true;
            }
        } else {
            synchronized (writeLock) {
                if (writeOp != r) {
                    return;
                }
                writeOp = null;
                writeKilled = true;
            }
        }
        group.finish(r, null, new InterruptedByTimeoutException(), false);
    }

    /** The timer is cancelled with the Future (AsyncResult.cancel); the system call, retried on edges, just stops. */
    @Override
    void cancelled(AsyncResult<?, ?> r) {
    }

    /** Nothing of the operations is in the kernel: fail them now. */
    @Override
    void abandon(AsyncResult<?, ?> read, AsyncResult<?, ?> write, AsyncResult<?, ?> connect) {
        group.failClosed(read);
        group.failClosed(write);
        group.failClosed(connect);
    }

    @Override
    public void onEvents(int events) {
        if ((events & WRITE_EVENTS) != 0) {
            finishConnect();
            transfer(false, false);
        }
        if ((events & READ_EVENTS) != 0) {
            transfer(true, false);
        }
    }
}
