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
 * One opcode's entry in an {@link io_uring_probe}; {@code flags} has IO_URING_OP_SUPPORTED.
 *
 * <pre>{@code
 * struct io_uring_probe_op { __u8 op; __u8 resv; __u16 flags; __u32 resv2; };
 * }</pre>
 */
@CStruct(value = "struct io_uring_probe_op", includes = {"linux/io_uring.h"})
public final class io_uring_probe_op {
    private io_uring_probe_op() {
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
            ValueLayout.JAVA_BYTE.withName("op"),
            ValueLayout.JAVA_BYTE.withName("resv"),
            ValueLayout.JAVA_SHORT.withName("flags"),
            ValueLayout.JAVA_INT.withName("resv2")
    ).withName("io_uring_probe_op");

    /** The layout of {@code struct io_uring_probe_op}. */
    public static GroupLayout layout() {
        return $LAYOUT;
    }

    /** {@code sizeof(struct io_uring_probe_op)}. */
    public static long sizeof() {
        return $LAYOUT.byteSize();
    }

    /** Allocates one zeroed {@code struct io_uring_probe_op}. */
    public static MemorySegment allocate(SegmentAllocator allocator) {
        return allocator.allocate($LAYOUT);
    }

    private static final ValueLayout.OfByte op$LAYOUT = (ValueLayout.OfByte) $LAYOUT.select(groupElement("op"));
    private static final long op$OFFSET = $LAYOUT.byteOffset(groupElement("op"));

    /** Layout of {@code op}. */
    public static ValueLayout.OfByte op$layout() {
        return op$LAYOUT;
    }

    /** Offset of {@code op}. */
    public static long op$offset() {
        return op$OFFSET;
    }

    /** Reads {@code op}. */
    public static byte op(MemorySegment struct) {
        return struct.get(op$LAYOUT, op$OFFSET);
    }

    /** Writes {@code op}. */
    public static void op(MemorySegment struct, byte fieldValue) {
        struct.set(op$LAYOUT, op$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfByte resv$LAYOUT = (ValueLayout.OfByte) $LAYOUT.select(groupElement("resv"));
    private static final long resv$OFFSET = $LAYOUT.byteOffset(groupElement("resv"));

    /** Layout of {@code resv}. */
    public static ValueLayout.OfByte resv$layout() {
        return resv$LAYOUT;
    }

    /** Offset of {@code resv}. */
    public static long resv$offset() {
        return resv$OFFSET;
    }

    /** Reads {@code resv}. */
    public static byte resv(MemorySegment struct) {
        return struct.get(resv$LAYOUT, resv$OFFSET);
    }

    /** Writes {@code resv}. */
    public static void resv(MemorySegment struct, byte fieldValue) {
        struct.set(resv$LAYOUT, resv$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfShort flags$LAYOUT = (ValueLayout.OfShort) $LAYOUT.select(groupElement("flags"));
    private static final long flags$OFFSET = $LAYOUT.byteOffset(groupElement("flags"));

    /** Layout of {@code flags}. */
    public static ValueLayout.OfShort flags$layout() {
        return flags$LAYOUT;
    }

    /** Offset of {@code flags}. */
    public static long flags$offset() {
        return flags$OFFSET;
    }

    /** Reads {@code flags}. */
    public static short flags(MemorySegment struct) {
        return struct.get(flags$LAYOUT, flags$OFFSET);
    }

    /** Writes {@code flags}. */
    public static void flags(MemorySegment struct, short fieldValue) {
        struct.set(flags$LAYOUT, flags$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfInt resv2$LAYOUT = (ValueLayout.OfInt) $LAYOUT.select(groupElement("resv2"));
    private static final long resv2$OFFSET = $LAYOUT.byteOffset(groupElement("resv2"));

    /** Layout of {@code resv2}. */
    public static ValueLayout.OfInt resv2$layout() {
        return resv2$LAYOUT;
    }

    /** Offset of {@code resv2}. */
    public static long resv2$offset() {
        return resv2$OFFSET;
    }

    /** Reads {@code resv2}. */
    public static int resv2(MemorySegment struct) {
        return struct.get(resv2$LAYOUT, resv2$OFFSET);
    }

    /** Writes {@code resv2}. */
    public static void resv2(MemorySegment struct, int fieldValue) {
        struct.set(resv2$LAYOUT, resv2$OFFSET, fieldValue);
    }

}
