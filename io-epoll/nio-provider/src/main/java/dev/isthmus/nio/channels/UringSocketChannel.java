package dev.isthmus.nio.channels;

import dev.isthmus.ffi.Errno;
import dev.isthmus.ffi.uring.io_uring_h;
import dev.isthmus.uring.StandaloneRing;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.InterruptedByTimeoutException;
import java.nio.channels.spi.AsynchronousChannelProvider;

/**
 * An {@link AsyncSocketChannel} whose operations are io_uring requests of its {@link UringChannelGroup}: a read is
 * an IORING_OP_RECV (IORING_OP_READV to scatter), a write an IORING_OP_SEND (IORING_OP_WRITEV to gather), a connect
 * an IORING_OP_CONNECT; a request ends when its CQE arrives, never before, so the kernel has let go of the
 * buffers (see {@link UringBuffers}) by the time a handler sees them again.
 *
 * <p>A write, and a read when the socket is known to hold bytes, is first tried with one non-blocking system call on
 * the initiating thread, as the JDK's implementation does: when it moves bytes the operation ends there, its handler
 * run on that thread if it is one of the group's pool ({@link AsyncGroup#finish}), and no request is made; only on
 * EAGAIN does it become a request. The call uses the thread's bounce buffer for a heap buffer and leaves nothing in
 * the kernel.
 *
 * <p>A time-out is the request's linked IORING_OP_LINK_TIMEOUT: the kernel cancels the request, whose CQE then ends
 * the operation with InterruptedByTimeoutException and leaves that side unusable, as the JDK documents. Close and a
 * cancelled Future send IORING_OP_ASYNC_CANCEL for what is in flight; after close the CQE fails the operation with
 * AsynchronousCloseException.
 */
final class UringSocketChannel extends AsyncSocketChannel {
    /**
     * Whether a read may be tried with read(2) on the initiating thread when the socket is known to hold bytes
     * ({@link #readable}). Only then: a read that meets EAGAIN costs a system call that the io_uring request it
     * becomes anyway would not have needed (a server's next read mostly comes before its client's next request).
     */
    static final boolean TRY_READS = !"false".equals(System.getProperty("isthmus.nio.async.uring.tryReads"));
    /** Whether a write is first tried with write(2) on the initiating thread: the socket has room nearly always. */
    static final boolean TRY_WRITES = !"false".equals(System.getProperty("isthmus.nio.async.uring.tryWrites"));
    private final UringChannelGroup uring;
    /**
     * The socket held more bytes after the last read: its read(2) filled all it offered, or its CQE carried
     * IORING_CQE_F_SOCK_NONEMPTY (Linux 6.0+, io_uring/net.c: bytes were left in the receive queue). Written by
     * whoever ends a read, read by the next read's initiator: the read side's pending slot orders the two.
     */
    private boolean readable;
    // the requests in flight, for cancellation
    private volatile UringOp reading;
    private volatile UringOp writing;
    private volatile UringOp connecting;

    /** A new unconnected socket in {@code group}. */
    UringSocketChannel(AsynchronousChannelProvider provider, UringChannelGroup group) throws IOException {
        super(provider, group);
        this.uring = group;
    }

    /** An accepted connection; the descriptor is closed if the group refuses it. */
    UringSocketChannel(AsynchronousChannelProvider provider, UringChannelGroup group, int family, int fd, SocketAddress remote)
            throws IOException {
        super(provider, group, family, fd, remote);
        this.uring = group;
    }

    // --- connect ---------------------------------------------------------------------------------------

    @Override
    void startConnect(AsyncResult<Void, Object> r, SocketAddress remote, ThreadIo io) {
        synchronized (writeLock) {
            connectOp = r;
        }
        if (!use.tryEnter(this)) {
            synchronized (writeLock) {
                connectOp = null;
            }
            connected(r, -1, true);
            return;
        }
        UringOp op = new ConnectOp(r, remote);
        connecting = op;
        uring.submit(op);
    }

    private final class ConnectOp extends UringOp {
        private final AsyncResult<Void, Object> r;
        private final SocketAddress remote;

        ConnectOp(AsyncResult<Void, Object> r, SocketAddress remote) {
            super(UringSocketChannel.this, UringSocketChannel.this.use, r, 0);
            this.r = r;
            this.remote = remote;
        }

        @Override
        void prepare(UringChannelGroup g, StandaloneRing ring, long sqe, long userData) {
            ThreadIo io = ThreadIo.current();
            int len = Sockets.writeAddress(io, family, remote, true);
            MemorySegment block = g.small(this);
            MemorySegment.copy(io.scratch.addr, 0, block, UringChannelGroup.SMALL_ADDR, len);
            ring.connect(sqe, fd, block.address() + UringChannelGroup.SMALL_ADDR, len, userData);
        }

        @Override
        void complete(UringChannelGroup g, int res) {
            connecting = null;
            synchronized (writeLock) {
                if (connectOp == r) {
                    connectOp = null;
                }
            }
            use.exitQuietly(UringSocketChannel.this); // before connected(), whose close may then release the descriptor
            if (failure != null) {
                g.finish(r, null, failure, false);
                return;
            }
            connected(r, res == 0 ? 0 : cancelRequested || !isOpen() ? -1 : -res, false);
        }
    }

    // --- read and write ----------------------------------------------------------------------------------

    @Override
    void startRead(AsyncResult<Number, Object> r) {
        startTransfer(r, true);
    }

