package dev.isthmus.ffi.posix;

import dev.isthmus.ffi.CStruct;
import dev.isthmus.ffi.JavaOnly;

import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.ValueLayout;

import static dev.isthmus.ffi.posix.CTypes.C_INT;
import static dev.isthmus.ffi.posix.CTypes.C_LONG;

/**
 * {@snippet lang=c :
 * struct cmsghdr {
 *     size_t cmsg_len; // header plus data, unpadded
 *     int cmsg_level;
 *     int cmsg_type;
 *     unsigned char __cmsg_data[]; // flexible array: CMSG_DATA
 * };
 * }
 *
 * <p>The header of one ancillary data item in {@code msg_control}; the data follows at {@link #CMSG_DATA_OFFSET}. See cmsg(3).
 */
@CStruct(value = "struct cmsghdr", includes = {"sys/socket.h"})
public final class cmsghdr {
    private cmsghdr() {
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
            C_LONG.withName("cmsg_len"),
            C_INT.withName("cmsg_level"),
            C_INT.withName("cmsg_type")).withName("cmsghdr");

    /** The layout, member names as in C. */
    public static GroupLayout layout() {
        return $LAYOUT;
    }

    /** {@code sizeof(struct cmsghdr)}. */
    public static long sizeof() {
        return $LAYOUT.byteSize();
    }

    /** Allocates one zeroed {@code struct cmsghdr}. */
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

    private static final ValueLayout.OfLong cmsg_len$LAYOUT = (ValueLayout.OfLong) $LAYOUT.select(MemoryLayout.PathElement.groupElement("cmsg_len"));
    /** Offset of {@code cmsg_len}. */
    public static final long cmsg_len$OFFSET = $LAYOUT.byteOffset(MemoryLayout.PathElement.groupElement("cmsg_len"));

    /** Reads {@code cmsg_len}. */
    public static long cmsg_len(MemorySegment struct) {
        return struct.get(cmsg_len$LAYOUT, cmsg_len$OFFSET);
    }

    /** Writes {@code cmsg_len}. */
    public static void cmsg_len(MemorySegment struct, long fieldValue) {
        struct.set(cmsg_len$LAYOUT, cmsg_len$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfInt cmsg_level$LAYOUT = (ValueLayout.OfInt) $LAYOUT.select(MemoryLayout.PathElement.groupElement("cmsg_level"));
    /** Offset of {@code cmsg_level}. */
    public static final long cmsg_level$OFFSET = $LAYOUT.byteOffset(MemoryLayout.PathElement.groupElement("cmsg_level"));

    /** Reads {@code cmsg_level}. */
    public static int cmsg_level(MemorySegment struct) {
        return struct.get(cmsg_level$LAYOUT, cmsg_level$OFFSET);
    }

    /** Writes {@code cmsg_level}. */
    public static void cmsg_level(MemorySegment struct, int fieldValue) {
        struct.set(cmsg_level$LAYOUT, cmsg_level$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfInt cmsg_type$LAYOUT = (ValueLayout.OfInt) $LAYOUT.select(MemoryLayout.PathElement.groupElement("cmsg_type"));
    /** Offset of {@code cmsg_type}. */
    public static final long cmsg_type$OFFSET = $LAYOUT.byteOffset(MemoryLayout.PathElement.groupElement("cmsg_type"));

    /** Reads {@code cmsg_type}. */
    public static int cmsg_type(MemorySegment struct) {
        return struct.get(cmsg_type$LAYOUT, cmsg_type$OFFSET);
    }

    /** Writes {@code cmsg_type}. */
    public static void cmsg_type(MemorySegment struct, int fieldValue) {
        struct.set(cmsg_type$LAYOUT, cmsg_type$OFFSET, fieldValue);
    }

    /** Where the data of an item starts: {@code CMSG_DATA(cmsg) - (unsigned char *) cmsg}. */
    @JavaOnly
    public static final long CMSG_DATA_OFFSET = 16;

    /** {@code CMSG_ALIGN(len)}: rounds up to {@code sizeof(size_t)}. */
    public static long CMSG_ALIGN(long len) {
        return (len + 7) & ~7L;
    }

    /** {@code CMSG_SPACE(len)}: the bytes one item with {@code len} data bytes takes in a control buffer. */
    public static long CMSG_SPACE(long len) {
        return CMSG_ALIGN(len) + CMSG_ALIGN(sizeof());
    }

    /** {@code CMSG_LEN(len)}: the {@code cmsg_len} value for {@code len} data bytes. */
    public static long CMSG_LEN(long len) {
        return CMSG_ALIGN(sizeof()) + len;
    }
}
