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
 * A mempool's header, as far as allocating from it without the inline helpers needs:
 * {@code ops_index} selects the driver in {@link rte_mempool_ops_table}, {@code cache_size} says
 * whether rte_mempool_get_bulk would have used a per-lcore cache first.
 *
 * <pre>{@code
 * struct rte_mempool {
 *     char name[RTE_MEMPOOL_NAMESIZE];
 *     union { void *pool_data; uint64_t pool_id; };
 *     void *pool_config; const struct rte_memzone *mz;
 *     unsigned int flags; int socket_id; uint32_t size; uint32_t cache_size;
 *     uint32_t elt_size, header_size, trailer_size; unsigned private_data_size;
 *     int32_t ops_index;
 *     struct rte_mempool_cache *local_cache;
 *     uint32_t populated_size; struct rte_mempool_objhdr_list elt_list;
 *     uint32_t nb_mem_chunks; struct rte_mempool_memhdr_list mem_list;
 * } __rte_cache_aligned;                 // RTE_LIBRTE_MEMPOOL_STATS is off in Debian's build
 * }</pre>
 */
@CStruct(value = "struct rte_mempool", includes = {"rte_mempool.h"}, pkgConfig = "libdpdk")
public final class rte_mempool {
    private rte_mempool() {
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
            MemoryLayout.sequenceLayout(26, ValueLayout.JAVA_BYTE).withName("name"),
            MemoryLayout.paddingLayout(6),
            MemoryLayout.unionLayout(
                ValueLayout.ADDRESS.withName("pool_data"),
                ValueLayout.JAVA_LONG.withName("pool_id")
            ).withName("$anon0"),
            ValueLayout.ADDRESS.withName("pool_config"),
            ValueLayout.ADDRESS.withName("mz"),
            ValueLayout.JAVA_INT.withName("flags"),
            ValueLayout.JAVA_INT.withName("socket_id"),
            ValueLayout.JAVA_INT.withName("size"),
            ValueLayout.JAVA_INT.withName("cache_size"),
            ValueLayout.JAVA_INT.withName("elt_size"),
            ValueLayout.JAVA_INT.withName("header_size"),
            ValueLayout.JAVA_INT.withName("trailer_size"),
            ValueLayout.JAVA_INT.withName("private_data_size"),
            ValueLayout.JAVA_INT.withName("ops_index"),
            MemoryLayout.paddingLayout(4),
            ValueLayout.ADDRESS.withName("local_cache"),
            ValueLayout.JAVA_INT.withName("populated_size"),
            MemoryLayout.paddingLayout(4),
            MemoryLayout.sequenceLayout(2, ValueLayout.JAVA_LONG).withName("elt_list"),
            ValueLayout.JAVA_INT.withName("nb_mem_chunks"),
            MemoryLayout.paddingLayout(4),
            MemoryLayout.sequenceLayout(2, ValueLayout.JAVA_LONG).withName("mem_list"),
            MemoryLayout.paddingLayout(40)
    ).withByteAlignment(64).withName("rte_mempool");

    /** The layout of {@code struct rte_mempool}. */
    public static GroupLayout layout() {
        return $LAYOUT;
    }

    /** {@code sizeof(struct rte_mempool)}. */
    public static long sizeof() {
        return $LAYOUT.byteSize();
    }

