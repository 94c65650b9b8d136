package dev.isthmus.ffi.dpdk;

import dev.isthmus.ffi.CHeader;
import dev.isthmus.ffi.Native;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * {@code <rte_mempool.h>} of DPDK 22.11: freeing a pool, and getting objects from it without the
 * inline rte_mempool_get_bulk.
 *
 * <p>rte_mempool_get_bulk is {@code static inline}; for a pool without a per-lcore cache
 * ({@code cache_size} 0, as this project creates them) it reduces to
 * {@code rte_mempool_ops_table.ops[mp->ops_index].dequeue(mp, obj_table, n)} (plus statistics,
 * compiled out in Debian's build). {@link #rte_mempool_ops_dequeue_bulk} makes that call from Java
 * through the exported {@code rte_mempool_ops_table}.
 */
@CHeader(value = {"rte_mempool.h"}, pkgConfig = "libdpdk")
public final class rte_mempool_h {
    private rte_mempool_h() {
    }

    public static final int RTE_MEMPOOL_MAX_OPS_IDX = 16;
    public static final int RTE_MEMPOOL_OPS_NAMESIZE = 32;

    private static final class rte_mempool_free$ {
        static final FunctionDescriptor DESC = FunctionDescriptor.ofVoid(ValueLayout.ADDRESS);
        static final MethodHandle HANDLE = Dpdk.call("rte_mempool_free", DESC);
    }

    /** {@code void rte_mempool_free(struct rte_mempool *mp)}: frees the pool (all objects must be back). */
    public static void rte_mempool_free(MemorySegment mp) {
        try {
            rte_mempool_free$.HANDLE.invokeExact(mp);
        } catch (Throwable t) {
            throw Native.rethrow("rte_mempool_free", t);
        }
    }

    private static final class rte_mempool_avail_count$ {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS);
        static final MethodHandle HANDLE = Dpdk.call("rte_mempool_avail_count", DESC);
    }

    /** {@code unsigned int rte_mempool_avail_count(const struct rte_mempool *mp)}: objects left in the pool (and its caches). */
    public static int rte_mempool_avail_count(MemorySegment mp) {
        try {
            return (int) rte_mempool_avail_count$.HANDLE.invokeExact(mp);
        } catch (Throwable t) {
            throw Native.rethrow("rte_mempool_avail_count", t);
        }
    }

    private static final class rte_mempool_in_use_count$ {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS);
        static final MethodHandle HANDLE = Dpdk.call("rte_mempool_in_use_count", DESC);
    }

    /** {@code unsigned int rte_mempool_in_use_count(const struct rte_mempool *mp)}: objects taken and not yet returned. */
    public static int rte_mempool_in_use_count(MemorySegment mp) {
        try {
            return (int) rte_mempool_in_use_count$.HANDLE.invokeExact(mp);
        } catch (Throwable t) {
            throw Native.rethrow("rte_mempool_in_use_count", t);
        }
    }

    private static final class ops$ {
        static final MemorySegment TABLE = Dpdk.data("rte_mempool_ops_table", rte_mempool_ops_table.sizeof());
        // int (*rte_mempool_dequeue_t)(struct rte_mempool *mp, void **obj_table, unsigned int n).
        // Critical: the ring driver's dequeue is a lock-free CAS loop and never blocks.
        static final MethodHandle DEQUEUE = Native.LINKER.downcallHandle(
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS,
                        ValueLayout.JAVA_INT),
                java.lang.foreign.Linker.Option.critical(false));
    }

    /** All memory, to read {@code mp->ops_index} by address (a segment per pool per call would be an object). */
    private static final MemorySegment ALL = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);
    /** The dequeue function of each ops index: the table is filled at EAL init and never changes after. */
    private static final MemorySegment[] DEQUEUE_FN = new MemorySegment[RTE_MEMPOOL_MAX_OPS_IDX];

    /** {@code rte_mempool_get_ops(mp)->dequeue}, made once per driver. */
    private static MemorySegment dequeueOf(MemorySegment mp) {
        int index = ALL.get(ValueLayout.JAVA_INT, mp.address() + rte_mempool.ops_index$offset());
        if (index < 0 || index >= RTE_MEMPOOL_MAX_OPS_IDX) {
            throw new IllegalStateException("mempool ops_index " + index + " out of [0, " + RTE_MEMPOOL_MAX_OPS_IDX + ")");
        }
        MemorySegment fn = DEQUEUE_FN[index];
        if (fn == null) {
            fn = rte_mempool_ops.dequeue(rte_mempool_get_ops(mp));
            DEQUEUE_FN[index] = fn; // racy by design: two threads make the same immutable segment
        }
        return fn;
    }

    /** {@code &rte_mempool_ops_table.ops[mp->ops_index]}: the pool's driver (a {@link rte_mempool_ops}). */
    public static MemorySegment rte_mempool_get_ops(MemorySegment mp) {
        int index = rte_mempool.ops_index(mp.reinterpret(rte_mempool.sizeof()));
        if (index < 0 || index >= RTE_MEMPOOL_MAX_OPS_IDX) {
            throw new IllegalStateException("mempool ops_index " + index + " out of [0, " + RTE_MEMPOOL_MAX_OPS_IDX + ")");
        }
        return rte_mempool_ops_table.ops(ops$.TABLE).asSlice(index * rte_mempool_ops.sizeof(), rte_mempool_ops.layout());
    }

    /**
     * The equivalent of the inline {@code rte_mempool_ops_dequeue_bulk(mp, obj_table, n)}: takes exactly
     * {@code n} objects into the pointer array {@code objTable}, or none. Returns 0, or a negative errno
     * (-ENOBUFS/-ENOENT) when the pool has fewer than {@code n} left.
     */
    public static int rte_mempool_ops_dequeue_bulk(MemorySegment mp, MemorySegment objTable, int n) {
        if (n < 0 || objTable.byteSize() < (long) n * ValueLayout.ADDRESS.byteSize()) {
            throw new IllegalArgumentException("dequeue of " + n + " objects does not fit an array of "
                    + objTable.byteSize() + " bytes");
        }
        MemorySegment dequeue = dequeueOf(mp);
        try {
            return (int) ops$.DEQUEUE.invokeExact(dequeue, mp, objTable, n);
        } catch (Throwable t) {
            throw Native.rethrow("rte_mempool_ops dequeue", t);
        }
    }
}
