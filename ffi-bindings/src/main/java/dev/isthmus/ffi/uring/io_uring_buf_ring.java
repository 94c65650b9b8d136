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
 * The header overlay of a provided-buffer ring: the ring is an array of {@link io_uring_buf}, and the
 * tail the application publishes (with a release store, {@link Barriers#store_release}) overlays
 * entry 0's {@code resv}. Entry {@code i} is at {@code i * io_uring_buf.sizeof()}.
 *
 * <pre>{@code
 * struct io_uring_buf_ring {
 *     union {
 *         struct { __u64 resv1; __u32 resv2; __u16 resv3; __u16 tail; };
 *         __DECLARE_FLEX_ARRAY(struct io_uring_buf, bufs);
 *     };
 * };
 * }</pre>
 */
@CStruct(value = "struct io_uring_buf_ring", includes = {"linux/io_uring.h"})
public final class io_uring_buf_ring {
    private io_uring_buf_ring() {
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
            MemoryLayout.unionLayout(
                MemoryLayout.structLayout(
                    ValueLayout.JAVA_LONG.withName("resv1"),
                    ValueLayout.JAVA_INT.withName("resv2"),
                    ValueLayout.JAVA_SHORT.withName("resv3"),
                    ValueLayout.JAVA_SHORT.withName("tail")
                ).withName("$anon1")
            ).withName("$anon0")
    ).withName("io_uring_buf_ring");

    /** The layout of {@code struct io_uring_buf_ring}. */
    public static GroupLayout layout() {
        return $LAYOUT;
    }

    /** {@code sizeof(struct io_uring_buf_ring)}. */
    public static long sizeof() {
        return $LAYOUT.byteSize();
    }

    /** Allocates one zeroed {@code struct io_uring_buf_ring}. */
    public static MemorySegment allocate(SegmentAllocator allocator) {
        return allocator.allocate($LAYOUT);
    }

    private static final ValueLayout.OfLong resv1$LAYOUT = (ValueLayout.OfLong) $LAYOUT.select(groupElement("$anon0"), groupElement("$anon1"), groupElement("resv1"));
    private static final long resv1$OFFSET = $LAYOUT.byteOffset(groupElement("$anon0"), groupElement("$anon1"), groupElement("resv1"));

    /** Layout of {@code resv1}. */
    public static ValueLayout.OfLong resv1$layout() {
        return resv1$LAYOUT;
    }

    /** Offset of {@code resv1}. */
    public static long resv1$offset() {
        return resv1$OFFSET;
    }

    /** Reads {@code resv1}. */
    public static long resv1(MemorySegment struct) {
        return struct.get(resv1$LAYOUT, resv1$OFFSET);
    }

    /** Writes {@code resv1}. */
    public static void resv1(MemorySegment struct, long fieldValue) {
        struct.set(resv1$LAYOUT, resv1$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfInt resv2$LAYOUT = (ValueLayout.OfInt) $LAYOUT.select(groupElement("$anon0"), groupElement("$anon1"), groupElement("resv2"));
    private static final long resv2$OFFSET = $LAYOUT.byteOffset(groupElement("$anon0"), groupElement("$anon1"), groupElement("resv2"));

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

    private static final ValueLayout.OfShort resv3$LAYOUT = (ValueLayout.OfShort) $LAYOUT.select(groupElement("$anon0"), groupElement("$anon1"), groupElement("resv3"));
    private static final long resv3$OFFSET = $LAYOUT.byteOffset(groupElement("$anon0"), groupElement("$anon1"), groupElement("resv3"));

    /** Layout of {@code resv3}. */
    public static ValueLayout.OfShort resv3$layout() {
        return resv3$LAYOUT;
    }

    /** Offset of {@code resv3}. */
    public static long resv3$offset() {
        return resv3$OFFSET;
    }

    /** Reads {@code resv3}. */
    public static short resv3(MemorySegment struct) {
        return struct.get(resv3$LAYOUT, resv3$OFFSET);
    }

    /** Writes {@code resv3}. */
    public static void resv3(MemorySegment struct, short fieldValue) {
        struct.set(resv3$LAYOUT, resv3$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfShort tail$LAYOUT = (ValueLayout.OfShort) $LAYOUT.select(groupElement("$anon0"), groupElement("$anon1"), groupElement("tail"));
    private static final long tail$OFFSET = $LAYOUT.byteOffset(groupElement("$anon0"), groupElement("$anon1"), groupElement("tail"));

    /** Layout of {@code tail}. */
    public static ValueLayout.OfShort tail$layout() {
        return tail$LAYOUT;
    }

    /** Offset of {@code tail}. */
    public static long tail$offset() {
        return tail$OFFSET;
    }

    /** Reads {@code tail}. */
    public static short tail(MemorySegment struct) {
        return struct.get(tail$LAYOUT, tail$OFFSET);
    }

    /** Writes {@code tail}. */
    public static void tail(MemorySegment struct, short fieldValue) {
        struct.set(tail$LAYOUT, tail$OFFSET, fieldValue);
    }

}
