package dev.isthmus.uring;

import dev.isthmus.ffi.Errno;
import dev.isthmus.ffi.posix.errno_h;
import dev.isthmus.ffi.posix.iovec;
import dev.isthmus.ffi.posix.msghdr;
import dev.isthmus.ffi.posix.socket_h;
import dev.isthmus.linux.socket.LinuxSocket;
import dev.isthmus.linux.socket.SocketOptionTable;
import dev.isthmus.stack.ConnectionHandler;
import dev.isthmus.stack.buffer.PooledBuffer;
import dev.isthmus.stack.buffer.SegmentSink;
import dev.isthmus.stack.spi.AbstractConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.util.Map;

import static dev.isthmus.ffi.uring.io_uring_h.*;

/**
 * A TCP or AF_UNIX stream connection on an io_uring worker.
 *
 * <h2>Life of the requests</h2>
 * <ol>
 *   <li>recv: a multishot recv with buffer selection from the worker's {@link BufferRing} (one SQE for
 *       the life of the connection; each CQE hands a filled pool buffer to the inbound chain). It ends
 *       without IORING_CQE_F_MORE at EOF, on error, or with ENOBUFS when the application holds every
 *       buffer: then it is re-armed by the worker once buffers come back, and nothing is lost (the
 *       bytes wait in the socket). With the buffer ring off: a plain recv into a pool buffer.</li>
 *   <li>send: one SQE per flush: IORING_OP_SEND for one piece, IORING_OP_SENDMSG with an iovec array
 *       gathered from the outbound chain for more, their _ZC variants at or above the zero-copy
 *       threshold. The chain's buffers stay in it until the CQE ({@link #written} releases them); a
 *       zero-copy send releases them only at its notification CQE (IORING_CQE_F_NOTIF). A partial send
 *       continues with the rest.</li>
 *   <li>close: IORING_OP_ASYNC_CANCEL of every request on the fd; the fd is closed and the slot freed
 *       when the last CQE has arrived, so each buffer is released exactly once.</li>
 * </ol>
 */
final class UringConnection extends AbstractConnection implements Completable, SegmentSink {
    private static final Logger LOG = LoggerFactory.getLogger(UringConnection.class);
    /** Pieces per gathered send; the rest goes with the next send. */
    static final int MAX_IOV = 64;
    // struct iovec offsets, from the checked binding's layout (a raw address is stored, not a segment)
    private static final long IOV_SIZE = iovec.sizeof();
    private static final long IOV_BASE = iovec.layout().byteOffset(java.lang.foreign.MemoryLayout.PathElement.groupElement("iov_base"));
    private static final long IOV_LEN = iovec.layout().byteOffset(java.lang.foreign.MemoryLayout.PathElement.groupElement("iov_len"));

    private final UringWorker w;
    private final SubmissionQueue sq;
    private final int fd;
    private final int family;
    private final int slot;
    private final int generation;
    /** The fd is in the worker's registered file table at index {@link #slot}: requests use the index. */
    private final boolean fixed;
    /** What the requests name in sqe->fd: the table index when {@link #fixed}, else the fd. */
    private final int target;
    private final Arena scratch;
    private final MemorySegment msg;
    private final MemorySegment iov;
    private int inflight;
    private boolean recvArmed;
    private boolean sending;
    /** The last send came back with EAGAIN: the next one waits for POLLOUT first. */
    private boolean pollFirst;
    /** Likewise for the next recv. */
    private boolean recvPollFirst;
    /** A zero-copy send's result, held until its notification CQE; Integer.MIN_VALUE when none. */
    private int zcResult = Integer.MIN_VALUE;
    private boolean eof;
    private boolean closing;
    private boolean finished;
    private PooledBuffer recvBuffer;
    private long gathered;
    private long firstPieceAddress;
    private int firstPieceLength;

