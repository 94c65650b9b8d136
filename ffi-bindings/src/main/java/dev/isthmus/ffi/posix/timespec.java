package dev.isthmus.ffi.posix;

import dev.isthmus.ffi.CStruct;

import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.ValueLayout;

import static dev.isthmus.ffi.posix.CTypes.C_LONG;

/**
 * {@snippet lang=c :
 * struct timespec {
 *     time_t tv_sec;
 *     long tv_nsec;
 * };
 * }
 *
 * <p>Seconds and nanoseconds (64-bit {@code time_t} on LP64). See clock_gettime(2).
 */
@CStruct(value = "struct timespec", includes = {"time.h"})
public final class timespec {
    private timespec() {
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
            C_LONG.withName("tv_sec"),
            C_LONG.withName("tv_nsec")).withName("timespec");

    /** The layout, member names as in C. */
    public static GroupLayout layout() {
        return $LAYOUT;
    }

    /** {@code sizeof(struct timespec)}. */
    public static long sizeof() {
        return $LAYOUT.byteSize();
    }

    /** Allocates one zeroed {@code struct timespec}. */
    public static MemorySegment allocate(SegmentAllocator allocator) {
        return allocator.allocate($LAYOUT);
    }

    /** Allocates a zeroed array of {@code count} elements. */
    public static MemorySegment allocateArray(long count, SegmentAllocator allocator) {
        return allocator.allocate(MemoryLayout.sequenceLayout(count, $LAYOUT));
    }

    /** Element {@code index} of an array of these. */
    public static MemorySegment asSlice(MemorySegment array, long index) {
        return array.asSlice($LAYOUT.byteSize() * index, $LAYOUT.byteSize());
    }

    private static final ValueLayout.OfLong tv_sec$LAYOUT = (ValueLayout.OfLong) $LAYOUT.select(MemoryLayout.PathElement.groupElement("tv_sec"));
    /** Offset of {@code tv_sec}. */
    public static final long tv_sec$OFFSET = $LAYOUT.byteOffset(MemoryLayout.PathElement.groupElement("tv_sec"));

    /** Reads {@code tv_sec}. */
    public static long tv_sec(MemorySegment struct) {
        return struct.get(tv_sec$LAYOUT, tv_sec$OFFSET);
    }

    /** Writes {@code tv_sec}. */
    public static void tv_sec(MemorySegment struct, long fieldValue) {
        struct.set(tv_sec$LAYOUT, tv_sec$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfLong tv_nsec$LAYOUT = (ValueLayout.OfLong) $LAYOUT.select(MemoryLayout.PathElement.groupElement("tv_nsec"));
    /** Offset of {@code tv_nsec}. */
    public static final long tv_nsec$OFFSET = $LAYOUT.byteOffset(MemoryLayout.PathElement.groupElement("tv_nsec"));

    /** Reads {@code tv_nsec}. */
    public static long tv_nsec(MemorySegment struct) {
        return struct.get(tv_nsec$LAYOUT, tv_nsec$OFFSET);
    }

    /** Writes {@code tv_nsec}. */
    public static void tv_nsec(MemorySegment struct, long fieldValue) {
        struct.set(tv_nsec$LAYOUT, tv_nsec$OFFSET, fieldValue);
    }
}
