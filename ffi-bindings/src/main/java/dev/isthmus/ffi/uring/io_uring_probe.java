package dev.isthmus.ffi.uring;

import dev.isthmus.ffi.CStruct;

import java.lang.foreign.AddressLayout;
import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.ValueLayout;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

/**
 * Filled by IORING_REGISTER_PROBE (nr_args = room for ops). Allocate with
 * {@link #allocate(SegmentAllocator, int)}; entry {@code i} of the flexible array {@code ops} is
 * {@link #ops(MemorySegment, int)}.
 *
 * <pre>{@code
 * struct io_uring_probe {
 *     __u8 last_op; __u8 ops_len; __u16 resv; __u32 resv2[3];
 *     struct io_uring_probe_op ops[];
 * };
 * }</pre>
 */
@CStruct(value = "struct io_uring_probe", includes = {"linux/io_uring.h"})
public final class io_uring_probe {
    private io_uring_probe() {
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
            ValueLayout.JAVA_BYTE.withName("last_op"),
            ValueLayout.JAVA_BYTE.withName("ops_len"),
            ValueLayout.JAVA_SHORT.withName("resv"),
            MemoryLayout.sequenceLayout(3, ValueLayout.JAVA_INT).withName("resv2")
    ).withName("io_uring_probe");

    /** The layout of {@code struct io_uring_probe}. */
    public static GroupLayout layout() {
        return $LAYOUT;
    }

    /** {@code sizeof(struct io_uring_probe)}. */
    public static long sizeof() {
        return $LAYOUT.byteSize();
    }

    /** Allocates one zeroed {@code struct io_uring_probe}. */
    public static MemorySegment allocate(SegmentAllocator allocator) {
        return allocator.allocate($LAYOUT);
    }

    private static final ValueLayout.OfByte last_op$LAYOUT = (ValueLayout.OfByte) $LAYOUT.select(groupElement("last_op"));
    private static final long last_op$OFFSET = $LAYOUT.byteOffset(groupElement("last_op"));

    /** Layout of {@code last_op}. */
    public static ValueLayout.OfByte last_op$layout() {
        return last_op$LAYOUT;
    }

    /** Offset of {@code last_op}. */
    public static long last_op$offset() {
        return last_op$OFFSET;
    }

    /** Reads {@code last_op}. */
    public static byte last_op(MemorySegment struct) {
        return struct.get(last_op$LAYOUT, last_op$OFFSET);
    }

    /** Writes {@code last_op}. */
    public static void last_op(MemorySegment struct, byte fieldValue) {
        struct.set(last_op$LAYOUT, last_op$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfByte ops_len$LAYOUT = (ValueLayout.OfByte) $LAYOUT.select(groupElement("ops_len"));
    private static final long ops_len$OFFSET = $LAYOUT.byteOffset(groupElement("ops_len"));

    /** Layout of {@code ops_len}. */
    public static ValueLayout.OfByte ops_len$layout() {
        return ops_len$LAYOUT;
    }

    /** Offset of {@code ops_len}. */
    public static long ops_len$offset() {
        return ops_len$OFFSET;
    }

    /** Reads {@code ops_len}. */
    public static byte ops_len(MemorySegment struct) {
        return struct.get(ops_len$LAYOUT, ops_len$OFFSET);
    }

    /** Writes {@code ops_len}. */
    public static void ops_len(MemorySegment struct, byte fieldValue) {
        struct.set(ops_len$LAYOUT, ops_len$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfShort resv$LAYOUT = (ValueLayout.OfShort) $LAYOUT.select(groupElement("resv"));
    private static final long resv$OFFSET = $LAYOUT.byteOffset(groupElement("resv"));

    /** Layout of {@code resv}. */
    public static ValueLayout.OfShort resv$layout() {
        return resv$LAYOUT;
    }

    /** Offset of {@code resv}. */
    public static long resv$offset() {
        return resv$OFFSET;
    }

    /** Reads {@code resv}. */
    public static short resv(MemorySegment struct) {
        return struct.get(resv$LAYOUT, resv$OFFSET);
    }

    /** Writes {@code resv}. */
    public static void resv(MemorySegment struct, short fieldValue) {
        struct.set(resv$LAYOUT, resv$OFFSET, fieldValue);
    }

    private static final long resv2$OFFSET = $LAYOUT.byteOffset(groupElement("resv2"));

    /** Offset of {@code resv2}. */
    public static long resv2$offset() {
        return resv2$OFFSET;
    }

    /** The array {@code resv2} as a slice of {@code struct}. */
    public static MemorySegment resv2(MemorySegment struct) {
        return struct.asSlice(resv2$OFFSET, 3L * ValueLayout.JAVA_INT.byteSize());
    }

    /** Reads {@code resv2[index]}. */
    public static int resv2(MemorySegment struct, long index) {
        return struct.get(ValueLayout.JAVA_INT, resv2$OFFSET + java.util.Objects.checkIndex(index, 3L) * ValueLayout.JAVA_INT.byteSize());
    }

    /** Writes {@code resv2[index]}. */
    public static void resv2(MemorySegment struct, long index, int fieldValue) {
        struct.set(ValueLayout.JAVA_INT, resv2$OFFSET + java.util.Objects.checkIndex(index, 3L) * ValueLayout.JAVA_INT.byteSize(), fieldValue);
    }

    /** Allocates a zeroed probe with room for {@code nrOps} entries of {@code ops[]}. */
    public static MemorySegment allocate(SegmentAllocator allocator, int nrOps) {
        if (nrOps < 0 || nrOps > 256) {
            throw new IllegalArgumentException("nrOps must be in [0, 256], was " + nrOps);
        }
        return allocator.allocate(sizeof() + (long) nrOps * io_uring_probe_op.sizeof(), 8);
    }

    /** Entry {@code index} of {@code ops[]} (a {@link io_uring_probe_op}). */
    public static MemorySegment ops(MemorySegment probe, int index) {
        return probe.asSlice(sizeof() + (long) index * io_uring_probe_op.sizeof(), io_uring_probe_op.layout());
    }

}
