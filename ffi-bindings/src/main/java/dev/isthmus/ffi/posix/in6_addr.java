package dev.isthmus.ffi.posix;

import dev.isthmus.ffi.CStruct;

import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;

import static dev.isthmus.ffi.posix.CTypes.C_CHAR;
import static dev.isthmus.ffi.posix.CTypes.C_INT;
import static dev.isthmus.ffi.posix.CTypes.C_SHORT;

/**
 * {@snippet lang=c :
 * struct in6_addr {
 *     union {
 *         uint8_t  __u6_addr8[16];
 *         uint16_t __u6_addr16[8];
 *         uint32_t __u6_addr32[4];
 *     } __in6_u;                // glibc; s6_addr is #defined as __in6_u.__u6_addr8
 * };
 * }
 *
 * <p>An IPv6 address: 16 bytes in network order. The member names are glibc's; code uses
 * {@link #s6_addr(MemorySegment)} as C code uses the {@code s6_addr} macro. See ipv6(7).
 */
@CStruct(value = "struct in6_addr", includes = {"netinet/in.h"})
public final class in6_addr {
    private in6_addr() {
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
            MemoryLayout.unionLayout(
                    MemoryLayout.sequenceLayout(16, C_CHAR).withName("__u6_addr8"),
                    MemoryLayout.sequenceLayout(8, C_SHORT).withName("__u6_addr16"),
                    MemoryLayout.sequenceLayout(4, C_INT).withName("__u6_addr32")).withName("__in6_u"))
            .withName("in6_addr");

    /** The layout, member names as in glibc's header. */
    public static GroupLayout layout() {
        return $LAYOUT;
    }

    /** {@code sizeof(struct in6_addr)}: 16. */
    public static long sizeof() {
        return $LAYOUT.byteSize();
    }

    /** Allocates one zeroed {@code struct in6_addr} (the address {@code ::}). */
    public static MemorySegment allocate(SegmentAllocator allocator) {
        return allocator.allocate($LAYOUT);
    }

    /** Offset of {@code s6_addr} ({@code __in6_u.__u6_addr8}). */
    public static final long s6_addr$OFFSET = 0;

    /** A view of the 16 address bytes, network order ({@code s6_addr}). */
    public static MemorySegment s6_addr(MemorySegment struct) {
        return struct.asSlice(s6_addr$OFFSET, 16);
    }

    /** Copies 16 address bytes from {@code fieldValue} into {@code s6_addr}. */
    public static void s6_addr(MemorySegment struct, MemorySegment fieldValue) {
        MemorySegment.copy(fieldValue, 0L, struct, s6_addr$OFFSET, 16);
    }
}