    private UringConnection(UringWorker w, ConnectionHandler handler, SocketAddress local, SocketAddress remote,
                            int fd) {
        super(w, handler, local, remote);
        this.w = w;
        this.sq = w.sq();
        this.fd = fd;
        this.family = local instanceof InetSocketAddress in
                ? (in.getAddress() instanceof Inet6Address ? socket_h.AF_INET6 : socket_h.AF_INET) : socket_h.AF_UNIX;
        this.slot = w.allocateSlot(this);
        this.generation = w.generation(slot);
        this.fixed = w.registerFile(slot, fd);
        this.target = fixed ? slot : fd;
        // Per-connection memory for the msghdr and the iovec array, freed when the last CQE is in.
        this.scratch = Arena.ofConfined();
        this.msg = msghdr.allocate(scratch);
        this.iov = scratch.allocate(iovec.layout(), MAX_IOV);
        msghdr.msg_iov(msg, iov);
    }

    /** An accepted socket, on its worker: options, addresses, the handler, onOpen, then recv. */
    static void accepted(UringWorker w, int fd, UringListener l) {
        SocketAddress local;
        SocketAddress remote;
        ConnectionHandler h;
        try {
            int fam = l.family();
            for (Map.Entry<SocketOption<?>, Object> e : l.options().socketOptions().entrySet()) {
                setChecked(w, fd, fam, e.getKey(), e.getValue());
            }
            local = LinuxSocket.localAddress(w.scratch(), fd);
            remote = LinuxSocket.remoteAddress(w.scratch(), fd);
            h = l.handlers().newHandler();
        } catch (IOException | RuntimeException | LinkageError e) {
            LOG.warn("{}: dropping an accepted connection: {}", w, e.toString());
            LinuxSocket.closeQuietly(w.scratch().state, fd);
            return;
        }
        open(w, fd, h, local, remote);
    }

    @SuppressWarnings("unchecked")
    static <T> void setChecked(UringWorker w, int fd, int family, SocketOption<T> o, Object v) throws IOException {
        LinuxSocket.setOption(w.scratch(), fd, family, SocketOptionTable.IO_URING, o, (T) v);
    }

    /** Wraps a connected socket: onOpen, then the first recv. */
    static UringConnection open(UringWorker w, int fd, ConnectionHandler h, SocketAddress local, SocketAddress remote) {
        UringConnection c = new UringConnection(w, h, local, remote, fd);
        c.opened();
        c.armRecv();
        c.maybeFinish();
        return c;
    }

    // ---- recv -------------------------------------------------------------------------------------

    private void armRecv() {
        if (recvArmed || eof || closing || isClosed() || isInputShut() || isReadingPausedInternal()) {
            return;
        }
        long o = w.sqe();
        long ud = UserData.pack(UserData.OP_RECV, slot, generation);
        BufferRing br = w.bufferRing();
        if (br != null) {
            sq.recvSelect(o, target, br.bgid(), w.config.multishotRecv, ud);
        } else {
            PooledBuffer b = w.bufferPool().allocate();
            recvBuffer = b;
            sq.recv(o, target, b.segment().address(), b.capacity(), 0, ud);
        }
        if (fixed) {
            sq.fixedFile(o);
        }
        if (recvPollFirst) {
            sq.pollFirst(o);
            recvPollFirst = false;
        }
        recvArmed = true;
        inflight++;
    }

    /** Called by the worker when buffers are back after ENOBUFS. */
    void rearmRecv() {
        armRecv();
    }

    private void onRecv(int res, int flags) {
        boolean more = (flags & IORING_CQE_F_MORE) != 0;
        if (!more) {
            recvArmed = false;
            inflight--;
        }
        PooledBuffer b = null;
        if ((flags & IORING_CQE_F_BUFFER) != 0) {
            b = w.takeRingBuffer(flags >>> IORING_CQE_BUFFER_SHIFT);
        } else if (!more && recvBuffer != null) {
            b = recvBuffer;
            recvBuffer = null;
        }
        if (res > 0) {
            b.setIndex(0, res);
            received(b);
            if (!more) {
                armRecv();
            }
            return;
        }
        if (b != null) {
            b.release();
        }
        if (res == 0) {
            eof = true;
            inputEnded();
        } else if (res == -errno_h.ENOBUFS) {
            // Every provided buffer is held by inbound chains: wait until some are consumed.
            if (!closing && !isClosed()) {
                w.starved(this);
            }
        } else if (res != -errno_h.ECANCELED || !closing) {
            if (res == -errno_h.ECANCELED || res == -errno_h.EINTR || res == -errno_h.EAGAIN) {
                // EAGAIN: the O_NONBLOCK socket's answer came back (io-wq issue); wait for POLLIN first.
                recvPollFirst = res == -errno_h.EAGAIN;
                armRecv();
            } else {
                failed(Errno.exception("recv", -res));
            }
        }
    }

