package dev.isthmus.uring;

import dev.isthmus.ffi.Errno;
import dev.isthmus.ffi.posix.SocketAddresses;
import dev.isthmus.ffi.posix.errno_h;
import dev.isthmus.ffi.posix.socket_h;
import dev.isthmus.ffi.uring.__kernel_timespec;
import dev.isthmus.stack.ConnectOptions;
import dev.isthmus.stack.Connection;
import dev.isthmus.stack.ConnectionHandler;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;

import static dev.isthmus.ffi.uring.io_uring_h.*;

/**
 * One connect attempt: IORING_OP_CONNECT linked (IOSQE_IO_LINK) to an IORING_OP_LINK_TIMEOUT, so the
 * kernel cancels the connect when the timeout fires. Both post a CQE; the outcome is decided when both
 * are in (connect 0: connected; connect -ECANCELED with the timeout's -ETIME: timed out). Cancelling the
 * future submits an IORING_OP_ASYNC_CANCEL for the connect.
 */
final class UringConnectAttempt implements Completable {
    private final UringWorker w;
    private final SocketAddress remote;
    private final ConnectOptions options;
    private final ConnectionHandler handler;
    private final CompletableFuture<Connection> future;
    private final Arena arena = Arena.ofConfined();
    private int fd = -1;
    private int slot;
    private int generation;
    private int inflight;
    private int connectRes = 1;
    private int timeoutRes = 1;
    private boolean cancelRequested;

    private UringConnectAttempt(UringWorker w, SocketAddress remote, ConnectOptions options, ConnectionHandler handler,
                           CompletableFuture<Connection> future) {
        this.w = w;
        this.remote = remote;
        this.options = options;
        this.handler = handler;
        this.future = future;
    }

    /** On the worker thread: socket, options, bind, then the linked SQE pair. */
    static void start(UringWorker w, SocketAddress remote, ConnectOptions o, ConnectionHandler h,
                      CompletableFuture<Connection> f) {
        if (f.isDone()) {
            return; // cancelled before we got here
        }
        UringConnectAttempt c = new UringConnectAttempt(w, remote, o, h, f);
        try {
            c.submit();
        } catch (IOException | RuntimeException e) {
            if (c.fd >= 0) {
                SocketCalls.close(w.callState(), c.fd);
            }
            c.arena.close();
            f.completeExceptionally(e);
            return;
        }
        f.whenComplete((conn, t) -> {
            if (f.isCancelled()) {
                try {
                    w.execute(c::cancel);
                } catch (RuntimeException ignored) {
                    // the stack is closing; the worker cancels everything itself
                }
            }
        });
    }

    private void submit() throws IOException {
        int family = SocketAddresses.family(remote);
        fd = SocketCalls.socket(w.callState(), family, socket_h.SOCK_STREAM);
        for (Map.Entry<SocketOption<?>, Object> e : options.socketOptions().entrySet()) {
            UringConnection.setChecked(w, fd, family, e.getKey(), e.getValue());
        }
        SocketAddress local = options.localAddress();
        if (options.portPerWorker() && remote instanceof InetSocketAddress
                && (local == null || local instanceof InetSocketAddress l && l.getPort() == 0)) {
            bindPortPerWorker(local);
        } else if (local != null) {
            SocketCalls.bind(w.callState(), fd, local);
        }
        MemorySegment sa = arena.allocate(SocketAddresses.MAX_LENGTH, 8);
        int len = SocketAddresses.write(remote, sa);
        MemorySegment ts = __kernel_timespec.allocate(arena);
        UringWorker.setTimespec(ts, options.timeout().toNanos());
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

    /**
     * Seastar's find_port_and_connect: a wildcard local port with {@code port % workers == worker}, so a
     * server using AcceptStrategy.PORT keeps the flow on the same worker number.
     */
    private void bindPortPerWorker(SocketAddress local) throws IOException {
        int n = w.networkStack().workerCount();
        InetSocketAddress r = (InetSocketAddress) remote;
        java.net.InetAddress addr = local != null ? ((InetSocketAddress) local).getAddress()
                : (r.getAddress() instanceof java.net.Inet6Address ? java.net.InetAddress.getByName("::")
                : java.net.InetAddress.getByName("0.0.0.0"));
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        for (int i = 0; i < 200; i++) {
            int p = 32768 + rnd.nextInt((60999 - 32768) / n) * n;
            p += Math.floorMod(w.index() - p, n);
            if (p > 65535) {
                continue;
            }
            int err = SocketCalls.tryBind(w.callState(), fd, new InetSocketAddress(addr, p));
            if (err == 0) {
                return;
            }
            if (err != errno_h.EADDRINUSE) {
                throw Errno.exception("bind", err);
            }
        }
        throw Errno.exception("bind(port per worker)", errno_h.EADDRINUSE);
    }

    private void cancel() {
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
        if (future.isDone()) {
            SocketCalls.close(w.callState(), fd);
            return;
        }
        if (connectRes == 0) {
            SocketAddress local;
            SocketAddress peer;
            try {
                local = SocketCalls.localAddress(w.callState(), fd);
                peer = SocketCalls.remoteAddress(w.callState(), fd);
            } catch (IOException e) {
                SocketCalls.close(w.callState(), fd);
                future.completeExceptionally(e);
                return;
            }
            UringConnection c = UringConnection.open(w, fd, handler, local, peer);
            if (!future.complete(c)) {
                c.abort();
            }
        } else {
            SocketCalls.close(w.callState(), fd);
            if (connectRes == -errno_h.ECANCELED && timeoutRes == -errno_h.ETIME) {
                future.completeExceptionally(new ConnectException("connect: timed out after " + options.timeout()
                        + " (" + remote + ")"));
            } else {
                IOException e = Errno.exception("connect", -connectRes);
                future.completeExceptionally(e);
            }
        }
    }
}
