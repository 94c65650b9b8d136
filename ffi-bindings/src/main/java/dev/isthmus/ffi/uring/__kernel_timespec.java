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
 * The 64-bit timespec of the io_uring ABI (timeouts, io_uring_getevents_arg.ts).
 *
 * <pre>{@code
 * struct __kernel_timespec { __kernel_time64_t tv_sec; long long tv_nsec; };
 * }</pre>
 */
@CStruct(value = "struct __kernel_timespec", includes = {"linux/time_types.h"})
public final class __kernel_timespec {
    private __kernel_timespec() {
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
            ValueLayout.JAVA_LONG.withName("tv_sec"),
            ValueLayout.JAVA_LONG.withName("tv_nsec")
    ).withName("__kernel_timespec");

    /** The layout of {@code struct __kernel_timespec}. */
    public static GroupLayout layout() {
        return $LAYOUT;
    }

    /** {@code sizeof(struct __kernel_timespec)}. */
    public static long sizeof() {
        return $LAYOUT.byteSize();
    }

    /** Allocates one zeroed {@code struct __kernel_timespec}. */
    public static MemorySegment allocate(SegmentAllocator allocator) {
        return allocator.allocate($LAYOUT);
    }

    private static final ValueLayout.OfLong tv_sec$LAYOUT = (ValueLayout.OfLong) $LAYOUT.select(groupElement("tv_sec"));
    private static final long tv_sec$OFFSET = $LAYOUT.byteOffset(groupElement("tv_sec"));

    /** Layout of {@code tv_sec}. */
    public static ValueLayout.OfLong tv_sec$layout() {
        return tv_sec$LAYOUT;
    }

    /** Offset of {@code tv_sec}. */
    public static long tv_sec$offset() {
        return tv_sec$OFFSET;
    }

    /** Reads {@code tv_sec}. */
    public static long tv_sec(MemorySegment struct) {
        return struct.get(tv_sec$LAYOUT, tv_sec$OFFSET);
    }

    /** Writes {@code tv_sec}. */
    public static void tv_sec(MemorySegment struct, long fieldValue) {
        struct.set(tv_sec$LAYOUT, tv_sec$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfLong tv_nsec$LAYOUT = (ValueLayout.OfLong) $LAYOUT.select(groupElement("tv_nsec"));
    private static final long tv_nsec$OFFSET = $LAYOUT.byteOffset(groupElement("tv_nsec"));

    /** Layout of {@code tv_nsec}. */
    public static ValueLayout.OfLong tv_nsec$layout() {
        return tv_nsec$LAYOUT;
    }

    /** Offset of {@code tv_nsec}. */
    public static long tv_nsec$offset() {
        return tv_nsec$OFFSET;
    }

    /** Reads {@code tv_nsec}. */
    public static long tv_nsec(MemorySegment struct) {
        return struct.get(tv_nsec$LAYOUT, tv_nsec$OFFSET);
    }

    /** Writes {@code tv_nsec}. */
    public static void tv_nsec(MemorySegment struct, long fieldValue) {
        struct.set(tv_nsec$LAYOUT, tv_nsec$OFFSET, fieldValue);
    }

}
