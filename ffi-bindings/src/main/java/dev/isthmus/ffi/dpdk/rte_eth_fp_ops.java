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
 * One port's fast-path entry points, as exported by librte_ethdev in the table {@code rte_eth_fp_ops}
 * (DPDK 21.11+). rte_eth_rx_burst and rte_eth_tx_burst are static inlines that call
 * {@code rx_pkt_burst(rxq.data[queue], pkts, n)} through this table; {@link rte_ethdev_h#rte_eth_rx_burst}
 * does the same from Java.
 *
 * <pre>{@code
 * struct rte_eth_fp_ops {
 *     eth_rx_burst_t rx_pkt_burst; eth_rx_queue_count_t rx_queue_count;
 *     eth_rx_descriptor_status_t rx_descriptor_status;
 *     struct rte_ethdev_qdata rxq;
 *     uintptr_t reserved1[3];
 *     eth_tx_burst_t tx_pkt_burst; eth_tx_prep_t tx_pkt_prepare;
 *     eth_tx_descriptor_status_t tx_descriptor_status;
 *     struct rte_ethdev_qdata txq;
 *     uintptr_t reserved2[3];
 * } __rte_cache_aligned;
 * extern struct rte_eth_fp_ops rte_eth_fp_ops[RTE_MAX_ETHPORTS];
 * }</pre>
 */
@CStruct(value = "struct rte_eth_fp_ops", includes = {"rte_ethdev.h"}, pkgConfig = "libdpdk")
public final class rte_eth_fp_ops {
    private rte_eth_fp_ops() {
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
            ValueLayout.ADDRESS.withName("rx_pkt_burst"),
            ValueLayout.ADDRESS.withName("rx_queue_count"),
            ValueLayout.ADDRESS.withName("rx_descriptor_status"),
            rte_ethdev_qdata.layout().withName("rxq"),
            MemoryLayout.sequenceLayout(3, ValueLayout.JAVA_LONG).withName("reserved1"),
            ValueLayout.ADDRESS.withName("tx_pkt_burst"),
            ValueLayout.ADDRESS.withName("tx_pkt_prepare"),
            ValueLayout.ADDRESS.withName("tx_descriptor_status"),
            rte_ethdev_qdata.layout().withName("txq"),
            MemoryLayout.sequenceLayout(3, ValueLayout.JAVA_LONG).withName("reserved2")
    ).withByteAlignment(64).withName("rte_eth_fp_ops");

    /** The layout of {@code struct rte_eth_fp_ops}. */
    public static GroupLayout layout() {
        return $LAYOUT;
    }

    /** {@code sizeof(struct rte_eth_fp_ops)}. */
    public static long sizeof() {
        return $LAYOUT.byteSize();
    }

    /** Allocates one zeroed {@code struct rte_eth_fp_ops}. */
    public static MemorySegment allocate(SegmentAllocator allocator) {
        return allocator.allocate($LAYOUT);
    }

    private static final AddressLayout rx_pkt_burst$LAYOUT = (AddressLayout) $LAYOUT.select(groupElement("rx_pkt_burst"));
    private static final long rx_pkt_burst$OFFSET = $LAYOUT.byteOffset(groupElement("rx_pkt_burst"));

    /** Layout of {@code rx_pkt_burst}. */
    public static AddressLayout rx_pkt_burst$layout() {
        return rx_pkt_burst$LAYOUT;
    }

    /** Offset of {@code rx_pkt_burst}. */
    public static long rx_pkt_burst$offset() {
        return rx_pkt_burst$OFFSET;
    }

    /** Reads {@code rx_pkt_burst}. */
    public static MemorySegment rx_pkt_burst(MemorySegment struct) {
        return struct.get(rx_pkt_burst$LAYOUT, rx_pkt_burst$OFFSET);
    }

    /** Writes {@code rx_pkt_burst}. */
    public static void rx_pkt_burst(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(rx_pkt_burst$LAYOUT, rx_pkt_burst$OFFSET, fieldValue);
    }

    private static final AddressLayout rx_queue_count$LAYOUT = (AddressLayout) $LAYOUT.select(groupElement("rx_queue_count"));
    private static final long rx_queue_count$OFFSET = $LAYOUT.byteOffset(groupElement("rx_queue_count"));

    /** Layout of {@code rx_queue_count}. */
    public static AddressLayout rx_queue_count$layout() {
        return rx_queue_count$LAYOUT;
    }

    /** Offset of {@code rx_queue_count}. */
    public static long rx_queue_count$offset() {
        return rx_queue_count$OFFSET;
    }

    /** Reads {@code rx_queue_count}. */
    public static MemorySegment rx_queue_count(MemorySegment struct) {
        return struct.get(rx_queue_count$LAYOUT, rx_queue_count$OFFSET);
    }

    /** Writes {@code rx_queue_count}. */
    public static void rx_queue_count(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(rx_queue_count$LAYOUT, rx_queue_count$OFFSET, fieldValue);
    }

    private static final AddressLayout rx_descriptor_status$LAYOUT = (AddressLayout) $LAYOUT.select(groupElement("rx_descriptor_status"));
    private static final long rx_descriptor_status$OFFSET = $LAYOUT.byteOffset(groupElement("rx_descriptor_status"));

    /** Layout of {@code rx_descriptor_status}. */
    public static AddressLayout rx_descriptor_status$layout() {
        return rx_descriptor_status$LAYOUT;
    }

    /** Offset of {@code rx_descriptor_status}. */
    public static long rx_descriptor_status$offset() {
        return rx_descriptor_status$OFFSET;
    }

    /** Reads {@code rx_descriptor_status}. */
    public static MemorySegment rx_descriptor_status(MemorySegment struct) {
        return struct.get(rx_descriptor_status$LAYOUT, rx_descriptor_status$OFFSET);
    }

    /** Writes {@code rx_descriptor_status}. */
    public static void rx_descriptor_status(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(rx_descriptor_status$LAYOUT, rx_descriptor_status$OFFSET, fieldValue);
    }

    private static final long rxq$OFFSET = $LAYOUT.byteOffset(groupElement("rxq"));

    /** Offset of {@code rxq}. */
    public static long rxq$offset() {
        return rxq$OFFSET;
    }

    /** {@code rxq} as a slice of {@code struct} (a {@link rte_ethdev_qdata}). */
    public static MemorySegment rxq(MemorySegment struct) {
        return struct.asSlice(rxq$OFFSET, rte_ethdev_qdata.layout().byteSize());
    }

    private static final long reserved1$OFFSET = $LAYOUT.byteOffset(groupElement("reserved1"));

    /** Offset of {@code reserved1}. */
    public static long reserved1$offset() {
        return reserved1$OFFSET;
    }

    /** The array {@code reserved1} as a slice of {@code struct}. */
    public static MemorySegment reserved1(MemorySegment struct) {
        return struct.asSlice(reserved1$OFFSET, 3L * ValueLayout.JAVA_LONG.byteSize());
    }

    /** Reads {@code reserved1[index]}. */
    public static long reserved1(MemorySegment struct, long index) {
        return struct.get(ValueLayout.JAVA_LONG, reserved1$OFFSET + java.util.Objects.checkIndex(index, 3L) * ValueLayout.JAVA_LONG.byteSize());
    }

    /** Writes {@code reserved1[index]}. */
    public static void reserved1(MemorySegment struct, long index, long fieldValue) {
        struct.set(ValueLayout.JAVA_LONG, reserved1$OFFSET + java.util.Objects.checkIndex(index, 3L) * ValueLayout.JAVA_LONG.byteSize(), fieldValue);
    }

    private static final AddressLayout tx_pkt_burst$LAYOUT = (AddressLayout) $LAYOUT.select(groupElement("tx_pkt_burst"));
    private static final long tx_pkt_burst$OFFSET = $LAYOUT.byteOffset(groupElement("tx_pkt_burst"));

    /** Layout of {@code tx_pkt_burst}. */
    public static AddressLayout tx_pkt_burst$layout() {
        return tx_pkt_burst$LAYOUT;
    }

    /** Offset of {@code tx_pkt_burst}. */
    public static long tx_pkt_burst$offset() {
        return tx_pkt_burst$OFFSET;
    }

    /** Reads {@code tx_pkt_burst}. */
    public static MemorySegment tx_pkt_burst(MemorySegment struct) {
        return struct.get(tx_pkt_burst$LAYOUT, tx_pkt_burst$OFFSET);
    }

    /** Writes {@code tx_pkt_burst}. */
    public static void tx_pkt_burst(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(tx_pkt_burst$LAYOUT, tx_pkt_burst$OFFSET, fieldValue);
    }

    private static final AddressLayout tx_pkt_prepare$LAYOUT = (AddressLayout) $LAYOUT.select(groupElement("tx_pkt_prepare"));
    private static final long tx_pkt_prepare$OFFSET = $LAYOUT.byteOffset(groupElement("tx_pkt_prepare"));

    /** Layout of {@code tx_pkt_prepare}. */
    public static AddressLayout tx_pkt_prepare$layout() {
        return tx_pkt_prepare$LAYOUT;
    }

    /** Offset of {@code tx_pkt_prepare}. */
    public static long tx_pkt_prepare$offset() {
        return tx_pkt_prepare$OFFSET;
    }

    /** Reads {@code tx_pkt_prepare}. */
    public static MemorySegment tx_pkt_prepare(MemorySegment struct) {
        return struct.get(tx_pkt_prepare$LAYOUT, tx_pkt_prepare$OFFSET);
    }

    /** Writes {@code tx_pkt_prepare}. */
    public static void tx_pkt_prepare(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(tx_pkt_prepare$LAYOUT, tx_pkt_prepare$OFFSET, fieldValue);
    }

    private static final AddressLayout tx_descriptor_status$LAYOUT = (AddressLayout) $LAYOUT.select(groupElement("tx_descriptor_status"));
    private static final long tx_descriptor_status$OFFSET = $LAYOUT.byteOffset(groupElement("tx_descriptor_status"));

    /** Layout of {@code tx_descriptor_status}. */
    public static AddressLayout tx_descriptor_status$layout() {
        return tx_descriptor_status$LAYOUT;
    }

    /** Offset of {@code tx_descriptor_status}. */
    public static long tx_descriptor_status$offset() {
        return tx_descriptor_status$OFFSET;
    }

    /** Reads {@code tx_descriptor_status}. */
    public static MemorySegment tx_descriptor_status(MemorySegment struct) {
        return struct.get(tx_descriptor_status$LAYOUT, tx_descriptor_status$OFFSET);
    }

    /** Writes {@code tx_descriptor_status}. */
    public static void tx_descriptor_status(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(tx_descriptor_status$LAYOUT, tx_descriptor_status$OFFSET, fieldValue);
    }

    private static final long txq$OFFSET = $LAYOUT.byteOffset(groupElement("txq"));

    /** Offset of {@code txq}. */
    public static long txq$offset() {
        return txq$OFFSET;
    }

    /** {@code txq} as a slice of {@code struct} (a {@link rte_ethdev_qdata}). */
    public static MemorySegment txq(MemorySegment struct) {
        return struct.asSlice(txq$OFFSET, rte_ethdev_qdata.layout().byteSize());
    }

    private static final long reserved2$OFFSET = $LAYOUT.byteOffset(groupElement("reserved2"));

    /** Offset of {@code reserved2}. */
    public static long reserved2$offset() {
        return reserved2$OFFSET;
    }

    /** The array {@code reserved2} as a slice of {@code struct}. */
    public static MemorySegment reserved2(MemorySegment struct) {
        return struct.asSlice(reserved2$OFFSET, 3L * ValueLayout.JAVA_LONG.byteSize());
    }

    /** Reads {@code reserved2[index]}. */
    public static long reserved2(MemorySegment struct, long index) {
        return struct.get(ValueLayout.JAVA_LONG, reserved2$OFFSET + java.util.Objects.checkIndex(index, 3L) * ValueLayout.JAVA_LONG.byteSize());
    }

    /** Writes {@code reserved2[index]}. */
    public static void reserved2(MemorySegment struct, long index, long fieldValue) {
        struct.set(ValueLayout.JAVA_LONG, reserved2$OFFSET + java.util.Objects.checkIndex(index, 3L) * ValueLayout.JAVA_LONG.byteSize(), fieldValue);
    }

}
