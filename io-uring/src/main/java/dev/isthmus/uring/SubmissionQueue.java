package dev.isthmus.uring;

import dev.isthmus.ffi.uring.Barriers;
import dev.isthmus.ffi.uring.io_uring_sqe;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static dev.isthmus.ffi.uring.io_uring_h.*;

/**
 * The submission queue of one {@link Ring}: the kernel's SQ ring (head, tail, flags, the optional index
 * array) and the SQE array, both mapped as {@link MemorySegment}s.
 *
 * <p>Shadow tail, as liburing's {@code sq->sqe_tail}: SQEs are filled locally and the kernel's tail is
 * published once per batch ({@link #flush()}) with a store-release, so the kernel sees every SQE
 * written before the tail that covers it. Only the worker thread touches this object.
 *
 * <p>SQE field offsets are those of {@code struct io_uring_sqe} in linux/io_uring.h (liburing 2.9,
 * src/include/liburing/io_uring.h); the prep methods name the liburing helper they mirror.
 */
final class SubmissionQueue {
    // struct io_uring_sqe (64 bytes), offsets from the checked binding
    static final int SQE_SIZE = (int) io_uring_sqe.sizeof();
    static final long SQE_OPCODE = io_uring_sqe.opcode$offset();
    static final long SQE_FLAGS = io_uring_sqe.flags$offset();
    /** ioprio; also the send/recv/accept flags (IORING_RECV_MULTISHOT, IORING_ACCEPT_MULTISHOT). */
    static final long SQE_IOPRIO = io_uring_sqe.ioprio$offset();
    static final long SQE_FD = io_uring_sqe.fd$offset();
    static final long SQE_OFF = io_uring_sqe.off$offset();
    static final long SQE_ADDR = io_uring_sqe.addr$offset();
    static final long SQE_LEN = io_uring_sqe.len$offset();
    /** The union of rw_flags, msg_flags, accept_flags, cancel_flags, timeout_flags, msg_ring_flags. */
    static final long SQE_OP_FLAGS = io_uring_sqe.rw_flags$offset();
    static final long SQE_USER_DATA = io_uring_sqe.user_data$offset();
    static final long SQE_BUF_GROUP = io_uring_sqe.buf_group$offset();

    private final MemorySegment ring;
    private final MemorySegment sqes;
    private final long khead;
    private final long ktail;
    private final long kflags;
    private final int mask;
    private final int entries;
    private final boolean sqpoll;

    /** Next SQE to fill (shadow of the kernel tail). */
    private int tail;
    /** Tail as last published to the kernel. */
    private int publishedTail;

    SubmissionQueue(MemorySegment ring, MemorySegment sqes, long khead, long ktail, long kflags, long kmask,
                    long kentries, long karray, boolean hasArray, boolean sqpoll) {
        this.ring = ring;
        this.sqes = sqes;
        this.khead = khead;
        this.ktail = ktail;
        this.kflags = kflags;
        this.mask = ring.get(ValueLayout.JAVA_INT, kmask);
        this.entries = ring.get(ValueLayout.JAVA_INT, kentries);
        this.sqpoll = sqpoll;
        if (hasArray) {
            // Map SQ slot i to SQE i once, as liburing's io_uring_setup does since 2.2; afterwards only
            // the tail moves. Without the array (IORING_SETUP_NO_SQARRAY) the kernel uses ring order.
            for (int i = 0; i < entries; i++) {
                ring.set(ValueLayout.JAVA_INT, karray + 4L * i, i);
            }
        }
        this.tail = Barriers.READ_ONCE(ring, ktail);
        this.publishedTail = tail;
    }

    int entries() {
        return entries;
    }

    /** SQEs filled and not yet published. */
    int pending() {
        return tail - publishedTail;
    }

