package dev.isthmus.ffi.posix;

import dev.isthmus.ffi.CStruct;

import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.ValueLayout;

import static dev.isthmus.ffi.posix.CTypes.C_INT;
import static dev.isthmus.ffi.posix.CTypes.C_SHORT;

/**
 * {@snippet lang=c :
 * struct pollfd {
 *     int   fd;      // file descriptor
 *     short events;  // requested events
 *     short revents; // returned events
 * };
 * }
 *
 * <p>One entry of the array poll(2) takes.
 */
@CStruct(value = "struct pollfd", includes = {"poll.h"})
public final class pollfd {
    private pollfd() {
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
            C_INT.withName("fd"),
            C_SHORT.withName("events"),
            C_SHORT.withName("revents")).withName("pollfd");

    /** The layout, member names as in C. */
    public static GroupLayout layout() {
        return $LAYOUT;
    }

    /** {@code sizeof(struct pollfd)}. */
    public static long sizeof() {
        return $LAYOUT.byteSize();
    }

    /** Allocates one zeroed {@code struct pollfd}. */
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

    private static final ValueLayout.OfInt fd$LAYOUT = (ValueLayout.OfInt) $LAYOUT.select(MemoryLayout.PathElement.groupElement("fd"));
    /** Offset of {@code fd}. */
    public static final long fd$OFFSET = $LAYOUT.byteOffset(MemoryLayout.PathElement.groupElement("fd"));

    /** Reads {@code fd}. */
    public static int fd(MemorySegment struct) {
        return struct.get(fd$LAYOUT, fd$OFFSET);
    }

    /** Writes {@code fd}. */
    public static void fd(MemorySegment struct, int fieldValue) {
        struct.set(fd$LAYOUT, fd$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfShort events$LAYOUT = (ValueLayout.OfShort) $LAYOUT.select(MemoryLayout.PathElement.groupElement("events"));
    /** Offset of {@code events}. */
    public static final long events$OFFSET = $LAYOUT.byteOffset(MemoryLayout.PathElement.groupElement("events"));

    /** Reads {@code events}. */
    public static short events(MemorySegment struct) {
        return struct.get(events$LAYOUT, events$OFFSET);
    }

    /** Writes {@code events}. */
    public static void events(MemorySegment struct, short fieldValue) {
        struct.set(events$LAYOUT, events$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfShort revents$LAYOUT = (ValueLayout.OfShort) $LAYOUT.select(MemoryLayout.PathElement.groupElement("revents"));
    /** Offset of {@code revents}. */
    public static final long revents$OFFSET = $LAYOUT.byteOffset(MemoryLayout.PathElement.groupElement("revents"));

    /** Reads {@code revents}. */
    public static short revents(MemorySegment struct) {
        return struct.get(revents$LAYOUT, revents$OFFSET);
    }

    /** Writes {@code revents}. */
    public static void revents(MemorySegment struct, short fieldValue) {
        struct.set(revents$LAYOUT, revents$OFFSET, fieldValue);
    }
}
