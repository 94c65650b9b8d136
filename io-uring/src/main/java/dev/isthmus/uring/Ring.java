package dev.isthmus.uring;

import dev.isthmus.ffi.CallState;
import dev.isthmus.ffi.Errno;
import dev.isthmus.ffi.posix.errno_h;
import dev.isthmus.ffi.posix.mman_h;
import dev.isthmus.ffi.posix.unistd_h;
import dev.isthmus.ffi.uring.io_cqring_offsets;
import dev.isthmus.ffi.uring.io_sqring_offsets;
import dev.isthmus.ffi.uring.io_uring_h;
import dev.isthmus.ffi.uring.io_uring_params;
import dev.isthmus.ffi.uring.io_uring_rsrc_update;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static dev.isthmus.ffi.uring.io_uring_h.*;

/**
 * One io_uring instance: the fd from io_uring_setup(2), its SQ ring, CQ ring and SQE array mapped with
 * mmap(2) (one mapping for both rings with IORING_FEAT_SINGLE_MMAP), and io_uring_enter(2) /
 * io_uring_register(2) on it. Pairs a {@link SubmissionQueue} and a {@link CompletionQueue} and owns
 * their teardown (Netty's RingBuffer).
 *
 * <p>Confined to the thread that created it (a worker): with IORING_SETUP_SINGLE_ISSUER the kernel
 * records the creating task as the only submitter.
 */
final class Ring implements AutoCloseable {
    // struct io_uring_params and its io_sqring_offsets / io_cqring_offsets, from the checked bindings
    static final long PARAMS_SIZE = io_uring_params.sizeof();
    static final long P_SQ_ENTRIES = io_uring_params.sq_entries$offset();
    static final long P_CQ_ENTRIES = io_uring_params.cq_entries$offset();
    static final long P_FLAGS = io_uring_params.flags$offset();
    static final long P_SQ_THREAD_IDLE = io_uring_params.sq_thread_idle$offset();
    static final long P_FEATURES = io_uring_params.features$offset();
    static final long P_SQ_OFF = io_uring_params.sq_off$offset();
    static final long P_CQ_OFF = io_uring_params.cq_off$offset();

    private final int fd;
    private final int flags;
    private final int features;
    private final MemorySegment sqRing;
    private final MemorySegment cqRing;
    private final MemorySegment sqesMap;
    private final SubmissionQueue sq;
    private final CompletionQueue cq;
    private final CallState state;
    /** The fd passed to io_uring_enter: the registered index with IORING_ENTER_REGISTERED_RING. */
    private int enterFd;
    private int enterFlags;
    private boolean closed;

    private Ring(int fd, int flags, int features, MemorySegment sqRing, MemorySegment cqRing, MemorySegment sqesMap,
                 SubmissionQueue sq, CompletionQueue cq, CallState state) {
        this.fd = fd;
        this.flags = flags;
        this.features = features;
        this.sqRing = sqRing;
        this.cqRing = cqRing;
        this.sqesMap = sqesMap;
        this.sq = sq;
        this.cq = cq;
        this.state = state;
        this.enterFd = fd;
    }