    /**
     * Free SQE slots. The kernel's head is read with acquire under SQPOLL (the poller thread moves it
     * concurrently, and we are about to overwrite the SQEs it has released); otherwise the kernel
     * consumes SQEs only inside our own io_uring_enter, and a plain read suffices (liburing's
     * io_uring_get_sqe makes the same distinction).
     */
    int free() {
        int head = sqpoll ? Barriers.load_acquire(ring, khead) : Barriers.READ_ONCE(ring, khead);
        return entries - (tail - head);
    }

    /**
     * Claims the next SQE, zeroed, and returns its offset in {@link #sqes()}; -1 if the queue is full
     * (the caller submits and retries).
     */
    long next() {
        if (free() == 0) {
            return -1;
        }
        long off = (long) (tail & mask) * SQE_SIZE;
        tail++;
        // Zero all 64 bytes: every prep writes only the fields it uses (io_uring_prep_rw does the same).
        for (long o = 0; o < SQE_SIZE; o += 8) {
            sqes.set(ValueLayout.JAVA_LONG, off + o, 0L);
        }
        return off;
    }

    MemorySegment sqes() {
        return sqes;
    }

    /**
     * Publishes the locally filled SQEs: one store-release of the tail per batch, so the kernel (or the
     * SQPOLL thread) sees the SQE contents before the tail (liburing's __io_uring_flush_sq).
     *
     * @return how many SQEs the kernel has yet to consume
     */
    int flush() {
        if (tail != publishedTail) {
            Barriers.store_release(ring, ktail, tail);
            publishedTail = tail;
        }
        return tail - Barriers.READ_ONCE(ring, khead);
    }

    /**
     * Whether the SQPOLL thread sleeps and must be woken with IORING_ENTER_SQ_WAKEUP. The full fence
     * orders our tail store before the flags load; the kernel has the matching barrier between setting
     * NEED_WAKEUP and re-reading the tail (liburing sq_ring_needs_enter).
     */
    boolean needsWakeup() {
        Barriers.smp_mb();
        return (Barriers.READ_ONCE(ring, kflags) & IORING_SQ_NEED_WAKEUP) != 0;
    }

    /** Whether the kernel holds completions that did not fit the CQ ring (IORING_SQ_CQ_OVERFLOW). */
    boolean cqOverflow() {
        return (Barriers.READ_ONCE(ring, kflags) & IORING_SQ_CQ_OVERFLOW) != 0;
    }

    /** Whether task work is pending (IORING_SQ_TASKRUN, with IORING_SETUP_TASKRUN_FLAG). */
    boolean taskrun() {
        return (Barriers.READ_ONCE(ring, kflags) & IORING_SQ_TASKRUN) != 0;
    }

    // ---- prep helpers: each fills the fields its liburing namesake fills -----------------------------

    /** io_uring_prep_rw: the common fields. */
    private void rw(long o, int op, int fd, long addr, int len, long off, long userData) {
        sqes.set(ValueLayout.JAVA_BYTE, o + SQE_OPCODE, (byte) op);
        sqes.set(ValueLayout.JAVA_INT, o + SQE_FD, fd);
        sqes.set(ValueLayout.JAVA_LONG, o + SQE_OFF, off);
        sqes.set(ValueLayout.JAVA_LONG, o + SQE_ADDR, addr);
        sqes.set(ValueLayout.JAVA_INT, o + SQE_LEN, len);
        sqes.set(ValueLayout.JAVA_LONG, o + SQE_USER_DATA, userData);
    }

    void flags(long o, int iosqeFlags) {
        sqes.set(ValueLayout.JAVA_BYTE, o + SQE_FLAGS, (byte) iosqeFlags);
    }

    /**
     * IOSQE_FIXED_FILE: {@code sqe->fd} is an index into the ring's registered file table, so the kernel
     * skips the fget/fput of the request (io_uring_register(2), IORING_REGISTER_FILES).
     */
    void fixedFile(long o) {
        byte f = sqes.get(ValueLayout.JAVA_BYTE, o + SQE_FLAGS);
        sqes.set(ValueLayout.JAVA_BYTE, o + SQE_FLAGS, (byte) (f | IOSQE_FIXED_FILE));
    }

