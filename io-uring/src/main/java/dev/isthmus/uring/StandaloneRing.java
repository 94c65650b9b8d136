package dev.isthmus.uring;

import dev.isthmus.ffi.CallState;
import dev.isthmus.ffi.Errno;
import dev.isthmus.ffi.posix.errno_h;
import dev.isthmus.ffi.posix.socket_h;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static dev.isthmus.ffi.uring.io_uring_h.*;

/**
 * One io_uring instance for an event loop outside this stack (the nio provider's asynchronous channel group): the
 * module's {@link Ring}, {@link SubmissionQueue} and {@link CompletionQueue} behind public methods, so that there
 * is one ring implementation, not two. The caller packs its own user_data and dispatches its own completions.
 *
 * <p>Confined to the thread that {@link #open opened} it: that thread fills SQEs, enters and reaps. The ring is
 * set up with SINGLE_ISSUER|DEFER_TASKRUN where the kernel has them (Linux 6.1): the opening thread is then the
 * only submitter and completions are processed when it waits, which it does in every {@link #submitAndWait}.
 * A ring from {@link #openShared} has neither flag and may pass between threads.
 */
public final class StandaloneRing implements AutoCloseable {
    /** Receives one completion: the SQE's user_data, the result (count, fd or negated errno), IORING_CQE_F_*. */
    @FunctionalInterface
    public interface Completions {
        void complete(long userData, int res, int flags);
    }

    /** The opcodes a caller of the prep methods below may submit. */
    private static final int[] OPS = {IORING_OP_ACCEPT, IORING_OP_CONNECT, IORING_OP_RECV, IORING_OP_SEND,
            IORING_OP_READV, IORING_OP_WRITEV, IORING_OP_READ, IORING_OP_LINK_TIMEOUT, IORING_OP_ASYNC_CANCEL};
    private static final String[] OP_NAMES = {"IORING_OP_ACCEPT", "IORING_OP_CONNECT", "IORING_OP_RECV",
            "IORING_OP_SEND", "IORING_OP_READV", "IORING_OP_WRITEV", "IORING_OP_READ", "IORING_OP_LINK_TIMEOUT",
            "IORING_OP_ASYNC_CANCEL"};

    private final Arena arena;
    private final Ring ring;
    private final SubmissionQueue sq;
    private final CompletionQueue cq;
    private final CompletionHandler dispatch;
    private Completions completions;
    private long submitted;

    private StandaloneRing(Arena arena, Ring ring) {
        this.arena = arena;
        this.ring = ring;
        this.sq = ring.sq();
        this.cq = ring.cq();
        this.dispatch = (userData, res, flags) -> completions.complete(userData, res, flags);
    }

    /**
     * Why a ring cannot run here (io_uring_setup fails, the kernel is older than the stack's minimum, or one of the
     * opcodes above is missing), from the module's one probe per process; null when it can.
     */
    public static String unavailability() {
        if (!IoUring.AVAILABLE) {
            return IoUring.UNAVAILABILITY_CAUSE;
        }
        for (int i = 0; i < OPS.length; i++) {
            if (!IoUring.opSupported(OPS[i])) {
                return IoUring.missing(OP_NAMES[i]);
            }
        }
        return null;
    }

    /** Sets a ring of {@code entries} SQEs up, owned by the calling thread. */
    public static StandaloneRing open(int entries) throws IOException {
        return open(entries, true);
    }

    /**
     * Sets a ring of {@code entries} SQEs up that any thread may use, one at a time (the caller orders them, e.g.
     * with a lock): no SINGLE_ISSUER, which would make io_uring_enter fail with EEXIST on a thread other than the
     * first submitter, and no DEFER_TASKRUN, which needs SINGLE_ISSUER (io_uring_setup(2)). Without DEFER_TASKRUN
     * a request that completes at issue (a recv with MSG_DONTWAIT) posts its CQE before io_uring_enter returns.
     */
    public static StandaloneRing openShared(int entries) throws IOException {
        return open(entries, false);
    }