    @Override
    protected void doPauseReading() {
        if (recvArmed && !closing) {
            // Stop the (multishot) recv, so this connection takes no more buffers from the worker's ring
            // while its application is not reading; bytes that land before the cancel are buffered by
            // the base class. The recv's ECANCELED completion does not re-arm while reading is paused.
            long o = w.sqe();
            sq.cancelUserData(o, UserData.pack(UserData.OP_RECV, slot, generation),
                    UserData.pack(UserData.OP_CANCEL, slot, generation));
            inflight++;
        }
    }

    @Override
    protected void doResumeReading() {
        armRecv(); // a no-op while the cancelled recv's completion is still to come: that one re-arms
    }

    @Override
    protected boolean outboundInFlight() {
        return sending;
    }

    // ---- send -------------------------------------------------------------------------------------

    @Override
    protected void doFlush() {
        if (sending || closing) {
            return; // the CQE of the send in flight continues with what is pending
        }
        gathered = 0;
        int n = outbound().gather(this, MAX_IOV);
        if (n == 0) {
            return;
        }
        boolean zc = w.config.sendZc && gathered >= w.config.sendZcThreshold;
        long ud = UserData.pack(zc ? UserData.OP_SEND_ZC : UserData.OP_SEND, slot, generation);
        long o = w.sqe();
        if (n == 1) {
            if (zc) {
                sq.sendZc(o, target, firstPieceAddress, firstPieceLength, socket_h.MSG_NOSIGNAL, ud);
            } else {
                sq.send(o, target, firstPieceAddress, firstPieceLength, socket_h.MSG_NOSIGNAL, ud);
            }
        } else {
            msghdr.msg_iovlen(msg, n);
            sq.sendmsg(o, target, msg.address(), socket_h.MSG_NOSIGNAL, zc, ud);
        }
        if (fixed) {
            sq.fixedFile(o);
        }
        if (pollFirst) {
            sq.pollFirst(o);
            pollFirst = false;
        }
        sending = true;
        inflight++;
        w.sendQueued();
    }

    @Override
    public void piece(int index, PooledBuffer buffer, MemorySegment segment, long offset, int length) {
        long addr = segment.address() + offset;
        long e = index * IOV_SIZE;
        iov.set(ValueLayout.JAVA_LONG, e + IOV_BASE, addr);
        iov.set(ValueLayout.JAVA_LONG, e + IOV_LEN, length);
        if (index == 0) {
            firstPieceAddress = addr;
            firstPieceLength = length;
        }
        gathered += length;
    }

    private void onSend(int op, int res, int flags) {
        if (op == UserData.OP_SEND_ZC) {
            if ((flags & IORING_CQE_F_NOTIF) != 0) {
                // The kernel no longer references the buffers: now they may go back to the pool.
                w.zcNotifications++;
                res = zcResult;
                zcResult = Integer.MIN_VALUE;
            } else if ((flags & IORING_CQE_F_MORE) != 0) {
                zcResult = res; // a notification follows
                return;
            }
        }
        inflight--;
        sending = false;
        if (res == -errno_h.EAGAIN && !closing && !isClosed()) {
            // The kernel handed back the O_NONBLOCK socket's EAGAIN (seen when the send was issued from
            // io-wq, e.g. without the task-run optimisations) instead of waiting for POLLOUT itself. Send
            // again with IORING_RECVSEND_POLL_FIRST, so it waits for room first and cannot spin.
            pollFirst = true;
            doFlush();
            return;
        }
        if (res >= 0) {
            written(res);
            if (!isClosed() && !closing && outbound().pendingBytes() > 0) {
                doFlush();
            }
        } else if (res != -errno_h.ECANCELED || !closing) {
            failed(Errno.exception("send", -res));
        }
    }

