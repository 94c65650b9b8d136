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
 * Offsets into the CQ ring mapping, filled in by io_uring_setup(2) ({@link io_uring_params#cq_off}).
 *
 * <pre>{@code
 * struct io_cqring_offsets {
 *     __u32 head, tail, ring_mask, ring_entries, overflow, cqes, flags, resv1;
 *     __u64 resv2;   // user_addr since Linux 6.5
 * };
 * }</pre>
 */
@CStruct(value = "struct io_cqring_offsets", includes = {"linux/io_uring.h"})
public final class io_cqring_offsets {
    private io_cqring_offsets() {
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
            ValueLayout.JAVA_INT.withName("head"),
            ValueLayout.JAVA_INT.withName("tail"),
            ValueLayout.JAVA_INT.withName("ring_mask"),
            ValueLayout.JAVA_INT.withName("ring_entries"),
            ValueLayout.JAVA_INT.withName("overflow"),
            ValueLayout.JAVA_INT.withName("cqes"),
            ValueLayout.JAVA_INT.withName("flags"),
            ValueLayout.JAVA_INT.withName("resv1"),
            ValueLayout.JAVA_LONG.withName("resv2")
    ).withName("io_cqring_offsets");

    /** The layout of {@code struct io_cqring_offsets}. */
    public static GroupLayout layout() {
        return $LAYOUT;
    }

    /** {@code sizeof(struct io_cqring_offsets)}. */
    public static long sizeof() {
        return $LAYOUT.byteSize();
    }

    /** Allocates one zeroed {@code struct io_cqring_offsets}. */
    public static MemorySegment allocate(SegmentAllocator allocator) {
        return allocator.allocate($LAYOUT);
    }

    private static final ValueLayout.OfInt head$LAYOUT = (ValueLayout.OfInt) $LAYOUT.select(groupElement("head"));
    private static final long head$OFFSET = $LAYOUT.byteOffset(groupElement("head"));

    /** Layout of {@code head}. */
    public static ValueLayout.OfInt head$layout() {
        return head$LAYOUT;
    }

    /** Offset of {@code head}. */
    public static long head$offset() {
        return head$OFFSET;
    }

    /** Reads {@code head}. */
    public static int head(MemorySegment struct) {
        return struct.get(head$LAYOUT, head$OFFSET);
    }

    /** Writes {@code head}. */
    public static void head(MemorySegment struct, int fieldValue) {
        struct.set(head$LAYOUT, head$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfInt tail$LAYOUT = (ValueLayout.OfInt) $LAYOUT.select(groupElement("tail"));
    private static final long tail$OFFSET = $LAYOUT.byteOffset(groupElement("tail"));

    /** Layout of {@code tail}. */
    public static ValueLayout.OfInt tail$layout() {
        return tail$LAYOUT;
    }

    /** Offset of {@code tail}. */
    public static long tail$offset() {
        return tail$OFFSET;
    }

    /** Reads {@code tail}. */
    public static int tail(MemorySegment struct) {
        return struct.get(tail$LAYOUT, tail$OFFSET);
    }

    /** Writes {@code tail}. */
    public static void tail(MemorySegment struct, int fieldValue) {
        struct.set(tail$LAYOUT, tail$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfInt ring_mask$LAYOUT = (ValueLayout.OfInt) $LAYOUT.select(groupElement("ring_mask"));
    private static final long ring_mask$OFFSET = $LAYOUT.byteOffset(groupElement("ring_mask"));

    /** Layout of {@code ring_mask}. */
    public static ValueLayout.OfInt ring_mask$layout() {
        return ring_mask$LAYOUT;
    }

    /** Offset of {@code ring_mask}. */
    public static long ring_mask$offset() {
        return ring_mask$OFFSET;
    }

    /** Reads {@code ring_mask}. */
    public static int ring_mask(MemorySegment struct) {
        return struct.get(ring_mask$LAYOUT, ring_mask$OFFSET);
    }

    /** Writes {@code ring_mask}. */
    public static void ring_mask(MemorySegment struct, int fieldValue) {
        struct.set(ring_mask$LAYOUT, ring_mask$OFFSET, fieldValue);
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

    private static final ValueLayout.OfInt overflow$LAYOUT = (ValueLayout.OfInt) $LAYOUT.select(groupElement("overflow"));
    private static final long overflow$OFFSET = $LAYOUT.byteOffset(groupElement("overflow"));

    /** Layout of {@code overflow}. */
    public static ValueLayout.OfInt overflow$layout() {
        return overflow$LAYOUT;
    }

    /** Offset of {@code overflow}. */
    public static long overflow$offset() {
        return overflow$OFFSET;
    }

    /** Reads {@code overflow}. */
    public static int overflow(MemorySegment struct) {
        return struct.get(overflow$LAYOUT, overflow$OFFSET);
    }

    /** Writes {@code overflow}. */
    public static void overflow(MemorySegment struct, int fieldValue) {
        struct.set(overflow$LAYOUT, overflow$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfInt cqes$LAYOUT = (ValueLayout.OfInt) $LAYOUT.select(groupElement("cqes"));
    private static final long cqes$OFFSET = $LAYOUT.byteOffset(groupElement("cqes"));

    /** Layout of {@code cqes}. */
    public static ValueLayout.OfInt cqes$layout() {
        return cqes$LAYOUT;
    }

    /** Offset of {@code cqes}. */
    public static long cqes$offset() {
        return cqes$OFFSET;
    }

    /** Reads {@code cqes}. */
    public static int cqes(MemorySegment struct) {
        return struct.get(cqes$LAYOUT, cqes$OFFSET);
    }

    /** Writes {@code cqes}. */
    public static void cqes(MemorySegment struct, int fieldValue) {
        struct.set(cqes$LAYOUT, cqes$OFFSET, fieldValue);
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

    private static final ValueLayout.OfInt resv1$LAYOUT = (ValueLayout.OfInt) $LAYOUT.select(groupElement("resv1"));
    private static final long resv1$OFFSET = $LAYOUT.byteOffset(groupElement("resv1"));

    /** Layout of {@code resv1}. */
    public static ValueLayout.OfInt resv1$layout() {
        return resv1$LAYOUT;
    }

    /** Offset of {@code resv1}. */
    public static long resv1$offset() {
        return resv1$OFFSET;
    }

    /** Reads {@code resv1}. */
    public static int resv1(MemorySegment struct) {
        return struct.get(resv1$LAYOUT, resv1$OFFSET);
    }

    /** Writes {@code resv1}. */
    public static void resv1(MemorySegment struct, int fieldValue) {
        struct.set(resv1$LAYOUT, resv1$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfLong resv2$LAYOUT = (ValueLayout.OfLong) $LAYOUT.select(groupElement("resv2"));
    private static final long resv2$OFFSET = $LAYOUT.byteOffset(groupElement("resv2"));

    /** Layout of {@code resv2}. */
    public static ValueLayout.OfLong resv2$layout() {
        return resv2$LAYOUT;
    }

    /** Offset of {@code resv2}. */
    public static long resv2$offset() {
        return resv2$OFFSET;
    }

    /** Reads {@code resv2}. */
    public static long resv2(MemorySegment struct) {
        return struct.get(resv2$LAYOUT, resv2$OFFSET);
    }

    /** Writes {@code resv2}. */
    public static void resv2(MemorySegment struct, long fieldValue) {
        struct.set(resv2$LAYOUT, resv2$OFFSET, fieldValue);
    }

}
