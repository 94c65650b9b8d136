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
 * The receive part of {@link rte_eth_conf}. All zero means: no multi-queue mode, default MTU, no offloads.
 *
 * <pre>{@code
 * struct rte_eth_rxmode {
 *     enum rte_eth_rx_mq_mode mq_mode; uint32_t mtu; uint32_t max_lro_pkt_size;
 *     uint64_t offloads; uint64_t reserved_64s[2]; void *reserved_ptrs[2];
 * };
 * }</pre>
 */
@CStruct(value = "struct rte_eth_rxmode", includes = {"rte_ethdev.h"}, pkgConfig = "libdpdk")
public final class rte_eth_rxmode {
    private rte_eth_rxmode() {
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
            ValueLayout.JAVA_INT.withName("mq_mode"),
            ValueLayout.JAVA_INT.withName("mtu"),
            ValueLayout.JAVA_INT.withName("max_lro_pkt_size"),
            MemoryLayout.paddingLayout(4),
            ValueLayout.JAVA_LONG.withName("offloads"),
            MemoryLayout.sequenceLayout(2, ValueLayout.JAVA_LONG).withName("reserved_64s"),
            MemoryLayout.sequenceLayout(2, ValueLayout.JAVA_LONG).withName("reserved_ptrs")
    ).withName("rte_eth_rxmode");

    /** The layout of {@code struct rte_eth_rxmode}. */
    public static GroupLayout layout() {
        return $LAYOUT;
    }

    /** {@code sizeof(struct rte_eth_rxmode)}. */
    public static long sizeof() {
        return $LAYOUT.byteSize();
    }

    /** Allocates one zeroed {@code struct rte_eth_rxmode}. */
    public static MemorySegment allocate(SegmentAllocator allocator) {
        return allocator.allocate($LAYOUT);
    }

    private static final ValueLayout.OfInt mq_mode$LAYOUT = (ValueLayout.OfInt) $LAYOUT.select(groupElement("mq_mode"));
    private static final long mq_mode$OFFSET = $LAYOUT.byteOffset(groupElement("mq_mode"));

    /** Layout of {@code mq_mode}. */
    public static ValueLayout.OfInt mq_mode$layout() {
        return mq_mode$LAYOUT;
    }

    /** Offset of {@code mq_mode}. */
    public static long mq_mode$offset() {
        return mq_mode$OFFSET;
    }

    /** Reads {@code mq_mode}. */
    public static int mq_mode(MemorySegment struct) {
        return struct.get(mq_mode$LAYOUT, mq_mode$OFFSET);
    }

