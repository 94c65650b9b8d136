package dev.isthmus.ffi.uring;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The sizes and a few offsets the kernel ABI fixes (the full check against the C headers is the
 * layout checker's job); these catch a broken layout before any ring is touched.
 */
class LayoutSanityTest {
    @Test
    void abiSizes() {
        assertEquals(64, io_uring_sqe.sizeof());
        assertEquals(16, io_uring_cqe.sizeof());
        assertEquals(120, io_uring_params.sizeof());
        assertEquals(40, io_sqring_offsets.sizeof());
        assertEquals(40, io_cqring_offsets.sizeof());
        assertEquals(16, io_uring_buf.sizeof());
        assertEquals(16, io_uring_buf_ring.sizeof());
        assertEquals(40, io_uring_buf_reg.sizeof());
        assertEquals(16, io_uring_probe.sizeof());
        assertEquals(8, io_uring_probe_op.sizeof());
        assertEquals(24, io_uring_getevents_arg.sizeof());
        assertEquals(16, __kernel_timespec.sizeof());
        assertEquals(16, io_uring_rsrc_update.sizeof());
    }

    @Test
    void sqeOffsetsMatchLiburing() {
        assertEquals(4, io_uring_sqe.fd$offset());
        assertEquals(8, io_uring_sqe.off$offset());
        assertEquals(8, io_uring_sqe.addr2$offset());
        assertEquals(16, io_uring_sqe.addr$offset());
        assertEquals(24, io_uring_sqe.len$offset());
        assertEquals(28, io_uring_sqe.msg_flags$offset());
        assertEquals(32, io_uring_sqe.user_data$offset());
        assertEquals(40, io_uring_sqe.buf_group$offset());
        assertEquals(42, io_uring_sqe.personality$offset());
        assertEquals(44, io_uring_sqe.file_index$offset());
        assertEquals(48, io_uring_sqe.addr3$offset());
        assertEquals(14, io_uring_buf_ring.tail$offset());
        assertEquals(40, io_uring_params.sq_off$offset());
        assertEquals(80, io_uring_params.cq_off$offset());
    }
}