    // ---- close ------------------------------------------------------------------------------------

    @Override
    protected void doShutdownOutput() throws IOException {
        LinuxSocket.shutdown(w.scratch(), fd, socket_h.SHUT_WR);
    }

    @Override
    protected void doShutdownInput() throws IOException {
        LinuxSocket.shutdown(w.scratch(), fd, socket_h.SHUT_RD);
    }

    @Override
    protected void doClose(boolean abortive) throws IOException {
        closing = true;
        if (abortive) {
            // SO_LINGER {1, 0}: close(2) sends RST and drops unsent data (socket(7)).
            try {
                LinuxSocket.setLinger(w.scratch(), fd, 0);
            } catch (IOException e) {
                LOG.debug("{}: SO_LINGER 0 failed: {}", this, e.toString());
            }
        }
        if (inflight > 0) {
            long o = w.sqe();
            if (fixed) {
                sq.cancelFixedFile(o, slot, UserData.pack(UserData.OP_CANCEL, slot, generation));
            } else {
                sq.cancelFd(o, fd, UserData.pack(UserData.OP_CANCEL, slot, generation));
            }
            inflight++;
        }
        maybeFinish();
    }

    private void maybeFinish() {
        if (finished || !closing || inflight > 0) {
            return;
        }
        finished = true;
        releaseOutbound(); // the last send completion is in: the kernel no longer reads these buffers
        if (recvBuffer != null) {
            recvBuffer.release();
            recvBuffer = null;
        }
        if (fixed) {
            w.unregisterFile(slot); // before close(2): the table's reference would keep the socket open
        }
        LinuxSocket.closeQuietly(w.scratch().state, fd);
        w.freeSlot(slot);
        scratch.close();
    }

    @Override
    public void ringClosed() {
        if (finished) {
            return;
        }
        // The buffers go back to the pool (whose arena frees them next) and the fd is closed; the
        // registered file table went with the ring.
        finished = true;
        releaseOutbound();
        if (recvBuffer != null) {
            recvBuffer.release();
            recvBuffer = null;
        }
        LinuxSocket.closeQuietly(w.scratch().state, fd);
        w.freeSlot(slot);
        scratch.close();
    }

    @Override
    public void complete(int op, int res, int flags) {
        switch (op) {
            case UserData.OP_RECV -> onRecv(res, flags);
            case UserData.OP_SEND, UserData.OP_SEND_ZC -> onSend(op, res, flags);
            case UserData.OP_CANCEL -> inflight--;
            default -> LOG.warn("{}: unexpected completion op {} res {}", this, op, res);
        }
        if (isClosed() && !closing) {
            // closeNow ran from a callback (doClose sets closing); nothing else to do.
            return;
        }
        maybeFinish();
    }

    // ---- options ----------------------------------------------------------------------------------

    @Override
    protected <T> void doSetOption(SocketOption<T> option, T value) throws IOException {
        LinuxSocket.setOption(w.scratch(), fd, family, SocketOptionTable.IO_URING, option, value);
    }

    @Override
    protected <T> T doGetOption(SocketOption<T> option) throws IOException {
        return LinuxSocket.getOption(w.scratch(), fd, family, SocketOptionTable.IO_URING, option);
    }

    @Override
    protected void doSetRawOption(int level, int name, MemorySegment value) throws IOException {
        LinuxSocket.setRaw(w.scratch(), fd, level, name, value);
    }

    @Override
    protected int doGetRawOption(int level, int name, MemorySegment value) throws IOException {
        return LinuxSocket.getRaw(w.scratch(), fd, level, name, value);
    }

    @Override
    public String toString() {
        return "io_uring " + super.toString();
    }
}
