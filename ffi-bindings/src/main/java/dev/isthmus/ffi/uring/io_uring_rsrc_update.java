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
 * Argument of IORING_REGISTER_RING_FDS / IORING_UNREGISTER_RING_FDS and IORING_REGISTER_FILES_UPDATE:
 * for RING_FDS, {@code data} is the ring fd and {@code offset} the slot (-1: the kernel picks one and
 * writes it back).
 *
 * <pre>{@code
 * struct io_uring_rsrc_update { __u32 offset; __u32 resv; __aligned_u64 data; };
 * }</pre>
 */
@CStruct(value = "struct io_uring_rsrc_update", includes = {"linux/io_uring.h"})
public final class io_uring_rsrc_update {
    private io_uring_rsrc_update() {
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
            ValueLayout.JAVA_INT.withName("offset"),
            ValueLayout.JAVA_INT.withName("resv"),
            ValueLayout.JAVA_LONG.withName("data")
    ).withName("io_uring_rsrc_update");

    /** The layout of {@code struct io_uring_rsrc_update}. */
    public static GroupLayout layout() {
        return $LAYOUT;
    }

    /** {@code sizeof(struct io_uring_rsrc_update)}. */
    public static long sizeof() {
        return $LAYOUT.byteSize();
    }

    /** Allocates one zeroed {@code struct io_uring_rsrc_update}. */
    public static MemorySegment allocate(SegmentAllocator allocator) {
        return allocator.allocate($LAYOUT);
    }

    private static final ValueLayout.OfInt offset$LAYOUT = (ValueLayout.OfInt) $LAYOUT.select(groupElement("offset"));
    private static final long offset$OFFSET = $LAYOUT.byteOffset(groupElement("offset"));

    /** Layout of {@code offset}. */
    public static ValueLayout.OfInt offset$layout() {
        return offset$LAYOUT;
    }

    /** Offset of {@code offset}. */
    public static long offset$offset() {
        return offset$OFFSET;
    }

    /** Reads {@code offset}. */
    public static int offset(MemorySegment struct) {
        return struct.get(offset$LAYOUT, offset$OFFSET);
    }

    /** Writes {@code offset}. */
    public static void offset(MemorySegment struct, int fieldValue) {
        struct.set(offset$LAYOUT, offset$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfInt resv$LAYOUT = (ValueLayout.OfInt) $LAYOUT.select(groupElement("resv"));
    private static final long resv$OFFSET = $LAYOUT.byteOffset(groupElement("resv"));

    /** Layout of {@code resv}. */
    public static ValueLayout.OfInt resv$layout() {
        return resv$LAYOUT;
    }

    /** Offset of {@code resv}. */
    public static long resv$offset() {
        return resv$OFFSET;
    }

    /** Reads {@code resv}. */
    public static int resv(MemorySegment struct) {
        return struct.get(resv$LAYOUT, resv$OFFSET);
    }

    /** Writes {@code resv}. */
    public static void resv(MemorySegment struct, int fieldValue) {
        struct.set(resv$LAYOUT, resv$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfLong data$LAYOUT = (ValueLayout.OfLong) $LAYOUT.select(groupElement("data"));
    private static final long data$OFFSET = $LAYOUT.byteOffset(groupElement("data"));

    /** Layout of {@code data}. */
    public static ValueLayout.OfLong data$layout() {
        return data$LAYOUT;
    }

    /** Offset of {@code data}. */
    public static long data$offset() {
        return data$OFFSET;
    }

    /** Reads {@code data}. */
    public static long data(MemorySegment struct) {
        return struct.get(data$LAYOUT, data$OFFSET);
    }

    /** Writes {@code data}. */
    public static void data(MemorySegment struct, long fieldValue) {
        struct.set(data$LAYOUT, data$OFFSET, fieldValue);
    }

}
