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
 * One entry of a provided-buffer ring. In entry 0, {@code resv} is the ring's tail
 * (see {@link io_uring_buf_ring}).
 *
 * <pre>{@code
 * struct io_uring_buf { __u64 addr; __u32 len; __u16 bid; __u16 resv; };
 * }</pre>
 */
@CStruct(value = "struct io_uring_buf", includes = {"linux/io_uring.h"})
public final class io_uring_buf {
    private io_uring_buf() {
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
            ValueLayout.JAVA_LONG.withName("addr"),
            ValueLayout.JAVA_INT.withName("len"),
            ValueLayout.JAVA_SHORT.withName("bid"),
            ValueLayout.JAVA_SHORT.withName("resv")
    ).withName("io_uring_buf");

    /** The layout of {@code struct io_uring_buf}. */
    public static GroupLayout layout() {
        return $LAYOUT;
    }

    /** {@code sizeof(struct io_uring_buf)}. */
    public static long sizeof() {
        return $LAYOUT.byteSize();
    }

    /** Allocates one zeroed {@code struct io_uring_buf}. */
    public static MemorySegment allocate(SegmentAllocator allocator) {
        return allocator.allocate($LAYOUT);
    }

    private static final ValueLayout.OfLong addr$LAYOUT = (ValueLayout.OfLong) $LAYOUT.select(groupElement("addr"));
    private static final long addr$OFFSET = $LAYOUT.byteOffset(groupElement("addr"));

    /** Layout of {@code addr}. */
    public static ValueLayout.OfLong addr$layout() {
        return addr$LAYOUT;
    }

    /** Offset of {@code addr}. */
    public static long addr$offset() {
        return addr$OFFSET;
    }

    /** Reads {@code addr}. */
    public static long addr(MemorySegment struct) {
        return struct.get(addr$LAYOUT, addr$OFFSET);
    }

    /** Writes {@code addr}. */
    public static void addr(MemorySegment struct, long fieldValue) {
        struct.set(addr$LAYOUT, addr$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfInt len$LAYOUT = (ValueLayout.OfInt) $LAYOUT.select(groupElement("len"));
    private static final long len$OFFSET = $LAYOUT.byteOffset(groupElement("len"));

    /** Layout of {@code len}. */
    public static ValueLayout.OfInt len$layout() {
        return len$LAYOUT;
    }

    /** Offset of {@code len}. */
    public static long len$offset() {
        return len$OFFSET;
    }

    /** Reads {@code len}. */
    public static int len(MemorySegment struct) {
        return struct.get(len$LAYOUT, len$OFFSET);
    }

    /** Writes {@code len}. */
    public static void len(MemorySegment struct, int fieldValue) {
        struct.set(len$LAYOUT, len$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfShort bid$LAYOUT = (ValueLayout.OfShort) $LAYOUT.select(groupElement("bid"));
    private static final long bid$OFFSET = $LAYOUT.byteOffset(groupElement("bid"));

    /** Layout of {@code bid}. */
    public static ValueLayout.OfShort bid$layout() {
        return bid$LAYOUT;
    }

    /** Offset of {@code bid}. */
    public static long bid$offset() {
        return bid$OFFSET;
    }

    /** Reads {@code bid}. */
    public static short bid(MemorySegment struct) {
        return struct.get(bid$LAYOUT, bid$OFFSET);
    }

    /** Writes {@code bid}. */
    public static void bid(MemorySegment struct, short fieldValue) {
        struct.set(bid$LAYOUT, bid$OFFSET, fieldValue);
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

}
