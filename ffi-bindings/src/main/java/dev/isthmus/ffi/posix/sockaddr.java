package dev.isthmus.ffi.posix;

import dev.isthmus.ffi.CStruct;

import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.ValueLayout;

import static dev.isthmus.ffi.posix.CTypes.C_CHAR;
import static dev.isthmus.ffi.posix.CTypes.C_SHORT;

/**
 * {@snippet lang=c :
 * struct sockaddr {
 *     sa_family_t sa_family;
 *     char sa_data[14];
 * };
 * }
 *
 * <p>The generic address the socket calls take a pointer to. See socket(2), bind(2).
 */
@CStruct(value = "struct sockaddr", includes = {"sys/socket.h"})
public final class sockaddr {
    private sockaddr() {
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
            C_SHORT.withName("sa_family"),
            MemoryLayout.sequenceLayout(14, C_CHAR).withName("sa_data")).withName("sockaddr");

    /** The layout, member names as in C. */
    public static GroupLayout layout() {
        return $LAYOUT;
    }

    /** {@code sizeof(struct sockaddr)}. */
    public static long sizeof() {
        return $LAYOUT.byteSize();
    }

    /** Allocates one zeroed {@code struct sockaddr}. */
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

    private static final ValueLayout.OfShort sa_family$LAYOUT = (ValueLayout.OfShort) $LAYOUT.select(MemoryLayout.PathElement.groupElement("sa_family"));
    /** Offset of {@code sa_family}. */
    public static final long sa_family$OFFSET = $LAYOUT.byteOffset(MemoryLayout.PathElement.groupElement("sa_family"));

    /** Reads {@code sa_family}. */
    public static short sa_family(MemorySegment struct) {
        return struct.get(sa_family$LAYOUT, sa_family$OFFSET);
    }

    /** Writes {@code sa_family}. */
    public static void sa_family(MemorySegment struct, short fieldValue) {
        struct.set(sa_family$LAYOUT, sa_family$OFFSET, fieldValue);
    }

    private static final long sa_data$SIZE = $LAYOUT.select(MemoryLayout.PathElement.groupElement("sa_data")).byteSize();
    /** Offset of {@code sa_data}. */
    public static final long sa_data$OFFSET = $LAYOUT.byteOffset(MemoryLayout.PathElement.groupElement("sa_data"));

    /** A view of the 14-byte array {@code sa_data}. */
    public static MemorySegment sa_data(MemorySegment struct) {
        return struct.asSlice(sa_data$OFFSET, sa_data$SIZE);
    }

    /** Copies {@code fieldValue} into {@code sa_data}. */
    public static void sa_data(MemorySegment struct, MemorySegment fieldValue) {
        MemorySegment.copy(fieldValue, 0L, struct, sa_data$OFFSET, sa_data$SIZE);
    }
}