    @Override
    void startWrite(AsyncResult<Number, Object> r) {
        startTransfer(r, false);
    }

    /**
     * Starts a read or write: first one non-blocking system call on the initiating thread (a write always, a read when
     * the socket is known to hold bytes; {@link #TRY_WRITES}, {@link #TRY_READS}), which ends the operation if it
     * moves a byte or fails; only when it is not tried or meets EAGAIN does the operation become an io_uring request.
     * An operation that ends here may run its handler on this thread ({@link AsyncGroup#finish}), which spares the two
     * thread hand-offs of a request: to the ring thread, and from its CQE to a pool thread.
     */
    private void startTransfer(AsyncResult<Number, Object> r, boolean read) {
        if (!use.tryEnter(this)) {
            emptySlot(r, read, false);
            group.finish(r, null, new AsynchronousCloseException(), true);
            return;
        }
        if (read ? TRY_READS && readable : TRY_WRITES) {
            long n = transferNow(read, r);
            if (read) {
                readable = n > 0 && n == ThreadIo.current().offered;
            }
            if (n != FdIo.EAGAIN) {
                use.exitQuietly(this);
                Number value = null;
                Throwable fail = null;
                if (!isOpen()) { // closed meanwhile: its close found this operation pending and left it to us
                    fail = new AsynchronousCloseException();
                } else if (n < 0) {
                    fail = Errno.exception(read ? "read" : "write", (int) -n);
                } else {
                    value = transferred(r, n, read);
                }
                emptySlot(r, read, false);
                group.finish(r, value, fail, true);
                return;
            }
        }
        UringOp op = new TransferOp(r, read);
        if (read) {
            reading = op;
        } else {
            writing = op;
        }
        uring.submit(op);
    }

    /** Whether the read or the write side has a request in the ring (tests: which path an operation took). */
    boolean inFlight(boolean read) {
        return (read ? reading : writing) != null;
    }

    /** Empties the side's pending slot if it still holds {@code r}; {@code kill}: a time-out leaves the side unusable. */
    private void emptySlot(AsyncResult<Number, Object> r, boolean read, boolean kill) {
        synchronized (read ? readLock : writeLock) {
            if (read && readOp == r) {
                readOp = null;
                readKilled |= kill;
            } else if (!read && writeOp == r) {
                writeOp = null;
                writeKilled |= kill;
            }
        }
    }

    /** A read or a write, on one buffer or scattered/gathered. */
    private final class TransferOp extends UringOp {
        private final AsyncResult<Number, Object> r;
        private final boolean read;
        private int iovCount;

        TransferOp(AsyncResult<Number, Object> r, boolean read) {
            super(UringSocketChannel.this, UringSocketChannel.this.use, r, r.timeoutNanos);
            this.r = r;
            this.read = read;
        }

        @Override
        void prepare(UringChannelGroup g, StandaloneRing ring, long sqe, long userData) {
            if (r.buffers != null) {
                MemorySegment block = g.large(this);
                iovCount = UringBuffers.vector(r.buffers, r.offset, r.length, block, !read);
                if (read) {
                    ring.readv(sqe, fd, block.address(), iovCount, userData);
                } else {
                    ring.writev(sqe, fd, block.address(), iovCount, userData);
                }
                return;
            }
            ByteBuffer b = r.buffer;
            MemorySegment block = b.isDirect() ? null : g.large(this);
            long addr = UringBuffers.single(b, block, !read);
            if (read) {
                ring.recv(sqe, fd, addr, UringBuffers.length(b), userData);
            } else {
                ring.send(sqe, fd, addr, UringBuffers.length(b), userData);
            }
        }

        @Override
        void complete(UringChannelGroup g, int res) {
            boolean timedOut = res < 0 && timedOut(res);
            if (read) {
                reading = null;
                readable = res > 0 && (cqeFlags & io_uring_h.IORING_CQE_F_SOCK_NONEMPTY) != 0;
            } else {
                writing = null;
            }
            Number value = null;
            Throwable fail = null;
            if (res >= 0 && isOpen() && !r.isCancelled()) { // after Future.cancel a heap buffer is left as it was
                if (r.buffers != null) {
                    UringBuffers.vectorDone(r.buffers, r.offset, r.length, large, iovCount, res, read);
                } else {
                    UringBuffers.singleDone(r.buffer, large, res, read);
                }
                long v = read && res == 0 ? -1 : res; // there was room, so 0 bytes read is end-of-stream
                value = r.buffers != null ? (Number) v : (Number) (int) v;
            } else if (timedOut) {
                fail = new InterruptedByTimeoutException();
            } else {
                fail = res >= 0 ? new AsynchronousCloseException() : error(res, read ? "recv" : "send");
            }
            emptySlot(r, read, timedOut);
            g.finish(r, value, fail, false);
        }
    }

    // --- cancellation, close ----------------------------------------------------------------------------

    @Override
    void cancelled(AsyncResult<?, ?> r) {
        for (UringOp op : new UringOp[] {reading, writing, connecting}) {
            if (op != null && op.result == r) {
                uring.cancel(op);
            }
        }
    }

    /** The operations end when their cancelled requests complete. */
    @Override
    void abandon(AsyncResult<?, ?> read, AsyncResult<?, ?> write, AsyncResult<?, ?> connect) {
        cancelRequest(reading);
        cancelRequest(writing);
        cancelRequest(connecting);
    }

    private void cancelRequest(UringOp op) {
        if (op != null) {
            uring.cancel(op);
        }
    }
}
