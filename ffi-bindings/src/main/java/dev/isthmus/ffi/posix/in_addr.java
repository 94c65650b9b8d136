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
 * struct in_addr {
 *     in_addr_t s_addr; // uint32_t, network byte order
 * };
 * }
 *
 * <p>An IPv4 address, in network byte order. See ip(7).
 */
@CStruct(value = "struct in_addr", includes = {"netinet/in.h"})
public final class in_addr {
    private in_addr() {
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
            C_INT.withName("s_addr")).withName("in_addr");

    /** The layout, member names as in C. */
    public static GroupLayout layout() {
        return $LAYOUT;
    }

    /** {@code sizeof(struct in_addr)}. */
    public static long sizeof() {
        return $LAYOUT.byteSize();
    }

    /** Allocates one zeroed {@code struct in_addr}. */
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

    private static final ValueLayout.OfInt s_addr$LAYOUT = (ValueLayout.OfInt) $LAYOUT.select(MemoryLayout.PathElement.groupElement("s_addr"));
    /** Offset of {@code s_addr}. */
    public static final long s_addr$OFFSET = $LAYOUT.byteOffset(MemoryLayout.PathElement.groupElement("s_addr"));

    /** Reads {@code s_addr} as stored (network byte order). */
    public static int s_addr(MemorySegment struct) {
        return struct.get(s_addr$LAYOUT, s_addr$OFFSET);
    }

    /** Writes {@code s_addr}. */
    public static void s_addr(MemorySegment struct, int fieldValue) {
        struct.set(s_addr$LAYOUT, s_addr$OFFSET, fieldValue);
    }
}
