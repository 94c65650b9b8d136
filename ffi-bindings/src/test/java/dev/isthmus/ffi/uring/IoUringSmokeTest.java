package dev.isthmus.ffi.uring;

import dev.isthmus.ffi.CallState;
import dev.isthmus.ffi.Errno;
import dev.isthmus.ffi.posix.mman_h;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.concurrent.TimeUnit;

import static dev.isthmus.ffi.uring.io_uring_h.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Drives a real ring by hand: setup, mmap, one NOP, enter, reap, teardown. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class IoUringSmokeTest {
    private static final MethodHandle CLOSE = Linker.nativeLinker().downcallHandle(
            Linker.nativeLinker().defaultLookup().find("close").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));

    static MemorySegment map(CallState cs, int fd, long size, long offset) throws IOException {
        MemorySegment m = mman_h.mmap(cs.segment(), MemorySegment.NULL, size,
                mman_h.PROT_READ | mman_h.PROT_WRITE, mman_h.MAP_SHARED | mman_h.MAP_POPULATE, fd, offset);
        if (m.address() == mman_h.MAP_FAILED_ADDRESS) {
            throw Errno.exception("mmap", cs.errno());
        }
        return m.reinterpret(size);
    }

    static void close(int fd) throws Throwable {
        assertEquals(0, (int) CLOSE.invokeExact(fd));
    }

    @Test
    void nopRoundTrip() throws Throwable {
        try (Arena arena = Arena.ofConfined()) {
            CallState cs = CallState.allocate(arena);
            MemorySegment p = io_uring_params.allocate(arena);
            int fd = io_uring_setup(cs.segment(), 4, p);
            if (fd < 0) {
                throw Errno.exception("io_uring_setup", cs.errno());
            }
            MemorySegment sqOff = io_uring_params.sq_off(p);
            MemorySegment cqOff = io_uring_params.cq_off(p);
            int sqEntries = io_uring_params.sq_entries(p);
            int cqEntries = io_uring_params.cq_entries(p);
            assertTrue(sqEntries >= 4, "sq_entries " + sqEntries);

            // Ring sizes as io_uring_setup(2) describes them; with IORING_FEAT_SINGLE_MMAP one mapping
            // at IORING_OFF_SQ_RING holds both rings and must be the larger of the two.
            long sqSize = Integer.toUnsignedLong(io_sqring_offsets.array(sqOff)) + 4L * sqEntries;
            long cqSize = Integer.toUnsignedLong(io_cqring_offsets.cqes(cqOff)) + io_uring_cqe.sizeof() * cqEntries;
            boolean single = (io_uring_params.features(p) & IORING_FEAT_SINGLE_MMAP) != 0;
            if (single) {
                sqSize = cqSize = Math.max(sqSize, cqSize);
            }
            MemorySegment sq = map(cs, fd, sqSize, IORING_OFF_SQ_RING);
            MemorySegment cq = single ? sq : map(cs, fd, cqSize, IORING_OFF_CQ_RING);
            long sqesSize = io_uring_sqe.sizeof() * sqEntries;
            MemorySegment sqes = map(cs, fd, sqesSize, IORING_OFF_SQES);
            try {
                int sqMask = Barriers.READ_ONCE(sq, io_sqring_offsets.ring_mask(sqOff));
                int tail = Barriers.READ_ONCE(sq, io_sqring_offsets.tail(sqOff)); // only we write it
                int index = tail & sqMask;

                MemorySegment sqe = sqes.asSlice(index * io_uring_sqe.sizeof(), io_uring_sqe.layout());
                sqe.fill((byte) 0);
                io_uring_sqe.opcode(sqe, (byte) IORING_OP_NOP);
                io_uring_sqe.user_data(sqe, 0x1234L);
                sq.setAtIndex(ValueLayout.JAVA_INT, io_sqring_offsets.array(sqOff) / 4 + index, index);
                // Publish the SQE: the kernel load-acquires the tail.
                Barriers.store_release(sq, io_sqring_offsets.tail(sqOff), tail + 1);

                int submitted = io_uring_enter(cs.segment(), fd, 1, 1, IORING_ENTER_GETEVENTS, MemorySegment.NULL, 0);
                if (submitted < 0) {
                    throw Errno.exception("io_uring_enter", cs.errno());
                }
                assertEquals(1, submitted);

                int head = Barriers.READ_ONCE(cq, io_cqring_offsets.head(cqOff));
                int cqTail = Barriers.load_acquire(cq, io_cqring_offsets.tail(cqOff));
                assertEquals(1, cqTail - head, "one CQE ready");
                int cqMask = Barriers.READ_ONCE(cq, io_cqring_offsets.ring_mask(cqOff));
                MemorySegment cqe = cq.asSlice(io_cqring_offsets.cqes(cqOff) + (head & cqMask) * io_uring_cqe.sizeof(),
                        io_uring_cqe.layout());
                assertEquals(0x1234L, io_uring_cqe.user_data(cqe));
                assertEquals(0, io_uring_cqe.res(cqe));
                Barriers.store_release(cq, io_cqring_offsets.head(cqOff), head + 1);
                assertEquals(head + 1, Barriers.load_acquire(cq, io_cqring_offsets.head(cqOff)));
            } finally {
                assertEquals(0, mman_h.munmap(cs.segment(), sqes, sqesSize));
                if (!single) {
                    assertEquals(0, mman_h.munmap(cs.segment(), cq, cqSize));
                }
                assertEquals(0, mman_h.munmap(cs.segment(), sq, sqSize));
                close(fd);
            }
        }
    }

    @Test
    void probeFindsNopAndRecv() throws Throwable {
        try (Arena arena = Arena.ofConfined()) {
            CallState cs = CallState.allocate(arena);
            MemorySegment p = io_uring_params.allocate(arena);
            int fd = io_uring_setup(cs.segment(), 2, p);
            if (fd < 0) {
                throw Errno.exception("io_uring_setup", cs.errno());
            }
            try {
                MemorySegment probe = io_uring_probe.allocate(arena, 256);
                int rc = io_uring_register(cs.segment(), fd, IORING_REGISTER_PROBE, probe, 256);
                if (rc < 0) {
                    throw Errno.exception("io_uring_register(IORING_REGISTER_PROBE)", cs.errno());
                }
                int lastOp = Byte.toUnsignedInt(io_uring_probe.last_op(probe));
                int opsLen = Byte.toUnsignedInt(io_uring_probe.ops_len(probe));
                System.out.println("io_uring probe: last_op " + lastOp + ", ops_len " + opsLen);
                assertTrue(lastOp >= IORING_OP_SENDMSG_ZC, "a 6.1+ kernel knows SENDMSG_ZC; last_op " + lastOp);
                assertTrue(supported(probe, opsLen, IORING_OP_NOP), "NOP supported");
                assertTrue(supported(probe, opsLen, IORING_OP_RECV), "RECV supported");
                // Entry i describes opcode i.
                assertEquals(IORING_OP_RECV, Byte.toUnsignedInt(io_uring_probe_op.op(io_uring_probe.ops(probe, IORING_OP_RECV))));
            } finally {
                close(fd);
            }
        }
    }

    @Test
    void criticalEnterRefusesToWait() {
        try (Arena arena = Arena.ofConfined()) {
            CallState cs = CallState.allocate(arena);
            org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> io_uring_enter$critical(cs.segment(), -1, 0, 1, IORING_ENTER_GETEVENTS, MemorySegment.NULL, 0));
            // Submit-only on a bad fd reaches the kernel and reports EBADF through the capture segment.
            assertEquals(-1, io_uring_enter$critical(cs.segment(), -1, 0, 0, 0, MemorySegment.NULL, 0));
            assertEquals("EBADF", Errno.name(cs.errno()));
        }
    }

    private static boolean supported(MemorySegment probe, int opsLen, int op) {
        return op < opsLen && (io_uring_probe_op.flags(io_uring_probe.ops(probe, op)) & IO_URING_OP_SUPPORTED) != 0;
    }
}
