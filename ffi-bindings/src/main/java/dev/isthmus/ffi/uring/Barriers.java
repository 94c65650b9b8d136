package dev.isthmus.ffi.uring;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * liburing's five barrier primitives (src/include/liburing/barrier.h at liburing-2.3) mapped onto
 * {@link VarHandle} access modes on the 32-bit ring words of a shared mapping.
 *
 * <p>The kernel and the application share the ring indices and flags through the mmap'd rings; the
 * kernel's side of the contract is documented at the top of the kernel's io_uring/io_uring.c: the
 * application publishes an SQ tail with a store-release (so the kernel, which load-acquires it, sees
 * the SQEs written before it), loads the CQ tail with a load-acquire (so the CQEs before it are
 * visible), and publishes the CQ head with a store-release (so the kernel does not overwrite CQEs
 * still being read). Under IORING_SETUP_SQPOLL the SQ flags are read after a full fence (liburing
 * src/queue.c, sq_ring_needs_enter) so that NEED_WAKEUP is not read before the tail store is visible.
 *
 * <p>Mapping, following the JMM's acquire/release modes (JEP 193; {@link VarHandle} class docs):
 * <ul>
 *   <li>{@code READ_ONCE} / {@code WRITE_ONCE}: C's volatile access, no ordering: {@code getOpaque} /
 *       {@code setOpaque} (coherent, never torn, not hoisted out of loops).</li>
 *   <li>{@code io_uring_smp_load_acquire}: {@code getAcquire}.</li>
 *   <li>{@code io_uring_smp_store_release}: {@code setRelease}.</li>
 *   <li>{@code io_uring_smp_mb}: {@link VarHandle#fullFence()} (liburing's
 *       {@code atomic_thread_fence(memory_order_seq_cst)}).</li>
 * </ul>
 * All offsets are byte offsets into {@code ring} and must be 4-byte aligned (they come from
 * {@link io_sqring_offsets} / {@link io_cqring_offsets}).
 */
public final class Barriers {
    private Barriers() {
    }

    // Plain JAVA_INT handle with coordinates (MemorySegment, long offset); access mode chosen per call.
    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();

    /** {@code IO_URING_READ_ONCE(*p)}: a single, untorn read with no ordering (opaque). */
    public static int READ_ONCE(MemorySegment ring, long offset) {
        return (int) INT.getOpaque(ring, offset);
    }

    /** {@code IO_URING_WRITE_ONCE(*p, v)}: a single, untorn write with no ordering (opaque). */
    public static void WRITE_ONCE(MemorySegment ring, long offset, int value) {
        INT.setOpaque(ring, offset, value);
    }

    /**
     * {@code io_uring_smp_load_acquire(p)}: later loads (of CQEs, say) are not reordered before it.
     * Used on the CQ tail.
     */
    public static int load_acquire(MemorySegment ring, long offset) {
        return (int) INT.getAcquire(ring, offset);
    }

    /**
     * {@code io_uring_smp_store_release(p, v)}: earlier stores (SQEs, buffer-ring entries) and loads
     * (CQEs) are visible before it. Used on the SQ tail, the CQ head and a buffer ring's tail.
     */
    public static void store_release(MemorySegment ring, long offset, int value) {
        INT.setRelease(ring, offset, value);
    }

    /** {@code io_uring_smp_mb()}: a full fence; before reading SQ flags under SQPOLL. */
    public static void smp_mb() {
        VarHandle.fullFence();
    }

    /** A release store of a 16-bit word: the tail of a provided-buffer ring ({@link io_uring_buf_ring}). */
    public static void store_release_u16(MemorySegment ring, long offset, short value) {
        SHORT.setRelease(ring, offset, value);
    }

    private static final VarHandle SHORT = ValueLayout.JAVA_SHORT.varHandle();
}
