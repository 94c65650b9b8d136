package dev.isthmus.ffi.dpdk;

import dev.isthmus.ffi.CStruct;

import java.lang.foreign.AddressLayout;
import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.ValueLayout;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

/**
 * A MAC address, as filled by rte_eth_macaddr_get. Pure layout: using it loads no DPDK library.
 *
 * <pre>{@code
 * struct rte_ether_addr { uint8_t addr_bytes[RTE_ETHER_ADDR_LEN]; } __rte_aligned(2);
 * }</pre>
 */
@CStruct(value = "struct rte_ether_addr", includes = {"rte_ether.h"}, pkgConfig = "libdpdk")
public final class rte_ether_addr {
    private rte_ether_addr() {
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
            MemoryLayout.sequenceLayout(6, ValueLayout.JAVA_BYTE).withName("addr_bytes")
    ).withByteAlignment(2).withName("rte_ether_addr");

    /** The layout of {@code struct rte_ether_addr}. */
    public static GroupLayout layout() {
        return $LAYOUT;
    }

    /** {@code sizeof(struct rte_ether_addr)}. */
    public static long sizeof() {
        return $LAYOUT.byteSize();
    }

    /** Allocates one zeroed {@code struct rte_ether_addr}. */
    public static MemorySegment allocate(SegmentAllocator allocator) {
        return allocator.allocate($LAYOUT);
    }

    private static final long addr_bytes$OFFSET = $LAYOUT.byteOffset(groupElement("addr_bytes"));

    /** Offset of {@code addr_bytes}. */
    public static long addr_bytes$offset() {
        return addr_bytes$OFFSET;
    }

    /** The array {@code addr_bytes} as a slice of {@code struct}. */
    public static MemorySegment addr_bytes(MemorySegment struct) {
        return struct.asSlice(addr_bytes$OFFSET, 6L * ValueLayout.JAVA_BYTE.byteSize());
    }

    /** Reads {@code addr_bytes[index]}. */
    public static byte addr_bytes(MemorySegment struct, long index) {
        return struct.get(ValueLayout.JAVA_BYTE, addr_bytes$OFFSET + java.util.Objects.checkIndex(index, 6L) * ValueLayout.JAVA_BYTE.byteSize());
    }

    /** Writes {@code addr_bytes[index]}. */
    public static void addr_bytes(MemorySegment struct, long index, byte fieldValue) {
        struct.set(ValueLayout.JAVA_BYTE, addr_bytes$OFFSET + java.util.Objects.checkIndex(index, 6L) * ValueLayout.JAVA_BYTE.byteSize(), fieldValue);
    }

}