    /** io_uring_prep_nop. */
    void nop(long o, long userData) {
        rw(o, IORING_OP_NOP, -1, 0, 0, 0, userData);
    }

    /** io_uring_prep_accept / io_uring_prep_multishot_accept (IORING_ACCEPT_MULTISHOT in ioprio). */
    void accept(long o, int fd, int acceptFlags, boolean multishot, long userData) {
        rw(o, IORING_OP_ACCEPT, fd, 0, 0, 0, userData);
        sqes.set(ValueLayout.JAVA_INT, o + SQE_OP_FLAGS, acceptFlags);
        if (multishot) {
            sqes.set(ValueLayout.JAVA_SHORT, o + SQE_IOPRIO, (short) IORING_ACCEPT_MULTISHOT);
        }
    }

    /** io_uring_prep_recv into a buffer we chose. */
    void recv(long o, int fd, long addr, int len, int msgFlags, long userData) {
        rw(o, IORING_OP_RECV, fd, addr, len, 0, userData);
        sqes.set(ValueLayout.JAVA_INT, o + SQE_OP_FLAGS, msgFlags);
    }

    /**
     * io_uring_prep_recv (or io_uring_prep_recv_multishot) with IOSQE_BUFFER_SELECT: the kernel picks a
     * buffer from group {@code bgid} when data arrives.
     */
    void recvSelect(long o, int fd, int bgid, boolean multishot, long userData) {
        rw(o, IORING_OP_RECV, fd, 0, 0, 0, userData);
        if (multishot) {
            sqes.set(ValueLayout.JAVA_SHORT, o + SQE_IOPRIO, (short) IORING_RECV_MULTISHOT);
        }
        sqes.set(ValueLayout.JAVA_BYTE, o + SQE_FLAGS, (byte) IOSQE_BUFFER_SELECT);
        sqes.set(ValueLayout.JAVA_SHORT, o + SQE_BUF_GROUP, (short) bgid);
    }

    /**
     * IORING_RECVSEND_POLL_FIRST in ioprio (Linux 5.19): the send or recv arms poll before its first
     * attempt, for a socket known to be full (send) or empty (recv).
     */
    void pollFirst(long o) {
        short p = sqes.get(ValueLayout.JAVA_SHORT, o + SQE_IOPRIO);
        sqes.set(ValueLayout.JAVA_SHORT, o + SQE_IOPRIO, (short) (p | IORING_RECVSEND_POLL_FIRST));
    }

    /** io_uring_prep_send. */
    void send(long o, int fd, long addr, int len, int msgFlags, long userData) {
        rw(o, IORING_OP_SEND, fd, addr, len, 0, userData);
        sqes.set(ValueLayout.JAVA_INT, o + SQE_OP_FLAGS, msgFlags);
    }

    /** io_uring_prep_send_zc: a CQE for the send, then one with IORING_CQE_F_NOTIF when the buffer is free. */
    void sendZc(long o, int fd, long addr, int len, int msgFlags, long userData) {
        rw(o, IORING_OP_SEND_ZC, fd, addr, len, 0, userData);
        sqes.set(ValueLayout.JAVA_INT, o + SQE_OP_FLAGS, msgFlags);
    }

    /** io_uring_prep_sendmsg (or _zc): {@code msghdr} is the address of a struct msghdr. */
    void sendmsg(long o, int fd, long msghdr, int msgFlags, boolean zc, long userData) {
        rw(o, zc ? IORING_OP_SENDMSG_ZC : IORING_OP_SENDMSG, fd, msghdr, 1, 0, userData);
        sqes.set(ValueLayout.JAVA_INT, o + SQE_OP_FLAGS, msgFlags);
    }

    /** io_uring_prep_recvmsg. */
    void recvmsg(long o, int fd, long msghdr, int msgFlags, long userData) {
        rw(o, IORING_OP_RECVMSG, fd, msghdr, 1, 0, userData);
        sqes.set(ValueLayout.JAVA_INT, o + SQE_OP_FLAGS, msgFlags);
    }

