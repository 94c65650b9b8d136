package dev.isthmus.tests.jmh;

import dev.isthmus.ffi.CallState;
import dev.isthmus.ffi.Errno;
import dev.isthmus.ffi.posix.mman_h;
import dev.isthmus.ffi.posix.unistd_h;
import dev.isthmus.ffi.uring.Barriers;
import dev.isthmus.ffi.uring.io_cqring_offsets;
import dev.isthmus.ffi.uring.io_sqring_offsets;
import dev.isthmus.ffi.uring.io_uring_cqe;
import dev.isthmus.ffi.uring.io_uring_params;
import dev.isthmus.ffi.uring.io_uring_sqe;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.TimeUnit;

import static dev.isthmus.ffi.uring.io_uring_h.*;

/**
 * One io_uring NOP round trip on a ring set up by hand with our bindings: write an SQE, publish the SQ
 * tail (store-release), {@code io_uring_enter(fd, 1, 1, IORING_ENTER_GETEVENTS)}, read the CQE after a
 * load-acquire of the CQ tail, release the CQ head. The floor of any io_uring operation: one system call,
 * no I/O.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class UringNopBench {

    private static final int ENTRIES = 8;

    private Arena arena;
    private CallState state;
    private int fd = -1;
    private MemorySegment sq;
    private MemorySegment cq;
    private MemorySegment sqes;
    private long sqSize;
    private long cqSize;
    private long sqesSize;
    private boolean singleMmap;
    private long sqTail;
    private long sqArray;
    private int sqMask;
    private long cqHead;
    private long cqTail;
    private long cqes;
    private int cqMask;
    private long userData;

    @Setup(Level.Trial)
    public void open() throws IOException {
        arena = Arena.ofConfined();
        state = CallState.allocate(arena);
        MemorySegment p = io_uring_params.allocate(arena);
        fd = io_uring_setup(state.segment(), ENTRIES, p);
        if (fd < 0) {
            throw Errno.exception("io_uring_setup", state.errno());
        }
        MemorySegment sqOff = io_uring_params.sq_off(p);
        MemorySegment cqOff = io_uring_params.cq_off(p);
        int sqEntries = io_uring_params.sq_entries(p);
        int cqEntries = io_uring_params.cq_entries(p);
        // Ring sizes as io_uring_setup(2) gives them; with IORING_FEAT_SINGLE_MMAP one mapping holds both.
        sqSize = Integer.toUnsignedLong(io_sqring_offsets.array(sqOff)) + 4L * sqEntries;
        cqSize = Integer.toUnsignedLong(io_cqring_offsets.cqes(cqOff)) + io_uring_cqe.sizeof() * cqEntries;
        singleMmap = (io_uring_params.features(p) & IORING_FEAT_SINGLE_MMAP) != 0;
        if (singleMmap) {
            sqSize = cqSize = Math.max(sqSize, cqSize);
        }
        sq = map(sqSize, IORING_OFF_SQ_RING);
        cq = singleMmap ? sq : map(cqSize, IORING_OFF_CQ_RING);
        sqesSize = io_uring_sqe.sizeof() * sqEntries;
        sqes = map(sqesSize, IORING_OFF_SQES);
        sqTail = io_sqring_offsets.tail(sqOff);
        sqArray = io_sqring_offsets.array(sqOff);
        sqMask = Barriers.READ_ONCE(sq, io_sqring_offsets.ring_mask(sqOff));
        cqHead = io_cqring_offsets.head(cqOff);
        cqTail = io_cqring_offsets.tail(cqOff);
        cqes = io_cqring_offsets.cqes(cqOff);
        cqMask = Barriers.READ_ONCE(cq, io_cqring_offsets.ring_mask(cqOff));
    }

    @SuppressWarnings("restricted") // mmap's result is sized to the ring it maps; see io_uring_setup(2)
    private MemorySegment map(long size, long offset) throws IOException {
        MemorySegment m = mman_h.mmap(state.segment(), MemorySegment.NULL, size,
                mman_h.PROT_READ | mman_h.PROT_WRITE, mman_h.MAP_SHARED | mman_h.MAP_POPULATE, fd, offset);
        if (m.address() == mman_h.MAP_FAILED_ADDRESS) {
            throw Errno.exception("mmap", state.errno());
        }
        return m.reinterpret(size);
    }

    @TearDown(Level.Trial)
    public void close() {
        mman_h.munmap(state.segment(), sqes, sqesSize);
        if (!singleMmap) {
            mman_h.munmap(state.segment(), cq, cqSize);
        }
        mman_h.munmap(state.segment(), sq, sqSize);
        unistd_h.close(state.segment(), fd);
        arena.close();
    }

    @Benchmark
    public long nopRoundTrip() {
        int tail = Barriers.READ_ONCE(sq, sqTail); // only this thread writes it
        int index = tail & sqMask;
        MemorySegment sqe = sqes.asSlice(index * io_uring_sqe.sizeof(), io_uring_sqe.sizeof());
        sqe.fill((byte) 0);
        io_uring_sqe.opcode(sqe, (byte) IORING_OP_NOP);
        io_uring_sqe.user_data(sqe, ++userData);
        sq.setAtIndex(ValueLayout.JAVA_INT, sqArray / 4 + index, index);
        Barriers.store_release(sq, sqTail, tail + 1); // the kernel load-acquires the tail
        // Waits for the completion: not the critical variant (DESIGN: never critical when it may wait).
        int submitted = io_uring_enter(state.segment(), fd, 1, 1, IORING_ENTER_GETEVENTS, MemorySegment.NULL, 0);
        if (submitted != 1) {
            throw new IllegalStateException("io_uring_enter returned " + submitted
                    + (submitted < 0 ? " (" + Errno.name(state.errno()) + ")" : ""));
        }
        int head = Barriers.READ_ONCE(cq, cqHead);
        if (Barriers.load_acquire(cq, cqTail) == head) {
            throw new IllegalStateException("no CQE after io_uring_enter waited for one");
        }
        long cqe = cqes + (long) (head & cqMask) * io_uring_cqe.sizeof();
        long got = cq.get(ValueLayout.JAVA_LONG_UNALIGNED, cqe + io_uring_cqe.user_data$offset());
        Barriers.store_release(cq, cqHead, head + 1);
        if (got != userData) {
            throw new IllegalStateException("CQE for " + got + ", expected " + userData);
        }
        return got;
    }
}
