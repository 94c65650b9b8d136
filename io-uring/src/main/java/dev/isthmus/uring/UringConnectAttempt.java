package dev.isthmus.uring;

import dev.isthmus.ffi.Errno;
import dev.isthmus.ffi.posix.SocketAddresses;
import dev.isthmus.ffi.posix.errno_h;
import dev.isthmus.ffi.posix.socket_h;
import dev.isthmus.ffi.uring.__kernel_timespec;
import dev.isthmus.linux.socket.LinuxSocket;
import dev.isthmus.stack.ConnectOptions;
import dev.isthmus.stack.Connection;
import dev.isthmus.stack.ConnectionHandler;
import dev.isthmus.stack.spi.AbstractConnectAttempt;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static dev.isthmus.ffi.uring.io_uring_h.IOSQE_IO_LINK;

/**
 * One connect attempt: IORING_OP_CONNECT linked (IOSQE_IO_LINK) to an IORING_OP_LINK_TIMEOUT, so the
 * kernel cancels the connect when the timeout fires. Both post a CQE; the outcome is decided when both
 * are in (connect 0: connected; connect -ECANCELED with the timeout's -ETIME: timed out, with the message
 * every stack gives). Cancelling the future submits an IORING_OP_ASYNC_CANCEL for the connect. The future,
 * the messages and the local port are {@link AbstractConnectAttempt}'s; the timeout is the kernel's here,
 * not a worker timer, because the ring already carries it.
 */
final class UringConnectAttempt extends AbstractConnectAttempt implements Completable {
    private final UringWorker w;
    private Arena arena;
    private int fd = -1;
    private int slot;
    private int generation;
    private int inflight;
    private int connectRes = 1;
    private int timeoutRes = 1;
    private boolean cancelRequested;

    UringConnectAttempt(UringWorker w, SocketAddress remote, ConnectOptions options, ConnectionHandler handler,
                        CompletableFuture<Connection> future) {
        super(w, remote, options, handler, future);
        this.w = w;
    }

    /** On the worker thread: socket, options, bind, then the linked SQE pair. */
    @Override
    protected void begin() throws IOException {
        SocketAddress remote = remote();
        int family = SocketAddresses.family(remote);
        LinuxSocket.Scratch s = w.scratch();
        fd = LinuxSocket.socket(s, family, socket_h.SOCK_STREAM);
        for (Map.Entry<SocketOption<?>, Object> e : options().socketOptions().entrySet()) {
            UringConnection.setChecked(w, fd, family, e.getKey(), e.getValue());
        }
        bindLocal(local -> {
            int e = LinuxSocket.tryBind(s, fd, local);
            if (e == errno_h.EADDRINUSE) {
                return false;
            }
            if (e != 0) {
                throw Errno.exception("bind(" + local + ")", e);
            }
            return true;
        });
        // The address and the timespec must stay put until both CQEs are in: memory of the attempt's own.
        arena = Arena.ofConfined();
        MemorySegment sa = arena.allocate(SocketAddresses.MAX_LENGTH, 8);
        int len = SocketAddresses.write(remote, sa);
        MemorySegment ts = __kernel_timespec.allocate(arena);
        UringWorker.setTimespec(ts, options().timeout().toNanos());
        slot = w.allocateSlot(this);
        generation = w.generation(slot);
        // The two SQEs must go in one submission, adjacent: make room for both first.
        w.ensureFree(2);
        long c = w.sqe();
        long t = w.sqe();
        w.sq().connect(c, fd, sa.address(), len, UserData.pack(UserData.OP_CONNECT, slot, generation));
        w.sq().flags(c, IOSQE_IO_LINK);
        w.sq().linkTimeout(t, ts.address(), UserData.pack(UserData.OP_LINK_TIMEOUT, slot, generation));
        inflight = 2;
    }

    /** Before the SQEs are in flight (a failed begin): the socket and memory go now. */
    @Override
    protected void release() {
        if (inflight == 0) {
            LinuxSocket.closeQuietly(w.scratch().state, fd);
            fd = -1;
            if (arena != null) {
                arena.close();
                arena = null;
            }
        }
    }

    /** The kernel owns the connect: ask it to cancel; the socket goes when both CQEs are in. */
    @Override
    protected void cancelled() {
        if (cancelRequested || inflight == 0) {
            return;
        }
        cancelRequested = true;
        long o = w.sqe();
        w.sq().cancelUserData(o, UserData.pack(UserData.OP_CONNECT, slot, generation),
                UserData.pack(UserData.OP_CANCEL, slot, generation));
        inflight++;
    }

    @Override
    public void complete(int op, int res, int flags) {
        switch (op) {
            case UserData.OP_CONNECT -> connectRes = res;
            case UserData.OP_LINK_TIMEOUT -> timeoutRes = res;
            default -> { }
        }
        if (--inflight > 0) {
            return;
        }
        w.freeSlot(slot);
        arena.close();
        arena = null;
        if (isFutureDone()) {
            LinuxSocket.closeQuietly(w.scratch().state, fd);
            return;
        }
        if (connectRes == 0) {
            SocketAddress local;
            SocketAddress peer;
            try {
                local = LinuxSocket.localAddress(w.scratch(), fd);
                peer = LinuxSocket.remoteAddress(w.scratch(), fd);
            } catch (IOException e) {
                fail(e);
                return;
            }
            established();
            UringConnection c = UringConnection.open(w, fd, handler(), local, peer);
            if (!deliver(c)) {
                c.abort();
            }
        } else if (connectRes == -errno_h.ECANCELED && timeoutRes == -errno_h.ETIME) {
            fail(timeoutException());
        } else {
            fail(Errno.exception("connect(" + remote() + ")", -connectRes));
        }
    }
}
