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
 * struct sockaddr_in {
 *     sa_family_t sin_family; // AF_INET
 *     in_port_t sin_port;     // network byte order
 *     struct in_addr sin_addr;
 *     unsigned char sin_zero[8];
 * };
 * }
 *
 * <p>An IPv4 socket address; port and address in network byte order (use {@link SocketAddresses}). See ip(7).
 */
@CStruct(value = "struct sockaddr_in", includes = {"netinet/in.h"})
public final class sockaddr_in {
    private sockaddr_in() {
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
            C_SHORT.withName("sin_family"),
            C_SHORT.withName("sin_port"),
            in_addr.layout().withName("sin_addr"),
            MemoryLayout.sequenceLayout(8, C_CHAR).withName("sin_zero")).withName("sockaddr_in");

    /** The layout, member names as in C. */
    public static GroupLayout layout() {
        return $LAYOUT;
    }

    /** {@code sizeof(struct sockaddr_in)}. */
    public static long sizeof() {
        return $LAYOUT.byteSize();
    }

    /** Allocates one zeroed {@code struct sockaddr_in}. */
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

    private static final ValueLayout.OfShort sin_family$LAYOUT = (ValueLayout.OfShort) $LAYOUT.select(MemoryLayout.PathElement.groupElement("sin_family"));
    /** Offset of {@code sin_family}. */
    public static final long sin_family$OFFSET = $LAYOUT.byteOffset(MemoryLayout.PathElement.groupElement("sin_family"));

    /** Reads {@code sin_family}. */
    public static short sin_family(MemorySegment struct) {
        return struct.get(sin_family$LAYOUT, sin_family$OFFSET);
    }

    /** Writes {@code sin_family}. */
    public static void sin_family(MemorySegment struct, short fieldValue) {
        struct.set(sin_family$LAYOUT, sin_family$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfShort sin_port$LAYOUT = (ValueLayout.OfShort) $LAYOUT.select(MemoryLayout.PathElement.groupElement("sin_port"));
    /** Offset of {@code sin_port}. */
    public static final long sin_port$OFFSET = $LAYOUT.byteOffset(MemoryLayout.PathElement.groupElement("sin_port"));

    /** Reads {@code sin_port} as stored (network byte order; see {@link in_h#ntohs}). */
    public static short sin_port(MemorySegment struct) {
        return struct.get(sin_port$LAYOUT, sin_port$OFFSET);
    }

    /** Writes {@code sin_port}. */
    public static void sin_port(MemorySegment struct, short fieldValue) {
        struct.set(sin_port$LAYOUT, sin_port$OFFSET, fieldValue);
    }

    private static final long sin_addr$SIZE = $LAYOUT.select(MemoryLayout.PathElement.groupElement("sin_addr")).byteSize();
    /** Offset of {@code sin_addr}. */
    public static final long sin_addr$OFFSET = $LAYOUT.byteOffset(MemoryLayout.PathElement.groupElement("sin_addr"));

    /** A view of the nested {@link in_addr} {@code sin_addr}. */
    public static MemorySegment sin_addr(MemorySegment struct) {
        return struct.asSlice(sin_addr$OFFSET, sin_addr$SIZE);
    }

    /** Copies {@code fieldValue} into {@code sin_addr}. */
    public static void sin_addr(MemorySegment struct, MemorySegment fieldValue) {
        MemorySegment.copy(fieldValue, 0L, struct, sin_addr$OFFSET, sin_addr$SIZE);
    }

    private static final long sin_zero$SIZE = $LAYOUT.select(MemoryLayout.PathElement.groupElement("sin_zero")).byteSize();
    /** Offset of {@code sin_zero}. */
    public static final long sin_zero$OFFSET = $LAYOUT.byteOffset(MemoryLayout.PathElement.groupElement("sin_zero"));

    /** A view of the 8-byte array {@code sin_zero}. */
    public static MemorySegment sin_zero(MemorySegment struct) {
        return struct.asSlice(sin_zero$OFFSET, sin_zero$SIZE);
    }

    /** Copies {@code fieldValue} into {@code sin_zero}. */
    public static void sin_zero(MemorySegment struct, MemorySegment fieldValue) {
        MemorySegment.copy(fieldValue, 0L, struct, sin_zero$OFFSET, sin_zero$SIZE);
    }
}
