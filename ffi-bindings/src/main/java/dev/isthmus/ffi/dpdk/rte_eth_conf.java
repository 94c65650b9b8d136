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
 * Port configuration for rte_eth_dev_configure. A zeroed struct (as {@link #allocate} returns) is the
 * default configuration for one rx and one tx queue: autonegotiated speed, no RSS, no offloads.
 * Members we never set are byte arrays of the right size, so that offsets and {@code sizeof} still match.
 *
 * <pre>{@code
 * struct rte_eth_conf {
 *     uint32_t link_speeds;
 *     struct rte_eth_rxmode rxmode;
 *     struct rte_eth_txmode txmode;          // has bitfields: kept as bytes
 *     uint32_t lpbk_mode;
 *     struct { ... } rx_adv_conf;           // RSS, VMDq, DCB: kept as bytes
 *     union { ... } tx_adv_conf;
 *     uint32_t dcb_capability_en;
 *     struct rte_eth_intr_conf intr_conf;    // bitfields: kept as a word
 * };
 * }</pre>
 */
@CStruct(value = "struct rte_eth_conf", includes = {"rte_ethdev.h"}, pkgConfig = "libdpdk")
public final class rte_eth_conf {
    private rte_eth_conf() {
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
            ValueLayout.JAVA_INT.withName("link_speeds"),
            MemoryLayout.paddingLayout(4),
            rte_eth_rxmode.layout().withName("rxmode"),
            MemoryLayout.sequenceLayout(56, ValueLayout.JAVA_BYTE).withName("txmode"),
            ValueLayout.JAVA_INT.withName("lpbk_mode"),
            MemoryLayout.paddingLayout(4),
            MemoryLayout.sequenceLayout(2120, ValueLayout.JAVA_BYTE).withName("rx_adv_conf"),
            MemoryLayout.sequenceLayout(12, ValueLayout.JAVA_BYTE).withName("tx_adv_conf"),
            ValueLayout.JAVA_INT.withName("dcb_capability_en"),
            ValueLayout.JAVA_INT.withName("intr_conf"),
            MemoryLayout.paddingLayout(4)
    ).withName("rte_eth_conf");

    /** The layout of {@code struct rte_eth_conf}. */
    public static GroupLayout layout() {
        return $LAYOUT;
    }

    /** {@code sizeof(struct rte_eth_conf)}. */
    public static long sizeof() {
        return $LAYOUT.byteSize();
    }

    /** Allocates one zeroed {@code struct rte_eth_conf}. */
    public static MemorySegment allocate(SegmentAllocator allocator) {
        return allocator.allocate($LAYOUT);
    }

    private static final ValueLayout.OfInt link_speeds$LAYOUT = (ValueLayout.OfInt) $LAYOUT.select(groupElement("link_speeds"));
    private static final long link_speeds$OFFSET = $LAYOUT.byteOffset(groupElement("link_speeds"));

    /** Layout of {@code link_speeds}. */
    public static ValueLayout.OfInt link_speeds$layout() {
        return link_speeds$LAYOUT;
    }

    /** Offset of {@code link_speeds}. */
    public static long link_speeds$offset() {
        return link_speeds$OFFSET;
    }

    /** Reads {@code link_speeds}. */
    public static int link_speeds(MemorySegment struct) {
        return struct.get(link_speeds$LAYOUT, link_speeds$OFFSET);
    }

    /** Writes {@code link_speeds}. */
    public static void link_speeds(MemorySegment struct, int fieldValue) {
        struct.set(link_speeds$LAYOUT, link_speeds$OFFSET, fieldValue);
    }

    private static final long rxmode$OFFSET = $LAYOUT.byteOffset(groupElement("rxmode"));

    /** Offset of {@code rxmode}. */
    public static long rxmode$offset() {
        return rxmode$OFFSET;
    }

    /** {@code rxmode} as a slice of {@code struct} (a {@link rte_eth_rxmode}). */
    public static MemorySegment rxmode(MemorySegment struct) {
        return struct.asSlice(rxmode$OFFSET, rte_eth_rxmode.layout().byteSize());
    }

    private static final long txmode$OFFSET = $LAYOUT.byteOffset(groupElement("txmode"));

    /** Offset of {@code txmode}. */
    public static long txmode$offset() {
        return txmode$OFFSET;
    }

    /** The array {@code txmode} as a slice of {@code struct}. */
    public static MemorySegment txmode(MemorySegment struct) {
        return struct.asSlice(txmode$OFFSET, 56L * ValueLayout.JAVA_BYTE.byteSize());
    }

    /** Reads {@code txmode[index]}. */
    public static byte txmode(MemorySegment struct, long index) {
        return struct.get(ValueLayout.JAVA_BYTE, txmode$OFFSET + java.util.Objects.checkIndex(index, 56L) * ValueLayout.JAVA_BYTE.byteSize());
    }

    /** Writes {@code txmode[index]}. */
    public static void txmode(MemorySegment struct, long index, byte fieldValue) {
        struct.set(ValueLayout.JAVA_BYTE, txmode$OFFSET + java.util.Objects.checkIndex(index, 56L) * ValueLayout.JAVA_BYTE.byteSize(), fieldValue);
    }

    private static final ValueLayout.OfInt lpbk_mode$LAYOUT = (ValueLayout.OfInt) $LAYOUT.select(groupElement("lpbk_mode"));
    private static final long lpbk_mode$OFFSET = $LAYOUT.byteOffset(groupElement("lpbk_mode"));

    /** Layout of {@code lpbk_mode}. */
    public static ValueLayout.OfInt lpbk_mode$layout() {
        return lpbk_mode$LAYOUT;
    }

    /** Offset of {@code lpbk_mode}. */
    public static long lpbk_mode$offset() {
        return lpbk_mode$OFFSET;
    }

    /** Reads {@code lpbk_mode}. */
    public static int lpbk_mode(MemorySegment struct) {
        return struct.get(lpbk_mode$LAYOUT, lpbk_mode$OFFSET);
    }

    /** Writes {@code lpbk_mode}. */
    public static void lpbk_mode(MemorySegment struct, int fieldValue) {
        struct.set(lpbk_mode$LAYOUT, lpbk_mode$OFFSET, fieldValue);
    }

    private static final long rx_adv_conf$OFFSET = $LAYOUT.byteOffset(groupElement("rx_adv_conf"));

    /** Offset of {@code rx_adv_conf}. */
    public static long rx_adv_conf$offset() {
        return rx_adv_conf$OFFSET;
    }

    /** The array {@code rx_adv_conf} as a slice of {@code struct}. */
    public static MemorySegment rx_adv_conf(MemorySegment struct) {
        return struct.asSlice(rx_adv_conf$OFFSET, 2120L * ValueLayout.JAVA_BYTE.byteSize());
    }

    /** Reads {@code rx_adv_conf[index]}. */
    public static byte rx_adv_conf(MemorySegment struct, long index) {
        return struct.get(ValueLayout.JAVA_BYTE, rx_adv_conf$OFFSET + java.util.Objects.checkIndex(index, 2120L) * ValueLayout.JAVA_BYTE.byteSize());
    }

    /** Writes {@code rx_adv_conf[index]}. */
    public static void rx_adv_conf(MemorySegment struct, long index, byte fieldValue) {
        struct.set(ValueLayout.JAVA_BYTE, rx_adv_conf$OFFSET + java.util.Objects.checkIndex(index, 2120L) * ValueLayout.JAVA_BYTE.byteSize(), fieldValue);
    }

    private static final long tx_adv_conf$OFFSET = $LAYOUT.byteOffset(groupElement("tx_adv_conf"));

    /** Offset of {@code tx_adv_conf}. */
    public static long tx_adv_conf$offset() {
        return tx_adv_conf$OFFSET;
    }

    /** The array {@code tx_adv_conf} as a slice of {@code struct}. */
    public static MemorySegment tx_adv_conf(MemorySegment struct) {
        return struct.asSlice(tx_adv_conf$OFFSET, 12L * ValueLayout.JAVA_BYTE.byteSize());
    }

    /** Reads {@code tx_adv_conf[index]}. */
    public static byte tx_adv_conf(MemorySegment struct, long index) {
        return struct.get(ValueLayout.JAVA_BYTE, tx_adv_conf$OFFSET + java.util.Objects.checkIndex(index, 12L) * ValueLayout.JAVA_BYTE.byteSize());
    }

    /** Writes {@code tx_adv_conf[index]}. */
    public static void tx_adv_conf(MemorySegment struct, long index, byte fieldValue) {
        struct.set(ValueLayout.JAVA_BYTE, tx_adv_conf$OFFSET + java.util.Objects.checkIndex(index, 12L) * ValueLayout.JAVA_BYTE.byteSize(), fieldValue);
    }

    private static final ValueLayout.OfInt dcb_capability_en$LAYOUT = (ValueLayout.OfInt) $LAYOUT.select(groupElement("dcb_capability_en"));
    private static final long dcb_capability_en$OFFSET = $LAYOUT.byteOffset(groupElement("dcb_capability_en"));

    /** Layout of {@code dcb_capability_en}. */
    public static ValueLayout.OfInt dcb_capability_en$layout() {
        return dcb_capability_en$LAYOUT;
    }

    /** Offset of {@code dcb_capability_en}. */
    public static long dcb_capability_en$offset() {
        return dcb_capability_en$OFFSET;
    }

    /** Reads {@code dcb_capability_en}. */
    public static int dcb_capability_en(MemorySegment struct) {
        return struct.get(dcb_capability_en$LAYOUT, dcb_capability_en$OFFSET);
    }

    /** Writes {@code dcb_capability_en}. */
    public static void dcb_capability_en(MemorySegment struct, int fieldValue) {
        struct.set(dcb_capability_en$LAYOUT, dcb_capability_en$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfInt intr_conf$LAYOUT = (ValueLayout.OfInt) $LAYOUT.select(groupElement("intr_conf"));
    private static final long intr_conf$OFFSET = $LAYOUT.byteOffset(groupElement("intr_conf"));

    /** Layout of {@code intr_conf}. */
    public static ValueLayout.OfInt intr_conf$layout() {
        return intr_conf$LAYOUT;
    }

    /** Offset of {@code intr_conf}. */
    public static long intr_conf$offset() {
        return intr_conf$OFFSET;
    }

    /** Reads {@code intr_conf}. */
    public static int intr_conf(MemorySegment struct) {
        return struct.get(intr_conf$LAYOUT, intr_conf$OFFSET);
    }

    /** Writes {@code intr_conf}. */
    public static void intr_conf(MemorySegment struct, int fieldValue) {
        struct.set(intr_conf$LAYOUT, intr_conf$OFFSET, fieldValue);
    }

}