    /** Allocates one zeroed {@code struct rte_mempool}. */
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
        return struct.asSlice(name$OFFSET, 26L * ValueLayout.JAVA_BYTE.byteSize());
    }

    /** Reads {@code name[index]}. */
    public static byte name(MemorySegment struct, long index) {
        return struct.get(ValueLayout.JAVA_BYTE, name$OFFSET + java.util.Objects.checkIndex(index, 26L) * ValueLayout.JAVA_BYTE.byteSize());
    }

    private static final AddressLayout pool_data$LAYOUT = (AddressLayout) $LAYOUT.select(groupElement("$anon0"), groupElement("pool_data"));
    private static final long pool_data$OFFSET = $LAYOUT.byteOffset(groupElement("$anon0"), groupElement("pool_data"));

    /** Layout of {@code pool_data}. */
    public static AddressLayout pool_data$layout() {
        return pool_data$LAYOUT;
    }

    /** Offset of {@code pool_data}. */
    public static long pool_data$offset() {
        return pool_data$OFFSET;
    }

    /** Reads {@code pool_data}. */
    public static MemorySegment pool_data(MemorySegment struct) {
        return struct.get(pool_data$LAYOUT, pool_data$OFFSET);
    }

    /** Writes {@code pool_data}. */
    public static void pool_data(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(pool_data$LAYOUT, pool_data$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfLong pool_id$LAYOUT = (ValueLayout.OfLong) $LAYOUT.select(groupElement("$anon0"), groupElement("pool_id"));
    private static final long pool_id$OFFSET = $LAYOUT.byteOffset(groupElement("$anon0"), groupElement("pool_id"));

    /** Layout of {@code pool_id}. */
    public static ValueLayout.OfLong pool_id$layout() {
        return pool_id$LAYOUT;
    }

    /** Offset of {@code pool_id}. */
    public static long pool_id$offset() {
        return pool_id$OFFSET;
    }

    /** Reads {@code pool_id}. */
    public static long pool_id(MemorySegment struct) {
        return struct.get(pool_id$LAYOUT, pool_id$OFFSET);
    }

    /** Writes {@code pool_id}. */
    public static void pool_id(MemorySegment struct, long fieldValue) {
        struct.set(pool_id$LAYOUT, pool_id$OFFSET, fieldValue);
    }

    private static final AddressLayout pool_config$LAYOUT = (AddressLayout) $LAYOUT.select(groupElement("pool_config"));
    private static final long pool_config$OFFSET = $LAYOUT.byteOffset(groupElement("pool_config"));

    /** Layout of {@code pool_config}. */
    public static AddressLayout pool_config$layout() {
        return pool_config$LAYOUT;
    }

    /** Offset of {@code pool_config}. */
    public static long pool_config$offset() {
        return pool_config$OFFSET;
    }

    /** Reads {@code pool_config}. */
    public static MemorySegment pool_config(MemorySegment struct) {
        return struct.get(pool_config$LAYOUT, pool_config$OFFSET);
    }

    /** Writes {@code pool_config}. */
    public static void pool_config(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(pool_config$LAYOUT, pool_config$OFFSET, fieldValue);
    }

    private static final AddressLayout mz$LAYOUT = (AddressLayout) $LAYOUT.select(groupElement("mz"));
    private static final long mz$OFFSET = $LAYOUT.byteOffset(groupElement("mz"));

    /** Layout of {@code mz}. */
    public static AddressLayout mz$layout() {
        return mz$LAYOUT;
    }

    /** Offset of {@code mz}. */
    public static long mz$offset() {
        return mz$OFFSET;
    }

    /** Reads {@code mz}. */
    public static MemorySegment mz(MemorySegment struct) {
        return struct.get(mz$LAYOUT, mz$OFFSET);
    }

    /** Writes {@code mz}. */
    public static void mz(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(mz$LAYOUT, mz$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfInt flags$LAYOUT = (ValueLayout.OfInt) $LAYOUT.select(groupElement("flags"));
    private static final long flags$OFFSET = $LAYOUT.byteOffset(groupElement("flags"));

    /** Layout of {@code flags}. */
    public static ValueLayout.OfInt flags$layout() {
        return flags$LAYOUT;
    }

    /** Offset of {@code flags}. */
    public static long flags$offset() {
        return flags$OFFSET;
    }

    /** Reads {@code flags}. */
    public static int flags(MemorySegment struct) {
        return struct.get(flags$LAYOUT, flags$OFFSET);
    }

    /** Writes {@code flags}. */
    public static void flags(MemorySegment struct, int fieldValue) {
        struct.set(flags$LAYOUT, flags$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfInt socket_id$LAYOUT = (ValueLayout.OfInt) $LAYOUT.select(groupElement("socket_id"));
    private static final long socket_id$OFFSET = $LAYOUT.byteOffset(groupElement("socket_id"));

    /** Layout of {@code socket_id}. */
    public static ValueLayout.OfInt socket_id$layout() {
        return socket_id$LAYOUT;
    }

    /** Offset of {@code socket_id}. */
    public static long socket_id$offset() {
        return socket_id$OFFSET;
    }

    /** Reads {@code socket_id}. */
    public static int socket_id(MemorySegment struct) {
        return struct.get(socket_id$LAYOUT, socket_id$OFFSET);
    }

    /** Writes {@code socket_id}. */
    public static void socket_id(MemorySegment struct, int fieldValue) {
        struct.set(socket_id$LAYOUT, socket_id$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfInt size$LAYOUT = (ValueLayout.OfInt) $LAYOUT.select(groupElement("size"));
    private static final long size$OFFSET = $LAYOUT.byteOffset(groupElement("size"));

    /** Layout of {@code size}. */
    public static ValueLayout.OfInt size$layout() {
        return size$LAYOUT;
    }

    /** Offset of {@code size}. */
    public static long size$offset() {
        return size$OFFSET;
    }

    /** Reads {@code size}. */
    public static int size(MemorySegment struct) {
        return struct.get(size$LAYOUT, size$OFFSET);
    }

    /** Writes {@code size}. */
    public static void size(MemorySegment struct, int fieldValue) {
        struct.set(size$LAYOUT, size$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfInt cache_size$LAYOUT = (ValueLayout.OfInt) $LAYOUT.select(groupElement("cache_size"));
    private static final long cache_size$OFFSET = $LAYOUT.byteOffset(groupElement("cache_size"));

    /** Layout of {@code cache_size}. */
    public static ValueLayout.OfInt cache_size$layout() {
        return cache_size$LAYOUT;
    }

    /** Offset of {@code cache_size}. */
    public static long cache_size$offset() {
        return cache_size$OFFSET;
    }

    /** Reads {@code cache_size}. */
    public static int cache_size(MemorySegment struct) {
        return struct.get(cache_size$LAYOUT, cache_size$OFFSET);
    }

    /** Writes {@code cache_size}. */
    public static void cache_size(MemorySegment struct, int fieldValue) {
        struct.set(cache_size$LAYOUT, cache_size$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfInt elt_size$LAYOUT = (ValueLayout.OfInt) $LAYOUT.select(groupElement("elt_size"));
    private static final long elt_size$OFFSET = $LAYOUT.byteOffset(groupElement("elt_size"));

    /** Layout of {@code elt_size}. */
    public static ValueLayout.OfInt elt_size$layout() {
        return elt_size$LAYOUT;
    }

    /** Offset of {@code elt_size}. */
    public static long elt_size$offset() {
        return elt_size$OFFSET;
    }

    /** Reads {@code elt_size}. */
    public static int elt_size(MemorySegment struct) {
        return struct.get(elt_size$LAYOUT, elt_size$OFFSET);
    }

    /** Writes {@code elt_size}. */
    public static void elt_size(MemorySegment struct, int fieldValue) {
        struct.set(elt_size$LAYOUT, elt_size$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfInt header_size$LAYOUT = (ValueLayout.OfInt) $LAYOUT.select(groupElement("header_size"));
    private static final long header_size$OFFSET = $LAYOUT.byteOffset(groupElement("header_size"));

    /** Layout of {@code header_size}. */
    public static ValueLayout.OfInt header_size$layout() {
        return header_size$LAYOUT;
    }

    /** Offset of {@code header_size}. */
    public static long header_size$offset() {
        return header_size$OFFSET;
    }

    /** Reads {@code header_size}. */
    public static int header_size(MemorySegment struct) {
        return struct.get(header_size$LAYOUT, header_size$OFFSET);
    }

    /** Writes {@code header_size}. */
    public static void header_size(MemorySegment struct, int fieldValue) {
        struct.set(header_size$LAYOUT, header_size$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfInt trailer_size$LAYOUT = (ValueLayout.OfInt) $LAYOUT.select(groupElement("trailer_size"));
    private static final long trailer_size$OFFSET = $LAYOUT.byteOffset(groupElement("trailer_size"));

    /** Layout of {@code trailer_size}. */
    public static ValueLayout.OfInt trailer_size$layout() {
        return trailer_size$LAYOUT;
    }

    /** Offset of {@code trailer_size}. */
    public static long trailer_size$offset() {
        return trailer_size$OFFSET;
    }

    /** Reads {@code trailer_size}. */
    public static int trailer_size(MemorySegment struct) {
        return struct.get(trailer_size$LAYOUT, trailer_size$OFFSET);
    }

    /** Writes {@code trailer_size}. */
    public static void trailer_size(MemorySegment struct, int fieldValue) {
        struct.set(trailer_size$LAYOUT, trailer_size$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfInt private_data_size$LAYOUT = (ValueLayout.OfInt) $LAYOUT.select(groupElement("private_data_size"));
    private static final long private_data_size$OFFSET = $LAYOUT.byteOffset(groupElement("private_data_size"));

    /** Layout of {@code private_data_size}. */
    public static ValueLayout.OfInt private_data_size$layout() {
        return private_data_size$LAYOUT;
    }

    /** Offset of {@code private_data_size}. */
    public static long private_data_size$offset() {
        return private_data_size$OFFSET;
    }

    /** Reads {@code private_data_size}. */
    public static int private_data_size(MemorySegment struct) {
        return struct.get(private_data_size$LAYOUT, private_data_size$OFFSET);
    }

    /** Writes {@code private_data_size}. */
    public static void private_data_size(MemorySegment struct, int fieldValue) {
        struct.set(private_data_size$LAYOUT, private_data_size$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfInt ops_index$LAYOUT = (ValueLayout.OfInt) $LAYOUT.select(groupElement("ops_index"));
    private static final long ops_index$OFFSET = $LAYOUT.byteOffset(groupElement("ops_index"));

    /** Layout of {@code ops_index}. */
    public static ValueLayout.OfInt ops_index$layout() {
        return ops_index$LAYOUT;
    }

    /** Offset of {@code ops_index}. */
    public static long ops_index$offset() {
        return ops_index$OFFSET;
    }

    /** Reads {@code ops_index}. */
    public static int ops_index(MemorySegment struct) {
        return struct.get(ops_index$LAYOUT, ops_index$OFFSET);
    }

    /** Writes {@code ops_index}. */
    public static void ops_index(MemorySegment struct, int fieldValue) {
        struct.set(ops_index$LAYOUT, ops_index$OFFSET, fieldValue);
    }

    private static final AddressLayout local_cache$LAYOUT = (AddressLayout) $LAYOUT.select(groupElement("local_cache"));
    private static final long local_cache$OFFSET = $LAYOUT.byteOffset(groupElement("local_cache"));

    /** Layout of {@code local_cache}. */
    public static AddressLayout local_cache$layout() {
        return local_cache$LAYOUT;
    }

    /** Offset of {@code local_cache}. */
    public static long local_cache$offset() {
        return local_cache$OFFSET;
    }

    /** Reads {@code local_cache}. */
    public static MemorySegment local_cache(MemorySegment struct) {
        return struct.get(local_cache$LAYOUT, local_cache$OFFSET);
    }

    /** Writes {@code local_cache}. */
    public static void local_cache(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(local_cache$LAYOUT, local_cache$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfInt populated_size$LAYOUT = (ValueLayout.OfInt) $LAYOUT.select(groupElement("populated_size"));
    private static final long populated_size$OFFSET = $LAYOUT.byteOffset(groupElement("populated_size"));

    /** Layout of {@code populated_size}. */
    public static ValueLayout.OfInt populated_size$layout() {
        return populated_size$LAYOUT;
    }

    /** Offset of {@code populated_size}. */
    public static long populated_size$offset() {
        return populated_size$OFFSET;
    }

    /** Reads {@code populated_size}. */
    public static int populated_size(MemorySegment struct) {
        return struct.get(populated_size$LAYOUT, populated_size$OFFSET);
    }

    /** Writes {@code populated_size}. */
    public static void populated_size(MemorySegment struct, int fieldValue) {
        struct.set(populated_size$LAYOUT, populated_size$OFFSET, fieldValue);
    }

    private static final long elt_list$OFFSET = $LAYOUT.byteOffset(groupElement("elt_list"));

    /** Offset of {@code elt_list}. */
    public static long elt_list$offset() {
        return elt_list$OFFSET;
    }

    /** The array {@code elt_list} as a slice of {@code struct}. */
    public static MemorySegment elt_list(MemorySegment struct) {
        return struct.asSlice(elt_list$OFFSET, 2L * ValueLayout.JAVA_LONG.byteSize());
    }

    /** Reads {@code elt_list[index]}. */
    public static long elt_list(MemorySegment struct, long index) {
        return struct.get(ValueLayout.JAVA_LONG, elt_list$OFFSET + java.util.Objects.checkIndex(index, 2L) * ValueLayout.JAVA_LONG.byteSize());
    }

    /** Writes {@code elt_list[index]}. */
    public static void elt_list(MemorySegment struct, long index, long fieldValue) {
        struct.set(ValueLayout.JAVA_LONG, elt_list$OFFSET + java.util.Objects.checkIndex(index, 2L) * ValueLayout.JAVA_LONG.byteSize(), fieldValue);
    }

    private static final ValueLayout.OfInt nb_mem_chunks$LAYOUT = (ValueLayout.OfInt) $LAYOUT.select(groupElement("nb_mem_chunks"));
    private static final long nb_mem_chunks$OFFSET = $LAYOUT.byteOffset(groupElement("nb_mem_chunks"));

    /** Layout of {@code nb_mem_chunks}. */
    public static ValueLayout.OfInt nb_mem_chunks$layout() {
        return nb_mem_chunks$LAYOUT;
    }

    /** Offset of {@code nb_mem_chunks}. */
    public static long nb_mem_chunks$offset() {
        return nb_mem_chunks$OFFSET;
    }

    /** Reads {@code nb_mem_chunks}. */
    public static int nb_mem_chunks(MemorySegment struct) {
        return struct.get(nb_mem_chunks$LAYOUT, nb_mem_chunks$OFFSET);
    }

    /** Writes {@code nb_mem_chunks}. */
    public static void nb_mem_chunks(MemorySegment struct, int fieldValue) {
        struct.set(nb_mem_chunks$LAYOUT, nb_mem_chunks$OFFSET, fieldValue);
    }

    private static final long mem_list$OFFSET = $LAYOUT.byteOffset(groupElement("mem_list"));

    /** Offset of {@code mem_list}. */
    public static long mem_list$offset() {
        return mem_list$OFFSET;
    }

    /** The array {@code mem_list} as a slice of {@code struct}. */
    public static MemorySegment mem_list(MemorySegment struct) {
        return struct.asSlice(mem_list$OFFSET, 2L * ValueLayout.JAVA_LONG.byteSize());
    }

    /** Reads {@code mem_list[index]}. */
    public static long mem_list(MemorySegment struct, long index) {
        return struct.get(ValueLayout.JAVA_LONG, mem_list$OFFSET + java.util.Objects.checkIndex(index, 2L) * ValueLayout.JAVA_LONG.byteSize());
    }

    /** Writes {@code mem_list[index]}. */
    public static void mem_list(MemorySegment struct, long index, long fieldValue) {
        struct.set(ValueLayout.JAVA_LONG, mem_list$OFFSET + java.util.Objects.checkIndex(index, 2L) * ValueLayout.JAVA_LONG.byteSize(), fieldValue);
    }

}
