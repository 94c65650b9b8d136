package dev.isthmus.ffi.dpdk;

import dev.isthmus.ffi.CStruct;

import java.lang.foreign.AddressLayout;
import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.ValueLayout;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

/**
 * The exported table of mempool drivers; {@code rte_mempool.ops_index} indexes {@code ops}.
 *
 * <pre>{@code
 * struct rte_mempool_ops_table {
 *     rte_spinlock_t sl; uint32_t num_ops;
 *     struct rte_mempool_ops ops[RTE_MEMPOOL_MAX_OPS_IDX] __rte_cache_aligned;
 * } __rte_cache_aligned;
 * extern struct rte_mempool_ops_table rte_mempool_ops_table;
 * }</pre>
 */
@CStruct(value = "struct rte_mempool_ops_table", includes = {"rte_mempool.h"}, pkgConfig = "libdpdk")
public final class rte_mempool_ops_table {
    private rte_mempool_ops_table() {
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
            ValueLayout.JAVA_INT.withName("sl"),
            ValueLayout.JAVA_INT.withName("num_ops"),
            MemoryLayout.paddingLayout(56),
            MemoryLayout.sequenceLayout(16, rte_mempool_ops.layout()).withName("ops")
    ).withByteAlignment(64).withName("rte_mempool_ops_table");

    /** The layout of {@code struct rte_mempool_ops_table}. */
    public static GroupLayout layout() {
        return $LAYOUT;
    }

    /** {@code sizeof(struct rte_mempool_ops_table)}. */
    public static long sizeof() {
        return $LAYOUT.byteSize();
    }

    /** Allocates one zeroed {@code struct rte_mempool_ops_table}. */
    public static MemorySegment allocate(SegmentAllocator allocator) {
        return allocator.allocate($LAYOUT);
    }

    private static final ValueLayout.OfInt sl$LAYOUT = (ValueLayout.OfInt) $LAYOUT.select(groupElement("sl"));
    private static final long sl$OFFSET = $LAYOUT.byteOffset(groupElement("sl"));

    /** Layout of {@code sl}. */
    public static ValueLayout.OfInt sl$layout() {
        return sl$LAYOUT;
    }

    /** Offset of {@code sl}. */
    public static long sl$offset() {
        return sl$OFFSET;
    }

    /** Reads {@code sl}. */
    public static int sl(MemorySegment struct) {
        return struct.get(sl$LAYOUT, sl$OFFSET);
    }

    /** Writes {@code sl}. */
    public static void sl(MemorySegment struct, int fieldValue) {
        struct.set(sl$LAYOUT, sl$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfInt num_ops$LAYOUT = (ValueLayout.OfInt) $LAYOUT.select(groupElement("num_ops"));
    private static final long num_ops$OFFSET = $LAYOUT.byteOffset(groupElement("num_ops"));

    /** Layout of {@code num_ops}. */
    public static ValueLayout.OfInt num_ops$layout() {
        return num_ops$LAYOUT;
    }

    /** Offset of {@code num_ops}. */
    public static long num_ops$offset() {
        return num_ops$OFFSET;
    }

    /** Reads {@code num_ops}. */
    public static int num_ops(MemorySegment struct) {
        return struct.get(num_ops$LAYOUT, num_ops$OFFSET);
    }

    /** Writes {@code num_ops}. */
    public static void num_ops(MemorySegment struct, int fieldValue) {
        struct.set(num_ops$LAYOUT, num_ops$OFFSET, fieldValue);
    }

    private static final long ops$OFFSET = $LAYOUT.byteOffset(groupElement("ops"));

    /** Offset of {@code ops}. */
    public static long ops$offset() {
        return ops$OFFSET;
    }

    /** {@code ops} as a slice of {@code struct} (a {@link rte_mempool_ops}). */
    public static MemorySegment ops(MemorySegment struct) {
        return struct.asSlice(ops$OFFSET, 16L * rte_mempool_ops.layout().byteSize());
    }

}
