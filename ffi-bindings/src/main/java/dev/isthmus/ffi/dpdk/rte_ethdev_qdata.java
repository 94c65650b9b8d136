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
 * Per-port queue data inside {@link rte_eth_fp_ops}: {@code data[queue_id]} is the driver's queue
 * pointer passed as the first argument of the burst functions.
 *
 * <pre>{@code
 * struct rte_ethdev_qdata {
 *     void **data;   // points to an array of RTE_MAX_QUEUES_PER_PORT queue pointers
 *     void **clbk;   // per-queue rx/tx callbacks (RTE_ETHDEV_RXTX_CALLBACKS)
 * };
 * }</pre>
 */
@CStruct(value = "struct rte_ethdev_qdata", includes = {"rte_ethdev.h"}, pkgConfig = "libdpdk")
public final class rte_ethdev_qdata {
    private rte_ethdev_qdata() {
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
            ValueLayout.ADDRESS.withName("data"),
            ValueLayout.ADDRESS.withName("clbk")
    ).withName("rte_ethdev_qdata");

    /** The layout of {@code struct rte_ethdev_qdata}. */
    public static GroupLayout layout() {
        return $LAYOUT;
    }

    /** {@code sizeof(struct rte_ethdev_qdata)}. */
    public static long sizeof() {
        return $LAYOUT.byteSize();
    }

    /** Allocates one zeroed {@code struct rte_ethdev_qdata}. */
    public static MemorySegment allocate(SegmentAllocator allocator) {
        return allocator.allocate($LAYOUT);
    }

    private static final AddressLayout data$LAYOUT = (AddressLayout) $LAYOUT.select(groupElement("data"));
    private static final long data$OFFSET = $LAYOUT.byteOffset(groupElement("data"));

    /** Layout of {@code data}. */
    public static AddressLayout data$layout() {
        return data$LAYOUT;
    }

    /** Offset of {@code data}. */
    public static long data$offset() {
        return data$OFFSET;
    }

    /** Reads {@code data}. */
    public static MemorySegment data(MemorySegment struct) {
        return struct.get(data$LAYOUT, data$OFFSET);
    }

    /** Writes {@code data}. */
    public static void data(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(data$LAYOUT, data$OFFSET, fieldValue);
    }

    private static final AddressLayout clbk$LAYOUT = (AddressLayout) $LAYOUT.select(groupElement("clbk"));
    private static final long clbk$OFFSET = $LAYOUT.byteOffset(groupElement("clbk"));

    /** Layout of {@code clbk}. */
    public static AddressLayout clbk$layout() {
        return clbk$LAYOUT;
    }

    /** Offset of {@code clbk}. */
    public static long clbk$offset() {
        return clbk$OFFSET;
    }

    /** Reads {@code clbk}. */
    public static MemorySegment clbk(MemorySegment struct) {
        return struct.get(clbk$LAYOUT, clbk$OFFSET);
    }

    /** Writes {@code clbk}. */
    public static void clbk(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(clbk$LAYOUT, clbk$OFFSET, fieldValue);
    }

}
