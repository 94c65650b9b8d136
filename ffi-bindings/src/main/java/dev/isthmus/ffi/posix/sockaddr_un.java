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
 * struct sockaddr_un {
 *     sa_family_t sun_family; // AF_UNIX
 *     char sun_path[108];
 * };
 * }
 *
 * <p>A Unix domain socket address: a path of at most 107 bytes plus its NUL. See unix(7).
 */
@CStruct(value = "struct sockaddr_un", includes = {"sys/un.h"})
public final class sockaddr_un {
    private sockaddr_un() {
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
            C_SHORT.withName("sun_family"),
            MemoryLayout.sequenceLayout(108, C_CHAR).withName("sun_path")).withName("sockaddr_un");

    /** The layout, member names as in C. */
    public static GroupLayout layout() {
        return $LAYOUT;
    }

    /** {@code sizeof(struct sockaddr_un)}. */
    public static long sizeof() {
        return $LAYOUT.byteSize();
    }

    /** Allocates one zeroed {@code struct sockaddr_un}. */
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

    private static final ValueLayout.OfShort sun_family$LAYOUT = (ValueLayout.OfShort) $LAYOUT.select(MemoryLayout.PathElement.groupElement("sun_family"));
    /** Offset of {@code sun_family}. */
    public static final long sun_family$OFFSET = $LAYOUT.byteOffset(MemoryLayout.PathElement.groupElement("sun_family"));

    /** Reads {@code sun_family}. */
    public static short sun_family(MemorySegment struct) {
        return struct.get(sun_family$LAYOUT, sun_family$OFFSET);
    }

    /** Writes {@code sun_family}. */
    public static void sun_family(MemorySegment struct, short fieldValue) {
        struct.set(sun_family$LAYOUT, sun_family$OFFSET, fieldValue);
    }

    private static final long sun_path$SIZE = $LAYOUT.select(MemoryLayout.PathElement.groupElement("sun_path")).byteSize();
    /** Offset of {@code sun_path}. */
    public static final long sun_path$OFFSET = $LAYOUT.byteOffset(MemoryLayout.PathElement.groupElement("sun_path"));

    /** A view of the 108-byte array {@code sun_path}. */
    public static MemorySegment sun_path(MemorySegment struct) {
        return struct.asSlice(sun_path$OFFSET, sun_path$SIZE);
    }

    /** Copies {@code fieldValue} into {@code sun_path}. */
    public static void sun_path(MemorySegment struct, MemorySegment fieldValue) {
        MemorySegment.copy(fieldValue, 0L, struct, sun_path$OFFSET, sun_path$SIZE);
    }
}
