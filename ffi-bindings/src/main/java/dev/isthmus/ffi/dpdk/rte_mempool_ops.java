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
 * A mempool driver's operations (ring_mp_mc for pools made by rte_pktmbuf_pool_create). Its
 * {@code dequeue} is what the inline rte_mempool_get_bulk ends in when the pool has no per-lcore cache.
 *
 * <pre>{@code
 * struct rte_mempool_ops {
 *     char name[RTE_MEMPOOL_OPS_NAMESIZE];
 *     rte_mempool_alloc_t alloc; rte_mempool_free_t free;
 *     rte_mempool_enqueue_t enqueue; rte_mempool_dequeue_t dequeue;
 *     rte_mempool_get_count get_count; rte_mempool_calc_mem_size_t calc_mem_size;
 *     rte_mempool_populate_t populate; rte_mempool_get_info_t get_info;
 *     rte_mempool_dequeue_contig_blocks_t dequeue_contig_blocks;
 * } __rte_cache_aligned;
 * }</pre>
 */
@CStruct(value = "struct rte_mempool_ops", includes = {"rte_mempool.h"}, pkgConfig = "libdpdk")
public final class rte_mempool_ops {
    private rte_mempool_ops() {
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
            MemoryLayout.sequenceLayout(32, ValueLayout.JAVA_BYTE).withName("name"),
            ValueLayout.ADDRESS.withName("alloc"),
            ValueLayout.ADDRESS.withName("free"),
            ValueLayout.ADDRESS.withName("enqueue"),
            ValueLayout.ADDRESS.withName("dequeue"),
            ValueLayout.ADDRESS.withName("get_count"),
            ValueLayout.ADDRESS.withName("calc_mem_size"),
            ValueLayout.ADDRESS.withName("populate"),
            ValueLayout.ADDRESS.withName("get_info"),
            ValueLayout.ADDRESS.withName("dequeue_contig_blocks"),
            MemoryLayout.paddingLayout(24)
    ).withByteAlignment(64).withName("rte_mempool_ops");

    /** The layout of {@code struct rte_mempool_ops}. */
    public static GroupLayout layout() {
        return $LAYOUT;
    }

    /** {@code sizeof(struct rte_mempool_ops)}. */
    public static long sizeof() {
        return $LAYOUT.byteSize();
    }

    /** Allocates one zeroed {@code struct rte_mempool_ops}. */
    public static MemorySegment allocate(SegmentAllocator allocator) {
        return allocator.allocate($LAYOUT);
    }

    private static final long name$OFFSET = $LAYOUT.byteOffset(groupElement("name"));

    /** Offset of {@code name}. */
    public static long name$offset() {
        return name$OFFSET;
    }

    /** The array {@code name} as a slice of {@code struct}. */
    public static MemorySegment name(MemorySegment struct) {
        return struct.asSlice(name$OFFSET, 32L * ValueLayout.JAVA_BYTE.byteSize());
    }

    /** Reads {@code name[index]}. */
    public static byte name(MemorySegment struct, long index) {
        return struct.get(ValueLayout.JAVA_BYTE, name$OFFSET + java.util.Objects.checkIndex(index, 32L) * ValueLayout.JAVA_BYTE.byteSize());
    }

    private static final AddressLayout alloc$LAYOUT = (AddressLayout) $LAYOUT.select(groupElement("alloc"));
    private static final long alloc$OFFSET = $LAYOUT.byteOffset(groupElement("alloc"));

    /** Layout of {@code alloc}. */
    public static AddressLayout alloc$layout() {
        return alloc$LAYOUT;
    }

    /** Offset of {@code alloc}. */
    public static long alloc$offset() {
        return alloc$OFFSET;
    }

    /** Reads {@code alloc}. */
    public static MemorySegment alloc(MemorySegment struct) {
        return struct.get(alloc$LAYOUT, alloc$OFFSET);
    }

    /** Writes {@code alloc}. */
    public static void alloc(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(alloc$LAYOUT, alloc$OFFSET, fieldValue);
    }

    private static final AddressLayout free$LAYOUT = (AddressLayout) $LAYOUT.select(groupElement("free"));
    private static final long free$OFFSET = $LAYOUT.byteOffset(groupElement("free"));

    /** Layout of {@code free}. */
    public static AddressLayout free$layout() {
        return free$LAYOUT;
    }

    /** Offset of {@code free}. */
    public static long free$offset() {
        return free$OFFSET;
    }

    /** Reads {@code free}. */
    public static MemorySegment free(MemorySegment struct) {
        return struct.get(free$LAYOUT, free$OFFSET);
    }

    /** Writes {@code free}. */
    public static void free(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(free$LAYOUT, free$OFFSET, fieldValue);
    }

    private static final AddressLayout enqueue$LAYOUT = (AddressLayout) $LAYOUT.select(groupElement("enqueue"));
    private static final long enqueue$OFFSET = $LAYOUT.byteOffset(groupElement("enqueue"));

    /** Layout of {@code enqueue}. */
    public static AddressLayout enqueue$layout() {
        return enqueue$LAYOUT;
    }

    /** Offset of {@code enqueue}. */
    public static long enqueue$offset() {
        return enqueue$OFFSET;
    }

    /** Reads {@code enqueue}. */
    public static MemorySegment enqueue(MemorySegment struct) {
        return struct.get(enqueue$LAYOUT, enqueue$OFFSET);
    }