    /**
     * io_uring_setup(2) with exactly {@code setupFlags}, then the mmaps.
     *
     * @param cqEntries CQ size with IORING_SETUP_CQSIZE in {@code setupFlags}, else ignored
     * @param state     errno capture of the calling thread; kept for later calls on this ring
     * @throws IOException naming io_uring_setup and the errno (EINVAL for a flag the kernel lacks)
     */
    static Ring setup(int entries, int cqEntries, int setupFlags, int sqThreadIdleMillis, CallState state)
            throws IOException {
        int fd;
        int features;
        int flags;
        long sqOff, cqOff;
        int sqEntries, cqEnt;
        long[] so;
        long[] co;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment p = a.allocate(PARAMS_SIZE, 8);
            p.set(ValueLayout.JAVA_INT, P_FLAGS, setupFlags);
            if ((setupFlags & IORING_SETUP_CQSIZE) != 0) {
                p.set(ValueLayout.JAVA_INT, P_CQ_ENTRIES, cqEntries);
            }
            if ((setupFlags & IORING_SETUP_SQPOLL) != 0) {
                p.set(ValueLayout.JAVA_INT, P_SQ_THREAD_IDLE, sqThreadIdleMillis);
            }
            fd = io_uring_h.io_uring_setup(state.segment(), entries, p);
            if (fd < 0) {
                throw Errno.exception("io_uring_setup", state.errno());
            }
            features = p.get(ValueLayout.JAVA_INT, P_FEATURES);
            flags = p.get(ValueLayout.JAVA_INT, P_FLAGS);
            sqEntries = p.get(ValueLayout.JAVA_INT, P_SQ_ENTRIES);
            cqEnt = p.get(ValueLayout.JAVA_INT, P_CQ_ENTRIES);
            MemorySegment sqo = p.asSlice(P_SQ_OFF, io_sqring_offsets.sizeof());
            MemorySegment cqo = p.asSlice(P_CQ_OFF, io_cqring_offsets.sizeof());
            so = new long[] {io_sqring_offsets.head(sqo), io_sqring_offsets.tail(sqo), io_sqring_offsets.ring_mask(sqo),
                    io_sqring_offsets.ring_entries(sqo), io_sqring_offsets.flags(sqo), io_sqring_offsets.array(sqo)};
            co = new long[] {io_cqring_offsets.head(cqo), io_cqring_offsets.tail(cqo), io_cqring_offsets.ring_mask(cqo),
                    io_cqring_offsets.ring_entries(cqo), io_cqring_offsets.overflow(cqo), io_cqring_offsets.cqes(cqo)};
        }
        MemorySegment sqRing = null, cqRing = null, sqes = null;
        try {
            boolean hasArray = (flags & IORING_SETUP_NO_SQARRAY) == 0;
            // Ring sizes as liburing's io_uring_mmap computes them.
            long sqSize = hasArray ? so[5] + 4L * sqEntries : 0;
            long cqSize = co[5] + (long) CompletionQueue.CQE_SIZE * cqEnt;
            if ((features & IORING_FEAT_SINGLE_MMAP) != 0) {
                long size = Math.max(sqSize, cqSize);
                sqRing = map(fd, size, IORING_OFF_SQ_RING, state);
                cqRing = sqRing;
            } else {
                sqRing = map(fd, sqSize, IORING_OFF_SQ_RING, state);
                cqRing = map(fd, cqSize, IORING_OFF_CQ_RING, state);
            }
            sqes = map(fd, (long) SubmissionQueue.SQE_SIZE * sqEntries, IORING_OFF_SQES, state);
            SubmissionQueue sq = new SubmissionQueue(sqRing, sqes, so[0], so[1], so[4], so[2], so[3], so[5],
                    hasArray, (flags & IORING_SETUP_SQPOLL) != 0);
            CompletionQueue cq = new CompletionQueue(cqRing, co[0], co[1], co[2], co[3], co[4], co[5]);
            return new Ring(fd, flags, features, sqRing, cqRing, sqes, sq, cq, state);
        } catch (IOException | RuntimeException e) {
            unmap(sqes, state);
            if (cqRing != sqRing) {
                unmap(cqRing, state);
            }
            unmap(sqRing, state);
            unistd_h.close(state.segment(), fd);
            throw e;
        }
    }

    private static MemorySegment map(int fd, long size, long offset, CallState state) throws IOException {
        MemorySegment m = mman_h.mmap(state.segment(), MemorySegment.NULL, size,
                mman_h.PROT_READ | mman_h.PROT_WRITE, mman_h.MAP_SHARED | mman_h.MAP_POPULATE, fd, offset);
        if (m.address() == mman_h.MAP_FAILED_ADDRESS) {
            throw Errno.exception("mmap(io_uring offset 0x" + Long.toHexString(offset) + ")", state.errno());
        }
        return m.reinterpret(size);
    }

    private static void unmap(MemorySegment m, CallState state) {
        if (m != null) {
            mman_h.munmap(state.segment(), m, m.byteSize());
        }
    }

    int fd() {
        return fd;
    }

    /** The setup flags the kernel accepted (io_uring_params.flags after setup). */
    int flags() {
        return flags;
    }

    /** IORING_FEAT_* bits. */
    int features() {
        return features;
    }

    SubmissionQueue sq() {
        return sq;
    }

    CompletionQueue cq() {
        return cq;
    }

    boolean registeredRing() {
        return (enterFlags & IORING_ENTER_REGISTERED_RING) != 0;
    }

    /**
     * IORING_REGISTER_RING_FDS: registers the ring fd in the task's ring table so io_uring_enter skips
     * the fd lookup (fdget/fdput) on every call; afterwards enter passes the index with
     * IORING_ENTER_REGISTERED_RING. Returns the errno on failure (the caller degrades), 0 on success.
     */
    int registerRingFd() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment upd = io_uring_rsrc_update.allocate(a);
            io_uring_rsrc_update.offset(upd, -1); // -1: let the kernel pick a free slot
            io_uring_rsrc_update.data(upd, fd);
            int r = io_uring_h.io_uring_register(state.segment(), fd, IORING_REGISTER_RING_FDS, upd, 1);
            if (r != 1) {
                return r < 0 ? state.errno() : errno_h.EINVAL;
            }
            enterFd = io_uring_rsrc_update.offset(upd);
            enterFlags |= IORING_ENTER_REGISTERED_RING;
            return 0;
        }
    }

    /** io_uring_register(2) on this ring; returns the raw result, errno in the call state. */
    int register(int opcode, MemorySegment arg, int nrArgs) {
        return io_uring_h.io_uring_register(state.segment(), fd, opcode, arg, nrArgs);
    }

    int errno() {
        return state.errno();
    }

    /**
     * io_uring_enter(2): submits {@code toSubmit} published SQEs and, with {@code minComplete > 0},
     * waits. Blocking calls are linked normally; a call that cannot block uses the critical handle.
     *
     * @return the raw result (SQEs consumed, or -1 with errno in {@link #errno()})
     */
    int enter(int toSubmit, int minComplete, int flags, MemorySegment arg, long argSize) {
        int f = flags | enterFlags;
        if (minComplete == 0) {
            return io_uring_h.io_uring_enter$critical(state.segment(), enterFd, toSubmit, 0, f, arg, argSize);
        }
        return io_uring_h.io_uring_enter(state.segment(), enterFd, toSubmit, minComplete, f, arg, argSize);
    }

    /** Unmaps the rings and closes the fd (which also cancels what is still in flight). Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        unmap(sqesMap, state);
        if (cqRing != sqRing) {
            unmap(cqRing, state);
        }
        unmap(sqRing, state);
        unistd_h.close(state.segment(), fd);
    }
}
