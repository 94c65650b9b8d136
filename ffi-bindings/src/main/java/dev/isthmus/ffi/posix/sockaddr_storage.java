package dev.isthmus.ffi.posix;

import dev.isthmus.ffi.CStruct;

import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.ValueLayout;

import static dev.isthmus.ffi.posix.CTypes.C_CHAR;
import static dev.isthmus.ffi.posix.CTypes.C_LONG;
import static dev.isthmus.ffi.posix.CTypes.C_SHORT;

/**
 * {@snippet lang=c :
 * struct sockaddr_storage {
 *     sa_family_t ss_family;
 *     char __ss_padding[118];
 *     unsigned long __ss_align;
 * };
 * }
 *
 * <p>Room for any socket address (128 bytes, 8-aligned): what accept4/getsockname write into when the family is not known in advance.
 */
@CStruct(value = "struct sockaddr_storage", includes = {"sys/socket.h"})
public final class sockaddr_storage {
    private sockaddr_storage() {
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
            C_SHORT.withName("ss_family"),
            MemoryLayout.sequenceLayout(118, C_CHAR).withName("__ss_padding"),
            C_LONG.withName("__ss_align")).withName("sockaddr_storage");

    /** The layout, member names as in C. */
    public static GroupLayout layout() {
        return $LAYOUT;
    }

    /** {@code sizeof(struct sockaddr_storage)}. */
    public static long sizeof() {
        return $LAYOUT.byteSize();
    }

    /** Allocates one zeroed {@code struct sockaddr_storage}. */
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

    private static final ValueLayout.OfShort ss_family$LAYOUT = (ValueLayout.OfShort) $LAYOUT.select(MemoryLayout.PathElement.groupElement("ss_family"));
    /** Offset of {@code ss_family}. */
    public static final long ss_family$OFFSET = $LAYOUT.byteOffset(MemoryLayout.PathElement.groupElement("ss_family"));

    /** Reads {@code ss_family}. */
    public static short ss_family(MemorySegment struct) {
        return struct.get(ss_family$LAYOUT, ss_family$OFFSET);
    }

    /** Writes {@code ss_family}. */
    public static void ss_family(MemorySegment struct, short fieldValue) {
        struct.set(ss_family$LAYOUT, ss_family$OFFSET, fieldValue);
    }

    private static final long __ss_padding$SIZE = $LAYOUT.select(MemoryLayout.PathElement.groupElement("__ss_padding")).byteSize();
    /** Offset of {@code __ss_padding}. */
    public static final long __ss_padding$OFFSET = $LAYOUT.byteOffset(MemoryLayout.PathElement.groupElement("__ss_padding"));

    /** A view of the 118-byte array {@code __ss_padding}. */
    public static MemorySegment __ss_padding(MemorySegment struct) {
        return struct.asSlice(__ss_padding$OFFSET, __ss_padding$SIZE);
    }

    /** Copies {@code fieldValue} into {@code __ss_padding}. */
    public static void __ss_padding(MemorySegment struct, MemorySegment fieldValue) {
        MemorySegment.copy(fieldValue, 0L, struct, __ss_padding$OFFSET, __ss_padding$SIZE);
    }

    private static final ValueLayout.OfLong __ss_align$LAYOUT = (ValueLayout.OfLong) $LAYOUT.select(MemoryLayout.PathElement.groupElement("__ss_align"));
    /** Offset of {@code __ss_align}. */
    public static final long __ss_align$OFFSET = $LAYOUT.byteOffset(MemoryLayout.PathElement.groupElement("__ss_align"));

    /** Reads {@code __ss_align}. */
    public static long __ss_align(MemorySegment struct) {
        return struct.get(__ss_align$LAYOUT, __ss_align$OFFSET);
    }

    /** Writes {@code __ss_align}. */
    public static void __ss_align(MemorySegment struct, long fieldValue) {
        struct.set(__ss_align$LAYOUT, __ss_align$OFFSET, fieldValue);
    }
}