    private static StandaloneRing open(int entries, boolean singleIssuer) throws IOException {
        String why = unavailability();
        if (why != null) {
            throw new IOException("io_uring cannot run: " + why);
        }
        Arena arena = Arena.ofShared();
        try {
            CallState state = CallState.allocate(arena);
            int flags = singleIssuer && IoUring.DEFER_TASKRUN_SUPPORTED ? IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN : 0;
            return new StandaloneRing(arena, Ring.setup(entries, 0, flags, 0, state));
        } catch (IOException | RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    /** SQEs handed to the kernel so far (for tests and statistics). */
    public long submitted() {
        return submitted;
    }

    /**
     * Claims a zeroed SQE and returns its offset for the prep methods; when the queue is full, what is filled is
     * submitted first.
     */
    public long sqe() throws IOException {
        long o = sq.next();
        while (o < 0) {
            submitAndWait(0);
            o = sq.next();
        }
        return o;
    }

    /** Makes room for {@code n} SQEs that must go to the kernel in one submission (a request and its link timeout). */
    public void reserve(int n) throws IOException {
        while (sq.free() < n) {
            submitAndWait(0);
        }
    }

    /** IORING_OP_NOP, for an SQE claimed and then not needed (its completion carries {@code userData}). */
    public void nop(long sqe, long userData) {
        sq.nop(sqe, userData);
    }

    /** IOSQE_IO_LINK: the next SQE (a link timeout) is linked to this one. */
    public void link(long sqe) {
        sq.flags(sqe, IOSQE_IO_LINK);
    }

    public void accept(long sqe, int fd, int acceptFlags, long userData) {
        sq.accept(sqe, fd, acceptFlags, false, userData);
    }

    /** {@code addr} is a struct sockaddr of {@code addrlen} bytes, valid until the completion. */
    public void connect(long sqe, int fd, long addr, int addrlen, long userData) {
        sq.connect(sqe, fd, addr, addrlen, userData);
    }

    public void recv(long sqe, int fd, long addr, int len, long userData) {
        sq.recv(sqe, fd, addr, len, 0, userData);
    }

    /**
     * recv with MSG_DONTWAIT: the kernel tries it once at issue and completes it there, with the bytes, 0 at end of
     * stream, or -EAGAIN when nothing is queued (io_uring does not arm a poll for a request marked no-wait).
     */
    public void recvNoWait(long sqe, int fd, long addr, int len, long userData) {
        sq.recv(sqe, fd, addr, len, socket_h.MSG_DONTWAIT, userData);
    }

    /** MSG_NOSIGNAL: a peer that has gone away yields EPIPE, not SIGPIPE. */
    public void send(long sqe, int fd, long addr, int len, long userData) {
        sq.send(sqe, fd, addr, len, socket_h.MSG_NOSIGNAL, userData);
    }

    public void readv(long sqe, int fd, long iov, int iovcnt, long userData) {
        sq.readv(sqe, fd, iov, iovcnt, userData);
    }

    public void writev(long sqe, int fd, long iov, int iovcnt, long userData) {
        sq.writev(sqe, fd, iov, iovcnt, userData);
    }

    public void read(long sqe, int fd, long addr, int len, long userData) {
        sq.read(sqe, fd, addr, len, userData);
    }

    /** IORING_OP_LINK_TIMEOUT for the SQE before (which must be {@link #link linked}); {@code ts} a __kernel_timespec. */
    public void linkTimeout(long sqe, long ts, long userData) {
        sq.linkTimeout(sqe, ts, userData);
    }

    /** IORING_OP_ASYNC_CANCEL of the request whose user_data is {@code target}. */
    public void cancel(long sqe, long target, long userData) {
        sq.cancelUserData(sqe, target, userData);
    }

    /**
     * Submits every filled SQE and, with {@code minComplete > 0}, waits until that many completions are ready.
     * EINTR ends the wait early (the caller reaps and loops); EBUSY/EAGAIN (completions first) submit nothing.
     */
    public void submitAndWait(int minComplete) throws IOException {
        int toSubmit = sq.pending();
        sq.flush();
        int r = ring.enter(toSubmit, minComplete, minComplete > 0 ? IORING_ENTER_GETEVENTS : 0, MemorySegment.NULL, 0);
        if (r >= 0) {
            submitted += r;
            return;
        }
        int e = ring.errno();
        if (e != errno_h.EINTR && e != errno_h.EBUSY && e != errno_h.EAGAIN) {
            throw Errno.exception("io_uring_enter", e);
        }
    }

    /** Hands every ready completion to {@code c}, in order; returns how many. */
    public int reap(Completions c) {
        completions = c;
        int n = cq.process(dispatch);
        // completions held in the kernel's overflow list (FEAT_NODROP) come in with the next GETEVENTS enter
        return n;
    }

    /** Whether completions wait in the kernel's overflow list (the caller should enter with GETEVENTS again). */
    public boolean overflowed() {
        return sq.cqOverflow();
    }

    /** Closes the ring: the kernel cancels what is still in flight. Call it once nothing the kernel may touch is freed before. */
    @Override
    public void close() {
        ring.close();
        arena.close();
    }
}
