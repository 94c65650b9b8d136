package dev.isthmus.ffi.posix;

import dev.isthmus.ffi.CStruct;

import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;


/**
 * {@snippet lang=c :
 * struct itimerspec {
 *     struct timespec it_interval;
 *     struct timespec it_value;
 * };
 * }
 *
 * <p>A timer setting: first expiry and period (zero period: one shot). See timerfd_create(2).
 */
@CStruct(value = "struct itimerspec", includes = {"time.h"})
public final class itimerspec {
    private itimerspec() {
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
            timespec.layout().withName("it_interval"),
            timespec.layout().withName("it_value")).withName("itimerspec");

    /** The layout, member names as in C. */
    public static GroupLayout layout() {
        return $LAYOUT;
    }

    /** {@code sizeof(struct itimerspec)}. */
    public static long sizeof() {
        return $LAYOUT.byteSize();
    }

    /** Allocates one zeroed {@code struct itimerspec}. */
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

    private static final long it_interval$SIZE = $LAYOUT.select(MemoryLayout.PathElement.groupElement("it_interval")).byteSize();
    /** Offset of {@code it_interval}. */
    public static final long it_interval$OFFSET = $LAYOUT.byteOffset(MemoryLayout.PathElement.groupElement("it_interval"));

    /** A view of the nested {@link timespec} {@code it_interval}. */
    public static MemorySegment it_interval(MemorySegment struct) {
        return struct.asSlice(it_interval$OFFSET, it_interval$SIZE);
    }

    /** Copies {@code fieldValue} into {@code it_interval}. */
    public static void it_interval(MemorySegment struct, MemorySegment fieldValue) {
        MemorySegment.copy(fieldValue, 0L, struct, it_interval$OFFSET, it_interval$SIZE);
    }

    private static final long it_value$SIZE = $LAYOUT.select(MemoryLayout.PathElement.groupElement("it_value")).byteSize();
    /** Offset of {@code it_value}. */
    public static final long it_value$OFFSET = $LAYOUT.byteOffset(MemoryLayout.PathElement.groupElement("it_value"));

    /** A view of the nested {@link timespec} {@code it_value}. */
    public static MemorySegment it_value(MemorySegment struct) {
        return struct.asSlice(it_value$OFFSET, it_value$SIZE);
    }

    /** Copies {@code fieldValue} into {@code it_value}. */
    public static void it_value(MemorySegment struct, MemorySegment fieldValue) {
        MemorySegment.copy(fieldValue, 0L, struct, it_value$OFFSET, it_value$SIZE);
    }
}