    /** io_uring_prep_writev. */
    void writev(long o, int fd, long iov, int iovcnt, long userData) {
        rw(o, IORING_OP_WRITEV, fd, iov, iovcnt, -1L, userData);
    }

    /** io_uring_prep_readv. */
    void readv(long o, int fd, long iov, int iovcnt, long userData) {
        rw(o, IORING_OP_READV, fd, iov, iovcnt, -1L, userData);
    }

    /** io_uring_prep_read (the eventfd). */
    void read(long o, int fd, long addr, int len, long userData) {
        rw(o, IORING_OP_READ, fd, addr, len, -1L, userData);
    }

    /** io_uring_prep_connect: {@code addr} is a sockaddr, {@code addrlen} its length (in sqe->off). */
    void connect(long o, int fd, long addr, int addrlen, long userData) {
        rw(o, IORING_OP_CONNECT, fd, addr, 0, addrlen, userData);
    }

    /** io_uring_prep_link_timeout: {@code ts} is a struct __kernel_timespec. */
    void linkTimeout(long o, long ts, long userData) {
        rw(o, IORING_OP_LINK_TIMEOUT, -1, ts, 1, 0, userData);
    }

    /** io_uring_prep_timeout with count 0: a pure timer. */
    void timeout(long o, long ts, long userData) {
        rw(o, IORING_OP_TIMEOUT, -1, ts, 1, 0, userData);
    }

    /** io_uring_prep_cancel_fd with IORING_ASYNC_CANCEL_ALL: cancels every request on {@code fd}. */
    void cancelFd(long o, int fd, long userData) {
        rw(o, IORING_OP_ASYNC_CANCEL, fd, 0, 0, 0, userData);
        sqes.set(ValueLayout.JAVA_INT, o + SQE_OP_FLAGS, IORING_ASYNC_CANCEL_FD | IORING_ASYNC_CANCEL_ALL);
    }

    /** io_uring_prep_cancel_fd with IORING_ASYNC_CANCEL_FD_FIXED: {@code index} is a registered file. */
    void cancelFixedFile(long o, int index, long userData) {
        rw(o, IORING_OP_ASYNC_CANCEL, index, 0, 0, 0, userData);
        sqes.set(ValueLayout.JAVA_INT, o + SQE_OP_FLAGS,
                IORING_ASYNC_CANCEL_FD | IORING_ASYNC_CANCEL_FD_FIXED | IORING_ASYNC_CANCEL_ALL);
    }

    /** io_uring_prep_cancel64: cancels the request with {@code target} user_data. */
    void cancelUserData(long o, long target, long userData) {
        rw(o, IORING_OP_ASYNC_CANCEL, -1, target, 0, 0, userData);
    }

    /** io_uring_prep_close. */
    void close(long o, int fd, long userData) {
        rw(o, IORING_OP_CLOSE, fd, 0, 0, 0, userData);
    }

    /** io_uring_prep_shutdown. */
    void shutdown(long o, int fd, int how, long userData) {
        rw(o, IORING_OP_SHUTDOWN, fd, 0, how, 0, userData);
    }

    /**
     * io_uring_prep_msg_ring: posts a CQE on the ring {@code targetFd} with {@code res = value} and
     * {@code user_data = targetUserData}. IOSQE_CQE_SKIP_SUCCESS suppresses our own CQE on success
     * (IORING_MSG_RING_CQE_SKIP would suppress the target's, which is the one we want).
     */
    void msgRing(long o, int targetFd, int value, long targetUserData, boolean skipOwnCqe, long userData) {
        rw(o, IORING_OP_MSG_RING, targetFd, IORING_MSG_DATA, value, targetUserData, userData);
        if (skipOwnCqe) {
            sqes.set(ValueLayout.JAVA_BYTE, o + SQE_FLAGS, (byte) IOSQE_CQE_SKIP_SUCCESS);
        }
    }
}
