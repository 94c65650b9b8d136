package dev.isthmus.ffi.posix;

import dev.isthmus.ffi.CStruct;

import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.ValueLayout;

import static dev.isthmus.ffi.posix.CTypes.C_INT;
import static dev.isthmus.ffi.posix.CTypes.C_SHORT;

/**
 * {@snippet lang=c :
 * struct sockaddr_in6 {
 *     sa_family_t sin6_family; // AF_INET6
 *     in_port_t sin6_port;     // network byte order
 *     uint32_t sin6_flowinfo;
 *     struct in6_addr sin6_addr;
 *     uint32_t sin6_scope_id;  // interface index, host order
 * };
 * }
 *
 * <p>An IPv6 socket address; port and flow info in network byte order, scope id in host order. See ipv6(7).
 */
@CStruct(value = "struct sockaddr_in6", includes = {"netinet/in.h"})
public final class sockaddr_in6 {
    private sockaddr_in6() {
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
            C_SHORT.withName("sin6_family"),
            C_SHORT.withName("sin6_port"),
            C_INT.withName("sin6_flowinfo"),
            in6_addr.layout().withName("sin6_addr"),
            C_INT.withName("sin6_scope_id")).withName("sockaddr_in6");

    /** The layout, member names as in C. */
    public static GroupLayout layout() {
        return $LAYOUT;
    }

    /** {@code sizeof(struct sockaddr_in6)}. */
    public static long sizeof() {
        return $LAYOUT.byteSize();
    }

    /** Allocates one zeroed {@code struct sockaddr_in6}. */
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

    private static final ValueLayout.OfShort sin6_family$LAYOUT = (ValueLayout.OfShort) $LAYOUT.select(MemoryLayout.PathElement.groupElement("sin6_family"));
    /** Offset of {@code sin6_family}. */
    public static final long sin6_family$OFFSET = $LAYOUT.byteOffset(MemoryLayout.PathElement.groupElement("sin6_family"));

    /** Reads {@code sin6_family}. */
    public static short sin6_family(MemorySegment struct) {
        return struct.get(sin6_family$LAYOUT, sin6_family$OFFSET);
    }

    /** Writes {@code sin6_family}. */
    public static void sin6_family(MemorySegment struct, short fieldValue) {
        struct.set(sin6_family$LAYOUT, sin6_family$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfShort sin6_port$LAYOUT = (ValueLayout.OfShort) $LAYOUT.select(MemoryLayout.PathElement.groupElement("sin6_port"));
    /** Offset of {@code sin6_port}. */
    public static final long sin6_port$OFFSET = $LAYOUT.byteOffset(MemoryLayout.PathElement.groupElement("sin6_port"));

    /** Reads {@code sin6_port} as stored (network byte order). */
    public static short sin6_port(MemorySegment struct) {
        return struct.get(sin6_port$LAYOUT, sin6_port$OFFSET);
    }

    /** Writes {@code sin6_port}. */
    public static void sin6_port(MemorySegment struct, short fieldValue) {
        struct.set(sin6_port$LAYOUT, sin6_port$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfInt sin6_flowinfo$LAYOUT = (ValueLayout.OfInt) $LAYOUT.select(MemoryLayout.PathElement.groupElement("sin6_flowinfo"));
    /** Offset of {@code sin6_flowinfo}. */
    public static final long sin6_flowinfo$OFFSET = $LAYOUT.byteOffset(MemoryLayout.PathElement.groupElement("sin6_flowinfo"));

    /** Reads {@code sin6_flowinfo}. */
    public static int sin6_flowinfo(MemorySegment struct) {
        return struct.get(sin6_flowinfo$LAYOUT, sin6_flowinfo$OFFSET);
    }

    /** Writes {@code sin6_flowinfo}. */
    public static void sin6_flowinfo(MemorySegment struct, int fieldValue) {
        struct.set(sin6_flowinfo$LAYOUT, sin6_flowinfo$OFFSET, fieldValue);
    }

    private static final long sin6_addr$SIZE = $LAYOUT.select(MemoryLayout.PathElement.groupElement("sin6_addr")).byteSize();
    /** Offset of {@code sin6_addr}. */
    public static final long sin6_addr$OFFSET = $LAYOUT.byteOffset(MemoryLayout.PathElement.groupElement("sin6_addr"));

    /** A view of the nested {@link in6_addr} {@code sin6_addr}. */
    public static MemorySegment sin6_addr(MemorySegment struct) {
        return struct.asSlice(sin6_addr$OFFSET, sin6_addr$SIZE);
    }

    /** Copies {@code fieldValue} into {@code sin6_addr}. */
    public static void sin6_addr(MemorySegment struct, MemorySegment fieldValue) {
        MemorySegment.copy(fieldValue, 0L, struct, sin6_addr$OFFSET, sin6_addr$SIZE);
    }

    private static final ValueLayout.OfInt sin6_scope_id$LAYOUT = (ValueLayout.OfInt) $LAYOUT.select(MemoryLayout.PathElement.groupElement("sin6_scope_id"));
    /** Offset of {@code sin6_scope_id}. */
    public static final long sin6_scope_id$OFFSET = $LAYOUT.byteOffset(MemoryLayout.PathElement.groupElement("sin6_scope_id"));

    /** Reads {@code sin6_scope_id}. */
    public static int sin6_scope_id(MemorySegment struct) {
        return struct.get(sin6_scope_id$LAYOUT, sin6_scope_id$OFFSET);
    }

    /** Writes {@code sin6_scope_id}. */
    public static void sin6_scope_id(MemorySegment struct, int fieldValue) {
        struct.set(sin6_scope_id$LAYOUT, sin6_scope_id$OFFSET, fieldValue);
    }
}