    /** Writes {@code enqueue}. */
    public static void enqueue(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(enqueue$LAYOUT, enqueue$OFFSET, fieldValue);
    }

    private static final AddressLayout dequeue$LAYOUT = (AddressLayout) $LAYOUT.select(groupElement("dequeue"));
    private static final long dequeue$OFFSET = $LAYOUT.byteOffset(groupElement("dequeue"));

    /** Layout of {@code dequeue}. */
    public static AddressLayout dequeue$layout() {
        return dequeue$LAYOUT;
    }

    /** Offset of {@code dequeue}. */
    public static long dequeue$offset() {
        return dequeue$OFFSET;
    }

    /** Reads {@code dequeue}. */
    public static MemorySegment dequeue(MemorySegment struct) {
        return struct.get(dequeue$LAYOUT, dequeue$OFFSET);
    }

    /** Writes {@code dequeue}. */
    public static void dequeue(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(dequeue$LAYOUT, dequeue$OFFSET, fieldValue);
    }

    private static final AddressLayout get_count$LAYOUT = (AddressLayout) $LAYOUT.select(groupElement("get_count"));
    private static final long get_count$OFFSET = $LAYOUT.byteOffset(groupElement("get_count"));

    /** Layout of {@code get_count}. */
    public static AddressLayout get_count$layout() {
        return get_count$LAYOUT;
    }

    /** Offset of {@code get_count}. */
    public static long get_count$offset() {
        return get_count$OFFSET;
    }

    /** Reads {@code get_count}. */
    public static MemorySegment get_count(MemorySegment struct) {
        return struct.get(get_count$LAYOUT, get_count$OFFSET);
    }

    /** Writes {@code get_count}. */
    public static void get_count(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(get_count$LAYOUT, get_count$OFFSET, fieldValue);
    }

    private static final AddressLayout calc_mem_size$LAYOUT = (AddressLayout) $LAYOUT.select(groupElement("calc_mem_size"));
    private static final long calc_mem_size$OFFSET = $LAYOUT.byteOffset(groupElement("calc_mem_size"));

    /** Layout of {@code calc_mem_size}. */
    public static AddressLayout calc_mem_size$layout() {
        return calc_mem_size$LAYOUT;
    }

    /** Offset of {@code calc_mem_size}. */
    public static long calc_mem_size$offset() {
        return calc_mem_size$OFFSET;
    }

    /** Reads {@code calc_mem_size}. */
    public static MemorySegment calc_mem_size(MemorySegment struct) {
        return struct.get(calc_mem_size$LAYOUT, calc_mem_size$OFFSET);
    }

    /** Writes {@code calc_mem_size}. */
    public static void calc_mem_size(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(calc_mem_size$LAYOUT, calc_mem_size$OFFSET, fieldValue);
    }

    private static final AddressLayout populate$LAYOUT = (AddressLayout) $LAYOUT.select(groupElement("populate"));
    private static final long populate$OFFSET = $LAYOUT.byteOffset(groupElement("populate"));

    /** Layout of {@code populate}. */
    public static AddressLayout populate$layout() {
        return populate$LAYOUT;
    }

    /** Offset of {@code populate}. */
    public static long populate$offset() {
        return populate$OFFSET;
    }

    /** Reads {@code populate}. */
    public static MemorySegment populate(MemorySegment struct) {
        return struct.get(populate$LAYOUT, populate$OFFSET);
    }

    /** Writes {@code populate}. */
    public static void populate(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(populate$LAYOUT, populate$OFFSET, fieldValue);
    }

    private static final AddressLayout get_info$LAYOUT = (AddressLayout) $LAYOUT.select(groupElement("get_info"));
    private static final long get_info$OFFSET = $LAYOUT.byteOffset(groupElement("get_info"));

    /** Layout of {@code get_info}. */
    public static AddressLayout get_info$layout() {
        return get_info$LAYOUT;
    }

    /** Offset of {@code get_info}. */
    public static long get_info$offset() {
        return get_info$OFFSET;
    }

    /** Reads {@code get_info}. */
    public static MemorySegment get_info(MemorySegment struct) {
        return struct.get(get_info$LAYOUT, get_info$OFFSET);
    }

    /** Writes {@code get_info}. */
    public static void get_info(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(get_info$LAYOUT, get_info$OFFSET, fieldValue);
    }

    private static final AddressLayout dequeue_contig_blocks$LAYOUT = (AddressLayout) $LAYOUT.select(groupElement("dequeue_contig_blocks"));
    private static final long dequeue_contig_blocks$OFFSET = $LAYOUT.byteOffset(groupElement("dequeue_contig_blocks"));

    /** Layout of {@code dequeue_contig_blocks}. */
    public static AddressLayout dequeue_contig_blocks$layout() {
        return dequeue_contig_blocks$LAYOUT;
    }

    /** Offset of {@code dequeue_contig_blocks}. */
    public static long dequeue_contig_blocks$offset() {
        return dequeue_contig_blocks$OFFSET;
    }

    /** Reads {@code dequeue_contig_blocks}. */
    public static MemorySegment dequeue_contig_blocks(MemorySegment struct) {
        return struct.get(dequeue_contig_blocks$LAYOUT, dequeue_contig_blocks$OFFSET);
    }

    /** Writes {@code dequeue_contig_blocks}. */
    public static void dequeue_contig_blocks(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(dequeue_contig_blocks$LAYOUT, dequeue_contig_blocks$OFFSET, fieldValue);
    }

}
