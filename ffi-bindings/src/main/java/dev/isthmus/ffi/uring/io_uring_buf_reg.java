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
 * Argument of IORING_REGISTER_PBUF_RING / IORING_UNREGISTER_PBUF_RING (nr_args 1). {@code pad} is
 * {@code flags} on 6.4+ kernels (IOU_PBUF_RING_MMAP).
 *
 * <pre>{@code
 * struct io_uring_buf_reg { __u64 ring_addr; __u32 ring_entries; __u16 bgid; __u16 pad; __u64 resv[3]; };
 * }</pre>
 */
@CStruct(value = "struct io_uring_buf_reg", includes = {"linux/io_uring.h"})
public final class io_uring_buf_reg {
    private io_uring_buf_reg() {
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
            ValueLayout.JAVA_LONG.withName("ring_addr"),
            ValueLayout.JAVA_INT.withName("ring_entries"),
            ValueLayout.JAVA_SHORT.withName("bgid"),
            ValueLayout.JAVA_SHORT.withName("pad"),
            MemoryLayout.sequenceLayout(3, ValueLayout.JAVA_LONG).withName("resv")
    ).withName("io_uring_buf_reg");

    /** The layout of {@code struct io_uring_buf_reg}. */
    public static GroupLayout layout() {
        return $LAYOUT;
    }

    /** {@code sizeof(struct io_uring_buf_reg)}. */
    public static long sizeof() {
        return $LAYOUT.byteSize();
    }

    /** Allocates one zeroed {@code struct io_uring_buf_reg}. */
    public static MemorySegment allocate(SegmentAllocator allocator) {
        return allocator.allocate($LAYOUT);
    }

    private static final ValueLayout.OfLong ring_addr$LAYOUT = (ValueLayout.OfLong) $LAYOUT.select(groupElement("ring_addr"));
    private static final long ring_addr$OFFSET = $LAYOUT.byteOffset(groupElement("ring_addr"));

    /** Layout of {@code ring_addr}. */
    public static ValueLayout.OfLong ring_addr$layout() {
        return ring_addr$LAYOUT;
    }

    /** Offset of {@code ring_addr}. */
    public static long ring_addr$offset() {
        return ring_addr$OFFSET;
    }

    /** Reads {@code ring_addr}. */
    public static long ring_addr(MemorySegment struct) {
        return struct.get(ring_addr$LAYOUT, ring_addr$OFFSET);
    }

    /** Writes {@code ring_addr}. */
    public static void ring_addr(MemorySegment struct, long fieldValue) {
        struct.set(ring_addr$LAYOUT, ring_addr$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfInt ring_entries$LAYOUT = (ValueLayout.OfInt) $LAYOUT.select(groupElement("ring_entries"));
    private static final long ring_entries$OFFSET = $LAYOUT.byteOffset(groupElement("ring_entries"));

    /** Layout of {@code ring_entries}. */
    public static ValueLayout.OfInt ring_entries$layout() {
        return ring_entries$LAYOUT;
    }

    /** Offset of {@code ring_entries}. */
    public static long ring_entries$offset() {
        return ring_entries$OFFSET;
    }

    /** Reads {@code ring_entries}. */
    public static int ring_entries(MemorySegment struct) {
        return struct.get(ring_entries$LAYOUT, ring_entries$OFFSET);
    }

    /** Writes {@code ring_entries}. */
    public static void ring_entries(MemorySegment struct, int fieldValue) {
        struct.set(ring_entries$LAYOUT, ring_entries$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfShort bgid$LAYOUT = (ValueLayout.OfShort) $LAYOUT.select(groupElement("bgid"));
    private static final long bgid$OFFSET = $LAYOUT.byteOffset(groupElement("bgid"));

    /** Layout of {@code bgid}. */
    public static ValueLayout.OfShort bgid$layout() {
        return bgid$LAYOUT;
    }

    /** Offset of {@code bgid}. */
    public static long bgid$offset() {
        return bgid$OFFSET;
    }

    /** Reads {@code bgid}. */
    public static short bgid(MemorySegment struct) {
        return struct.get(bgid$LAYOUT, bgid$OFFSET);
    }

    /** Writes {@code bgid}. */
    public static void bgid(MemorySegment struct, short fieldValue) {
        struct.set(bgid$LAYOUT, bgid$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfShort pad$LAYOUT = (ValueLayout.OfShort) $LAYOUT.select(groupElement("pad"));
    private static final long pad$OFFSET = $LAYOUT.byteOffset(groupElement("pad"));

    /** Layout of {@code pad}. */
    public static ValueLayout.OfShort pad$layout() {
        return pad$LAYOUT;
    }

    /** Offset of {@code pad}. */
    public static long pad$offset() {
        return pad$OFFSET;
    }

    /** Reads {@code pad}. */
    public static short pad(MemorySegment struct) {
        return struct.get(pad$LAYOUT, pad$OFFSET);
    }

    /** Writes {@code pad}. */
    public static void pad(MemorySegment struct, short fieldValue) {
        struct.set(pad$LAYOUT, pad$OFFSET, fieldValue);
    }

    private static final long resv$OFFSET = $LAYOUT.byteOffset(groupElement("resv"));

    /** Offset of {@code resv}. */
    public static long resv$offset() {
        return resv$OFFSET;
    }

    /** The array {@code resv} as a slice of {@code struct}. */
    public static MemorySegment resv(MemorySegment struct) {
        return struct.asSlice(resv$OFFSET, 3L * ValueLayout.JAVA_LONG.byteSize());
    }

    /** Reads {@code resv[index]}. */
    public static long resv(MemorySegment struct, long index) {
        return struct.get(ValueLayout.JAVA_LONG, resv$OFFSET + java.util.Objects.checkIndex(index, 3L) * ValueLayout.JAVA_LONG.byteSize());
    }

    /** Writes {@code resv[index]}. */
    public static void resv(MemorySegment struct, long index, long fieldValue) {
        struct.set(ValueLayout.JAVA_LONG, resv$OFFSET + java.util.Objects.checkIndex(index, 3L) * ValueLayout.JAVA_LONG.byteSize(), fieldValue);
    }

}
