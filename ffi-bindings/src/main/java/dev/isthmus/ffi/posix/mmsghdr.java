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
 * struct mmsghdr {
 *     struct msghdr msg_hdr;
 *     unsigned int msg_len; // bytes received or sent
 * };
 * }
 *
 * <p>One element of the arrays recvmmsg/sendmmsg take (GNU extension). See recvmmsg(2).
 */
@CStruct(value = "struct mmsghdr", includes = {"sys/socket.h"})
public final class mmsghdr {
    private mmsghdr() {
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
            msghdr.layout().withName("msg_hdr"),
            C_INT.withName("msg_len"),
            MemoryLayout.paddingLayout(4)).withName("mmsghdr");

    /** The layout, member names as in C. */
    public static GroupLayout layout() {
        return $LAYOUT;
    }

    /** {@code sizeof(struct mmsghdr)}. */
    public static long sizeof() {
        return $LAYOUT.byteSize();
    }

    /** Allocates one zeroed {@code struct mmsghdr}. */
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

    private static final long msg_hdr$SIZE = $LAYOUT.select(MemoryLayout.PathElement.groupElement("msg_hdr")).byteSize();
    /** Offset of {@code msg_hdr}. */
    public static final long msg_hdr$OFFSET = $LAYOUT.byteOffset(MemoryLayout.PathElement.groupElement("msg_hdr"));

    /** A view of the nested {@link msghdr} {@code msg_hdr}. */
    public static MemorySegment msg_hdr(MemorySegment struct) {
        return struct.asSlice(msg_hdr$OFFSET, msg_hdr$SIZE);
    }

    /** Copies {@code fieldValue} into {@code msg_hdr}. */
    public static void msg_hdr(MemorySegment struct, MemorySegment fieldValue) {
        MemorySegment.copy(fieldValue, 0L, struct, msg_hdr$OFFSET, msg_hdr$SIZE);
    }

    private static final ValueLayout.OfInt msg_len$LAYOUT = (ValueLayout.OfInt) $LAYOUT.select(MemoryLayout.PathElement.groupElement("msg_len"));
    /** Offset of {@code msg_len}. */
    public static final long msg_len$OFFSET = $LAYOUT.byteOffset(MemoryLayout.PathElement.groupElement("msg_len"));

    /** Reads {@code msg_len}: the bytes received or sent for this message. */
    public static int msg_len(MemorySegment struct) {
        return struct.get(msg_len$LAYOUT, msg_len$OFFSET);
    }

    /** Writes {@code msg_len}. */
    public static void msg_len(MemorySegment struct, int fieldValue) {
        struct.set(msg_len$LAYOUT, msg_len$OFFSET, fieldValue);
    }
}