    /** Writes {@code mq_mode}. */
    public static void mq_mode(MemorySegment struct, int fieldValue) {
        struct.set(mq_mode$LAYOUT, mq_mode$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfInt mtu$LAYOUT = (ValueLayout.OfInt) $LAYOUT.select(groupElement("mtu"));
    private static final long mtu$OFFSET = $LAYOUT.byteOffset(groupElement("mtu"));

    /** Layout of {@code mtu}. */
    public static ValueLayout.OfInt mtu$layout() {
        return mtu$LAYOUT;
    }

    /** Offset of {@code mtu}. */
    public static long mtu$offset() {
        return mtu$OFFSET;
    }

    /** Reads {@code mtu}. */
    public static int mtu(MemorySegment struct) {
        return struct.get(mtu$LAYOUT, mtu$OFFSET);
    }

    /** Writes {@code mtu}. */
    public static void mtu(MemorySegment struct, int fieldValue) {
        struct.set(mtu$LAYOUT, mtu$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfInt max_lro_pkt_size$LAYOUT = (ValueLayout.OfInt) $LAYOUT.select(groupElement("max_lro_pkt_size"));
    private static final long max_lro_pkt_size$OFFSET = $LAYOUT.byteOffset(groupElement("max_lro_pkt_size"));

    /** Layout of {@code max_lro_pkt_size}. */
    public static ValueLayout.OfInt max_lro_pkt_size$layout() {
        return max_lro_pkt_size$LAYOUT;
    }

    /** Offset of {@code max_lro_pkt_size}. */
    public static long max_lro_pkt_size$offset() {
        return max_lro_pkt_size$OFFSET;
    }

    /** Reads {@code max_lro_pkt_size}. */
    public static int max_lro_pkt_size(MemorySegment struct) {
        return struct.get(max_lro_pkt_size$LAYOUT, max_lro_pkt_size$OFFSET);
    }

    /** Writes {@code max_lro_pkt_size}. */
    public static void max_lro_pkt_size(MemorySegment struct, int fieldValue) {
        struct.set(max_lro_pkt_size$LAYOUT, max_lro_pkt_size$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfLong offloads$LAYOUT = (ValueLayout.OfLong) $LAYOUT.select(groupElement("offloads"));
    private static final long offloads$OFFSET = $LAYOUT.byteOffset(groupElement("offloads"));

    /** Layout of {@code offloads}. */
    public static ValueLayout.OfLong offloads$layout() {
        return offloads$LAYOUT;
    }

    /** Offset of {@code offloads}. */
    public static long offloads$offset() {
        return offloads$OFFSET;
    }

    /** Reads {@code offloads}. */
    public static long offloads(MemorySegment struct) {
        return struct.get(offloads$LAYOUT, offloads$OFFSET);
    }

    /** Writes {@code offloads}. */
    public static void offloads(MemorySegment struct, long fieldValue) {
        struct.set(offloads$LAYOUT, offloads$OFFSET, fieldValue);
    }

    private static final long reserved_64s$OFFSET = $LAYOUT.byteOffset(groupElement("reserved_64s"));

    /** Offset of {@code reserved_64s}. */
    public static long reserved_64s$offset() {
        return reserved_64s$OFFSET;
    }

    /** The array {@code reserved_64s} as a slice of {@code struct}. */
    public static MemorySegment reserved_64s(MemorySegment struct) {
        return struct.asSlice(reserved_64s$OFFSET, 2L * ValueLayout.JAVA_LONG.byteSize());
    }

    /** Reads {@code reserved_64s[index]}. */
    public static long reserved_64s(MemorySegment struct, long index) {
        return struct.get(ValueLayout.JAVA_LONG, reserved_64s$OFFSET + java.util.Objects.checkIndex(index, 2L) * ValueLayout.JAVA_LONG.byteSize());
    }

    /** Writes {@code reserved_64s[index]}. */
    public static void reserved_64s(MemorySegment struct, long index, long fieldValue) {
        struct.set(ValueLayout.JAVA_LONG, reserved_64s$OFFSET + java.util.Objects.checkIndex(index, 2L) * ValueLayout.JAVA_LONG.byteSize(), fieldValue);
    }

    private static final long reserved_ptrs$OFFSET = $LAYOUT.byteOffset(groupElement("reserved_ptrs"));

    /** Offset of {@code reserved_ptrs}. */
    public static long reserved_ptrs$offset() {
        return reserved_ptrs$OFFSET;
    }

    /** The array {@code reserved_ptrs} as a slice of {@code struct}. */
    public static MemorySegment reserved_ptrs(MemorySegment struct) {
        return struct.asSlice(reserved_ptrs$OFFSET, 2L * ValueLayout.JAVA_LONG.byteSize());
    }

    /** Reads {@code reserved_ptrs[index]}. */
    public static long reserved_ptrs(MemorySegment struct, long index) {
        return struct.get(ValueLayout.JAVA_LONG, reserved_ptrs$OFFSET + java.util.Objects.checkIndex(index, 2L) * ValueLayout.JAVA_LONG.byteSize());
    }

    /** Writes {@code reserved_ptrs[index]}. */
    public static void reserved_ptrs(MemorySegment struct, long index, long fieldValue) {
        struct.set(ValueLayout.JAVA_LONG, reserved_ptrs$OFFSET + java.util.Objects.checkIndex(index, 2L) * ValueLayout.JAVA_LONG.byteSize(), fieldValue);
    }

}
