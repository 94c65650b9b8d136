package dev.isthmus.ffi.posix;

import dev.isthmus.ffi.CStruct;

import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.ValueLayout;

import static dev.isthmus.ffi.posix.CTypes.C_INT;

/**
 * {@snippet lang=c :
 * struct linger {
 *     int l_onoff;
 *     int l_linger; // seconds
 * };
 * }
 *
 * <p>The SO_LINGER option value. See socket(7).
 */
@CStruct(value = "struct linger", includes = {"sys/socket.h"})
public final class linger {
    private linger() {
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
            C_INT.withName("l_onoff"),
            C_INT.withName("l_linger")).withName("linger");

    /** The layout, member names as in C. */
    public static GroupLayout layout() {
        return $LAYOUT;
    }

    /** {@code sizeof(struct linger)}. */
    public static long sizeof() {
        return $LAYOUT.byteSize();
    }

    /** Allocates one zeroed {@code struct linger}. */
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

    private static final ValueLayout.OfInt l_onoff$LAYOUT = (ValueLayout.OfInt) $LAYOUT.select(MemoryLayout.PathElement.groupElement("l_onoff"));
    /** Offset of {@code l_onoff}. */
    public static final long l_onoff$OFFSET = $LAYOUT.byteOffset(MemoryLayout.PathElement.groupElement("l_onoff"));

    /** Reads {@code l_onoff}. */
    public static int l_onoff(MemorySegment struct) {
        return struct.get(l_onoff$LAYOUT, l_onoff$OFFSET);
    }

    /** Writes {@code l_onoff}. */
    public static void l_onoff(MemorySegment struct, int fieldValue) {
        struct.set(l_onoff$LAYOUT, l_onoff$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfInt l_linger$LAYOUT = (ValueLayout.OfInt) $LAYOUT.select(MemoryLayout.PathElement.groupElement("l_linger"));
    /** Offset of {@code l_linger}. */
    public static final long l_linger$OFFSET = $LAYOUT.byteOffset(MemoryLayout.PathElement.groupElement("l_linger"));

    /** Reads {@code l_linger}. */
    public static int l_linger(MemorySegment struct) {
        return struct.get(l_linger$LAYOUT, l_linger$OFFSET);
    }

    /** Writes {@code l_linger}. */
    public static void l_linger(MemorySegment struct, int fieldValue) {
        struct.set(l_linger$LAYOUT, l_linger$OFFSET, fieldValue);
    }
}
