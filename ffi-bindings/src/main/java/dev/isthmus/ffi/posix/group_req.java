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
 * struct group_req {
 *     uint32_t gr_interface;            // interface index
 *     struct sockaddr_storage gr_group; // group address
 * };
 * }
 *
 * <p>The value of MCAST_JOIN_GROUP and MCAST_LEAVE_GROUP (RFC 3678 section 5.2.1, ip(7)).
 */
@CStruct(value = "struct group_req", includes = {"netinet/in.h"})
public final class group_req {
    private group_req() {
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
            C_INT.withName("gr_interface"),
            MemoryLayout.paddingLayout(4),
            sockaddr_storage.layout().withName("gr_group")).withName("group_req");

    /** The layout, member names as in C. */
    public static GroupLayout layout() {
        return $LAYOUT;
    }

    /** {@code sizeof(struct group_req)}. */
    public static long sizeof() {
        return $LAYOUT.byteSize();
    }

    /** Allocates one zeroed {@code struct group_req}. */
    public static MemorySegment allocate(SegmentAllocator allocator) {
        return allocator.allocate($LAYOUT);
    }

    private static final ValueLayout.OfInt gr_interface$LAYOUT = (ValueLayout.OfInt) $LAYOUT.select(MemoryLayout.PathElement.groupElement("gr_interface"));
    /** Offset of {@code gr_interface}. */
    public static final long gr_interface$OFFSET = $LAYOUT.byteOffset(MemoryLayout.PathElement.groupElement("gr_interface"));

    /** Reads {@code gr_interface}. */
    public static int gr_interface(MemorySegment struct) {
        return struct.get(gr_interface$LAYOUT, gr_interface$OFFSET);
    }

    /** Writes {@code gr_interface}. */
    public static void gr_interface(MemorySegment struct, int fieldValue) {
        struct.set(gr_interface$LAYOUT, gr_interface$OFFSET, fieldValue);
    }

    private static final long gr_group$SIZE = $LAYOUT.select(MemoryLayout.PathElement.groupElement("gr_group")).byteSize();
    /** Offset of {@code gr_group}. */
    public static final long gr_group$OFFSET = $LAYOUT.byteOffset(MemoryLayout.PathElement.groupElement("gr_group"));

    /** A view of the nested {@link sockaddr_storage} {@code gr_group}. */
    public static MemorySegment gr_group(MemorySegment struct) {
        return struct.asSlice(gr_group$OFFSET, gr_group$SIZE);
    }
}
