package dev.isthmus.ffi.posix;

import dev.isthmus.ffi.CStruct;

import java.lang.foreign.AddressLayout;
import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.ValueLayout;

import static dev.isthmus.ffi.posix.CTypes.C_INT;
import static dev.isthmus.ffi.posix.CTypes.C_LONG;
import static dev.isthmus.ffi.posix.CTypes.C_POINTER;

/**
 * {@snippet lang=c :
 * struct msghdr {
 *     void *msg_name;
 *     socklen_t msg_namelen;
 *     struct iovec *msg_iov;
 *     size_t msg_iovlen;
 *     void *msg_control;
 *     size_t msg_controllen;
 *     int msg_flags;
 * };
 * }
 *
 * <p>The message recvmsg/sendmsg take: optional address, an iovec array, optional ancillary data. glibc pads after {@code msg_namelen} and at the end. See recvmsg(2).
 */
@CStruct(value = "struct msghdr", includes = {"sys/socket.h"})
public final class msghdr {
    private msghdr() {
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
            C_POINTER.withName("msg_name"),
            C_INT.withName("msg_namelen"),
            MemoryLayout.paddingLayout(4),
            C_POINTER.withName("msg_iov"),
            C_LONG.withName("msg_iovlen"),
            C_POINTER.withName("msg_control"),
            C_LONG.withName("msg_controllen"),
            C_INT.withName("msg_flags"),
            MemoryLayout.paddingLayout(4)).withName("msghdr");

    /** The layout, member names as in C. */
    public static GroupLayout layout() {
        return $LAYOUT;
    }

    /** {@code sizeof(struct msghdr)}. */
    public static long sizeof() {
        return $LAYOUT.byteSize();
    }

    /** Allocates one zeroed {@code struct msghdr}. */
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

    private static final AddressLayout msg_name$LAYOUT = (AddressLayout) $LAYOUT.select(MemoryLayout.PathElement.groupElement("msg_name"));
    /** Offset of {@code msg_name}. */
    public static final long msg_name$OFFSET = $LAYOUT.byteOffset(MemoryLayout.PathElement.groupElement("msg_name"));

    /** Reads {@code msg_name}. */
    public static MemorySegment msg_name(MemorySegment struct) {
        return struct.get(msg_name$LAYOUT, msg_name$OFFSET);
    }

    /** Writes {@code msg_name}. */
    public static void msg_name(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(msg_name$LAYOUT, msg_name$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfInt msg_namelen$LAYOUT = (ValueLayout.OfInt) $LAYOUT.select(MemoryLayout.PathElement.groupElement("msg_namelen"));
    /** Offset of {@code msg_namelen}. */
    public static final long msg_namelen$OFFSET = $LAYOUT.byteOffset(MemoryLayout.PathElement.groupElement("msg_namelen"));

    /** Reads {@code msg_namelen}. */
    public static int msg_namelen(MemorySegment struct) {
        return struct.get(msg_namelen$LAYOUT, msg_namelen$OFFSET);
    }

    /** Writes {@code msg_namelen}. */
    public static void msg_namelen(MemorySegment struct, int fieldValue) {
        struct.set(msg_namelen$LAYOUT, msg_namelen$OFFSET, fieldValue);
    }

    private static final AddressLayout msg_iov$LAYOUT = (AddressLayout) $LAYOUT.select(MemoryLayout.PathElement.groupElement("msg_iov"));
    /** Offset of {@code msg_iov}. */
    public static final long msg_iov$OFFSET = $LAYOUT.byteOffset(MemoryLayout.PathElement.groupElement("msg_iov"));

    /** Reads {@code msg_iov}. */
    public static MemorySegment msg_iov(MemorySegment struct) {
        return struct.get(msg_iov$LAYOUT, msg_iov$OFFSET);
    }

    /** Writes {@code msg_iov}. */
    public static void msg_iov(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(msg_iov$LAYOUT, msg_iov$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfLong msg_iovlen$LAYOUT = (ValueLayout.OfLong) $LAYOUT.select(MemoryLayout.PathElement.groupElement("msg_iovlen"));
    /** Offset of {@code msg_iovlen}. */
    public static final long msg_iovlen$OFFSET = $LAYOUT.byteOffset(MemoryLayout.PathElement.groupElement("msg_iovlen"));

    /** Reads {@code msg_iovlen}. */
    public static long msg_iovlen(MemorySegment struct) {
        return struct.get(msg_iovlen$LAYOUT, msg_iovlen$OFFSET);
    }

    /** Writes {@code msg_iovlen}. */
    public static void msg_iovlen(MemorySegment struct, long fieldValue) {
        struct.set(msg_iovlen$LAYOUT, msg_iovlen$OFFSET, fieldValue);
    }

    private static final AddressLayout msg_control$LAYOUT = (AddressLayout) $LAYOUT.select(MemoryLayout.PathElement.groupElement("msg_control"));
    /** Offset of {@code msg_control}. */
    public static final long msg_control$OFFSET = $LAYOUT.byteOffset(MemoryLayout.PathElement.groupElement("msg_control"));

    /** Reads {@code msg_control}. */
    public static MemorySegment msg_control(MemorySegment struct) {
        return struct.get(msg_control$LAYOUT, msg_control$OFFSET);
    }

    /** Writes {@code msg_control}. */
    public static void msg_control(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(msg_control$LAYOUT, msg_control$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfLong msg_controllen$LAYOUT = (ValueLayout.OfLong) $LAYOUT.select(MemoryLayout.PathElement.groupElement("msg_controllen"));
    /** Offset of {@code msg_controllen}. */
    public static final long msg_controllen$OFFSET = $LAYOUT.byteOffset(MemoryLayout.PathElement.groupElement("msg_controllen"));

    /** Reads {@code msg_controllen}. */
    public static long msg_controllen(MemorySegment struct) {
        return struct.get(msg_controllen$LAYOUT, msg_controllen$OFFSET);
    }

    /** Writes {@code msg_controllen}. */
    public static void msg_controllen(MemorySegment struct, long fieldValue) {
        struct.set(msg_controllen$LAYOUT, msg_controllen$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfInt msg_flags$LAYOUT = (ValueLayout.OfInt) $LAYOUT.select(MemoryLayout.PathElement.groupElement("msg_flags"));
    /** Offset of {@code msg_flags}. */
    public static final long msg_flags$OFFSET = $LAYOUT.byteOffset(MemoryLayout.PathElement.groupElement("msg_flags"));

    /** Reads {@code msg_flags}: output flags such as MSG_TRUNC, MSG_CTRUNC. */
    public static int msg_flags(MemorySegment struct) {
        return struct.get(msg_flags$LAYOUT, msg_flags$OFFSET);
    }

    /** Writes {@code msg_flags}. */
    public static void msg_flags(MemorySegment struct, int fieldValue) {
        struct.set(msg_flags$LAYOUT, msg_flags$OFFSET, fieldValue);
    }
}
