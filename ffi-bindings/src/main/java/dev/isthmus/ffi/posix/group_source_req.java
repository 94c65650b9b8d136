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
 * struct group_source_req {
 *     uint32_t gsr_interface;            // interface index
 *     struct sockaddr_storage gsr_group;  // group address
 *     struct sockaddr_storage gsr_source; // source address
 * };
 * }
 *
 * <p>The value of MCAST_JOIN_SOURCE_GROUP, MCAST_LEAVE_SOURCE_GROUP, MCAST_BLOCK_SOURCE and
 * MCAST_UNBLOCK_SOURCE (RFC 3678 section 5.2.2, ip(7)).
 */
@CStruct(value = "struct group_source_req", includes = {"netinet/in.h"})
public final class group_source_req {
    private group_source_req() {
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
            C_INT.withName("gsr_interface"),
            MemoryLayout.paddingLayout(4),
            sockaddr_storage.layout().withName("gsr_group"),
            sockaddr_storage.layout().withName("gsr_source")).withName("group_source_req");

    /** The layout, member names as in C. */
    public static GroupLayout layout() {
        return $LAYOUT;
    }

    /** {@code sizeof(struct group_source_req)}. */
    public static long sizeof() {
        return $LAYOUT.byteSize();
    }

    /** Allocates one zeroed {@code struct group_source_req}. */
    public static MemorySegment allocate(SegmentAllocator allocator) {
        return allocator.allocate($LAYOUT);
    }

    private static final ValueLayout.OfInt gsr_interface$LAYOUT = (ValueLayout.OfInt) $LAYOUT.select(MemoryLayout.PathElement.groupElement("gsr_interface"));
    /** Offset of {@code gsr_interface}. */
    public static final long gsr_interface$OFFSET = $LAYOUT.byteOffset(MemoryLayout.PathElement.groupElement("gsr_interface"));

    /** Reads {@code gsr_interface}. */
    public static int gsr_interface(MemorySegment struct) {
        return struct.get(gsr_interface$LAYOUT, gsr_interface$OFFSET);
    }

    /** Writes {@code gsr_interface}. */
    public static void gsr_interface(MemorySegment struct, int fieldValue) {
        struct.set(gsr_interface$LAYOUT, gsr_interface$OFFSET, fieldValue);
    }

    private static final long gsr_group$SIZE = $LAYOUT.select(MemoryLayout.PathElement.groupElement("gsr_group")).byteSize();
    /** Offset of {@code gsr_group}. */
    public static final long gsr_group$OFFSET = $LAYOUT.byteOffset(MemoryLayout.PathElement.groupElement("gsr_group"));

    /** A view of the nested {@link sockaddr_storage} {@code gsr_group}. */
    public static MemorySegment gsr_group(MemorySegment struct) {
        return struct.asSlice(gsr_group$OFFSET, gsr_group$SIZE);
    }

    private static final long gsr_source$SIZE = $LAYOUT.select(MemoryLayout.PathElement.groupElement("gsr_source")).byteSize();
    /** Offset of {@code gsr_source}. */
    public static final long gsr_source$OFFSET = $LAYOUT.byteOffset(MemoryLayout.PathElement.groupElement("gsr_source"));

    /** A view of the nested {@link sockaddr_storage} {@code gsr_source}. */
    public static MemorySegment gsr_source(MemorySegment struct) {
        return struct.asSlice(gsr_source$OFFSET, gsr_source$SIZE);
    }
}
