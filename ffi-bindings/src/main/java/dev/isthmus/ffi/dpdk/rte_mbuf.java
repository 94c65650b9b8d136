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
 * The packet buffer descriptor (128 bytes, two cache lines). The packet's bytes are at
 * {@code buf_addr + data_off}, {@code data_len} long in this segment, {@code pkt_len} over the chain
 * linked by {@code next}. {@code hash} is the RSS hash ({@code hash.rss}, 8 bytes of union).
 * The bitfield views ({@code l2_type}..., {@code l2_len}...) are reached through the words
 * {@code packet_type} and {@code tx_offload}.
 *
 * <pre>{@code
 * struct rte_mbuf {                    // DPDK 22.11, RTE_IOVA_AS_PA = 1 (Debian's build)
 *     void *buf_addr;  rte_iova_t buf_iova;
 *     uint16_t data_off, refcnt, nb_segs, port;        // rearm_data
 *     uint64_t ol_flags;
 *     uint32_t packet_type;                            // rx_descriptor_fields1 (union with bitfields)
 *     uint32_t pkt_len; uint16_t data_len; uint16_t vlan_tci;
 *     union { union { uint32_t rss; struct {...} fdir; ... } hash; };
 *     uint16_t vlan_tci_outer; uint16_t buf_len;
 *     struct rte_mempool *pool;
 *     // second cache line
 *     struct rte_mbuf *next;
 *     union { uint64_t tx_offload; struct { uint64_t l2_len:7, l3_len:9, l4_len:8, ...; }; };
 *     struct rte_mbuf_ext_shared_info *shinfo;
 *     uint16_t priv_size; uint16_t timesync;
 *     uint32_t dynfield1[9];
 * } __rte_cache_aligned;
 * }</pre>
 */
@CStruct(value = "struct rte_mbuf", includes = {"rte_mbuf.h"}, pkgConfig = "libdpdk")
public final class rte_mbuf {
    private rte_mbuf() {
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
            ValueLayout.ADDRESS.withName("buf_addr"),
            ValueLayout.JAVA_LONG.withName("buf_iova"),
            ValueLayout.JAVA_SHORT.withName("data_off"),
            ValueLayout.JAVA_SHORT.withName("refcnt"),
            ValueLayout.JAVA_SHORT.withName("nb_segs"),
            ValueLayout.JAVA_SHORT.withName("port"),
            ValueLayout.JAVA_LONG.withName("ol_flags"),
            MemoryLayout.unionLayout(
                ValueLayout.JAVA_INT.withName("packet_type")
            ).withName("$anon0"),
            ValueLayout.JAVA_INT.withName("pkt_len"),
            ValueLayout.JAVA_SHORT.withName("data_len"),
            ValueLayout.JAVA_SHORT.withName("vlan_tci"),
            MemoryLayout.unionLayout(
                MemoryLayout.unionLayout(
                    ValueLayout.JAVA_INT.withName("rss"),
                    MemoryLayout.paddingLayout(8)
                ).withName("hash")
            ).withName("$anon1"),
            ValueLayout.JAVA_SHORT.withName("vlan_tci_outer"),
            ValueLayout.JAVA_SHORT.withName("buf_len"),
            ValueLayout.ADDRESS.withName("pool"),
            ValueLayout.ADDRESS.withName("next"),
            MemoryLayout.unionLayout(
                ValueLayout.JAVA_LONG.withName("tx_offload")
            ).withName("$anon2"),
            ValueLayout.ADDRESS.withName("shinfo"),
            ValueLayout.JAVA_SHORT.withName("priv_size"),
            ValueLayout.JAVA_SHORT.withName("timesync"),
            MemoryLayout.sequenceLayout(9, ValueLayout.JAVA_INT).withName("dynfield1")
    ).withByteAlignment(64).withName("rte_mbuf");

    /** The layout of {@code struct rte_mbuf}. */
    public static GroupLayout layout() {
        return $LAYOUT;
    }

    /** {@code sizeof(struct rte_mbuf)}. */
    public static long sizeof() {
        return $LAYOUT.byteSize();
    }

    /** Allocates one zeroed {@code struct rte_mbuf}. */
    public static MemorySegment allocate(SegmentAllocator allocator) {
        return allocator.allocate($LAYOUT);
    }

    private static final AddressLayout buf_addr$LAYOUT = (AddressLayout) $LAYOUT.select(groupElement("buf_addr"));
    private static final long buf_addr$OFFSET = $LAYOUT.byteOffset(groupElement("buf_addr"));

    /** Layout of {@code buf_addr}. */
    public static AddressLayout buf_addr$layout() {
        return buf_addr$LAYOUT;
    }

    /** Offset of {@code buf_addr}. */
    public static long buf_addr$offset() {
        return buf_addr$OFFSET;
    }

    /** Reads {@code buf_addr}. */
    public static MemorySegment buf_addr(MemorySegment struct) {
        return struct.get(buf_addr$LAYOUT, buf_addr$OFFSET);
    }

    /** Writes {@code buf_addr}. */
    public static void buf_addr(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(buf_addr$LAYOUT, buf_addr$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfLong buf_iova$LAYOUT = (ValueLayout.OfLong) $LAYOUT.select(groupElement("buf_iova"));
    private static final long buf_iova$OFFSET = $LAYOUT.byteOffset(groupElement("buf_iova"));

    /** Layout of {@code buf_iova}. */
    public static ValueLayout.OfLong buf_iova$layout() {
        return buf_iova$LAYOUT;
    }

    /** Offset of {@code buf_iova}. */
    public static long buf_iova$offset() {
        return buf_iova$OFFSET;
    }

    /** Reads {@code buf_iova}. */
    public static long buf_iova(MemorySegment struct) {
        return struct.get(buf_iova$LAYOUT, buf_iova$OFFSET);
    }

    /** Writes {@code buf_iova}. */
    public static void buf_iova(MemorySegment struct, long fieldValue) {
        struct.set(buf_iova$LAYOUT, buf_iova$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfShort data_off$LAYOUT = (ValueLayout.OfShort) $LAYOUT.select(groupElement("data_off"));
    private static final long data_off$OFFSET = $LAYOUT.byteOffset(groupElement("data_off"));

    /** Layout of {@code data_off}. */
    public static ValueLayout.OfShort data_off$layout() {
        return data_off$LAYOUT;
    }

    /** Offset of {@code data_off}. */
    public static long data_off$offset() {
        return data_off$OFFSET;
    }

    /** Reads {@code data_off}. */
    public static short data_off(MemorySegment struct) {
        return struct.get(data_off$LAYOUT, data_off$OFFSET);
    }

    /** Writes {@code data_off}. */
    public static void data_off(MemorySegment struct, short fieldValue) {
        struct.set(data_off$LAYOUT, data_off$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfShort refcnt$LAYOUT = (ValueLayout.OfShort) $LAYOUT.select(groupElement("refcnt"));
    private static final long refcnt$OFFSET = $LAYOUT.byteOffset(groupElement("refcnt"));

    /** Layout of {@code refcnt}. */
    public static ValueLayout.OfShort refcnt$layout() {
        return refcnt$LAYOUT;
    }

    /** Offset of {@code refcnt}. */
    public static long refcnt$offset() {
        return refcnt$OFFSET;
    }

    /** Reads {@code refcnt}. */
    public static short refcnt(MemorySegment struct) {
        return struct.get(refcnt$LAYOUT, refcnt$OFFSET);
    }

    /** Writes {@code refcnt}. */
    public static void refcnt(MemorySegment struct, short fieldValue) {
        struct.set(refcnt$LAYOUT, refcnt$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfShort nb_segs$LAYOUT = (ValueLayout.OfShort) $LAYOUT.select(groupElement("nb_segs"));
    private static final long nb_segs$OFFSET = $LAYOUT.byteOffset(groupElement("nb_segs"));

    /** Layout of {@code nb_segs}. */
    public static ValueLayout.OfShort nb_segs$layout() {
        return nb_segs$LAYOUT;
    }

    /** Offset of {@code nb_segs}. */
    public static long nb_segs$offset() {
        return nb_segs$OFFSET;
    }

    /** Reads {@code nb_segs}. */
    public static short nb_segs(MemorySegment struct) {
        return struct.get(nb_segs$LAYOUT, nb_segs$OFFSET);
    }

    /** Writes {@code nb_segs}. */
    public static void nb_segs(MemorySegment struct, short fieldValue) {
        struct.set(nb_segs$LAYOUT, nb_segs$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfShort port$LAYOUT = (ValueLayout.OfShort) $LAYOUT.select(groupElement("port"));
    private static final long port$OFFSET = $LAYOUT.byteOffset(groupElement("port"));

    /** Layout of {@code port}. */
    public static ValueLayout.OfShort port$layout() {
        return port$LAYOUT;
    }

    /** Offset of {@code port}. */
    public static long port$offset() {
        return port$OFFSET;
    }

    /** Reads {@code port}. */
    public static short port(MemorySegment struct) {
        return struct.get(port$LAYOUT, port$OFFSET);
    }

    /** Writes {@code port}. */
    public static void port(MemorySegment struct, short fieldValue) {
        struct.set(port$LAYOUT, port$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfLong ol_flags$LAYOUT = (ValueLayout.OfLong) $LAYOUT.select(groupElement("ol_flags"));
    private static final long ol_flags$OFFSET = $LAYOUT.byteOffset(groupElement("ol_flags"));

    /** Layout of {@code ol_flags}. */
    public static ValueLayout.OfLong ol_flags$layout() {
        return ol_flags$LAYOUT;
    }

    /** Offset of {@code ol_flags}. */
    public static long ol_flags$offset() {
        return ol_flags$OFFSET;
    }

    /** Reads {@code ol_flags}. */
    public static long ol_flags(MemorySegment struct) {
        return struct.get(ol_flags$LAYOUT, ol_flags$OFFSET);
    }

    /** Writes {@code ol_flags}. */
    public static void ol_flags(MemorySegment struct, long fieldValue) {
        struct.set(ol_flags$LAYOUT, ol_flags$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfInt packet_type$LAYOUT = (ValueLayout.OfInt) $LAYOUT.select(groupElement("$anon0"), groupElement("packet_type"));
    private static final long packet_type$OFFSET = $LAYOUT.byteOffset(groupElement("$anon0"), groupElement("packet_type"));

    /** Layout of {@code packet_type}. */
    public static ValueLayout.OfInt packet_type$layout() {
        return packet_type$LAYOUT;
    }

    /** Offset of {@code packet_type}. */
    public static long packet_type$offset() {
        return packet_type$OFFSET;
    }

    /** Reads {@code packet_type}. */
    public static int packet_type(MemorySegment struct) {
        return struct.get(packet_type$LAYOUT, packet_type$OFFSET);
    }

    /** Writes {@code packet_type}. */
    public static void packet_type(MemorySegment struct, int fieldValue) {
        struct.set(packet_type$LAYOUT, packet_type$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfInt pkt_len$LAYOUT = (ValueLayout.OfInt) $LAYOUT.select(groupElement("pkt_len"));
    private static final long pkt_len$OFFSET = $LAYOUT.byteOffset(groupElement("pkt_len"));

    /** Layout of {@code pkt_len}. */
    public static ValueLayout.OfInt pkt_len$layout() {
        return pkt_len$LAYOUT;
    }

    /** Offset of {@code pkt_len}. */
    public static long pkt_len$offset() {
        return pkt_len$OFFSET;
    }

    /** Reads {@code pkt_len}. */
    public static int pkt_len(MemorySegment struct) {
        return struct.get(pkt_len$LAYOUT, pkt_len$OFFSET);
    }

    /** Writes {@code pkt_len}. */
    public static void pkt_len(MemorySegment struct, int fieldValue) {
        struct.set(pkt_len$LAYOUT, pkt_len$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfShort data_len$LAYOUT = (ValueLayout.OfShort) $LAYOUT.select(groupElement("data_len"));
    private static final long data_len$OFFSET = $LAYOUT.byteOffset(groupElement("data_len"));

    /** Layout of {@code data_len}. */
    public static ValueLayout.OfShort data_len$layout() {
        return data_len$LAYOUT;
    }

    /** Offset of {@code data_len}. */
    public static long data_len$offset() {
        return data_len$OFFSET;
    }

    /** Reads {@code data_len}. */
    public static short data_len(MemorySegment struct) {
        return struct.get(data_len$LAYOUT, data_len$OFFSET);
    }

    /** Writes {@code data_len}. */
    public static void data_len(MemorySegment struct, short fieldValue) {
        struct.set(data_len$LAYOUT, data_len$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfShort vlan_tci$LAYOUT = (ValueLayout.OfShort) $LAYOUT.select(groupElement("vlan_tci"));
    private static final long vlan_tci$OFFSET = $LAYOUT.byteOffset(groupElement("vlan_tci"));

    /** Layout of {@code vlan_tci}. */
    public static ValueLayout.OfShort vlan_tci$layout() {
        return vlan_tci$LAYOUT;
    }

    /** Offset of {@code vlan_tci}. */
    public static long vlan_tci$offset() {
        return vlan_tci$OFFSET;
    }

    /** Reads {@code vlan_tci}. */
    public static short vlan_tci(MemorySegment struct) {
        return struct.get(vlan_tci$LAYOUT, vlan_tci$OFFSET);
    }

    /** Writes {@code vlan_tci}. */
    public static void vlan_tci(MemorySegment struct, short fieldValue) {
        struct.set(vlan_tci$LAYOUT, vlan_tci$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfInt rss$LAYOUT = (ValueLayout.OfInt) $LAYOUT.select(groupElement("$anon1"), groupElement("hash"), groupElement("rss"));
    private static final long rss$OFFSET = $LAYOUT.byteOffset(groupElement("$anon1"), groupElement("hash"), groupElement("rss"));

    /** Layout of {@code rss}. */
    public static ValueLayout.OfInt rss$layout() {
        return rss$LAYOUT;
    }

    /** Offset of {@code rss}. */
    public static long rss$offset() {
        return rss$OFFSET;
    }

    /** Reads {@code rss}. */
    public static int rss(MemorySegment struct) {
        return struct.get(rss$LAYOUT, rss$OFFSET);
    }

    /** Writes {@code rss}. */
    public static void rss(MemorySegment struct, int fieldValue) {
        struct.set(rss$LAYOUT, rss$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfShort vlan_tci_outer$LAYOUT = (ValueLayout.OfShort) $LAYOUT.select(groupElement("vlan_tci_outer"));
    private static final long vlan_tci_outer$OFFSET = $LAYOUT.byteOffset(groupElement("vlan_tci_outer"));

    /** Layout of {@code vlan_tci_outer}. */
    public static ValueLayout.OfShort vlan_tci_outer$layout() {
        return vlan_tci_outer$LAYOUT;
    }

    /** Offset of {@code vlan_tci_outer}. */
    public static long vlan_tci_outer$offset() {
        return vlan_tci_outer$OFFSET;
    }

    /** Reads {@code vlan_tci_outer}. */
    public static short vlan_tci_outer(MemorySegment struct) {
        return struct.get(vlan_tci_outer$LAYOUT, vlan_tci_outer$OFFSET);
    }

    /** Writes {@code vlan_tci_outer}. */
    public static void vlan_tci_outer(MemorySegment struct, short fieldValue) {
        struct.set(vlan_tci_outer$LAYOUT, vlan_tci_outer$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfShort buf_len$LAYOUT = (ValueLayout.OfShort) $LAYOUT.select(groupElement("buf_len"));
    private static final long buf_len$OFFSET = $LAYOUT.byteOffset(groupElement("buf_len"));

    /** Layout of {@code buf_len}. */
    public static ValueLayout.OfShort buf_len$layout() {
        return buf_len$LAYOUT;
    }

    /** Offset of {@code buf_len}. */
    public static long buf_len$offset() {
        return buf_len$OFFSET;
    }

    /** Reads {@code buf_len}. */
    public static short buf_len(MemorySegment struct) {
        return struct.get(buf_len$LAYOUT, buf_len$OFFSET);
    }

    /** Writes {@code buf_len}. */
    public static void buf_len(MemorySegment struct, short fieldValue) {
        struct.set(buf_len$LAYOUT, buf_len$OFFSET, fieldValue);
    }

    private static final AddressLayout pool$LAYOUT = (AddressLayout) $LAYOUT.select(groupElement("pool"));
    private static final long pool$OFFSET = $LAYOUT.byteOffset(groupElement("pool"));

    /** Layout of {@code pool}. */
    public static AddressLayout pool$layout() {
        return pool$LAYOUT;
    }

    /** Offset of {@code pool}. */
    public static long pool$offset() {
        return pool$OFFSET;
    }

    /** Reads {@code pool}. */
    public static MemorySegment pool(MemorySegment struct) {
        return struct.get(pool$LAYOUT, pool$OFFSET);
    }

    /** Writes {@code pool}. */
    public static void pool(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(pool$LAYOUT, pool$OFFSET, fieldValue);
    }

    private static final AddressLayout next$LAYOUT = (AddressLayout) $LAYOUT.select(groupElement("next"));
    private static final long next$OFFSET = $LAYOUT.byteOffset(groupElement("next"));

    /** Layout of {@code next}. */
    public static AddressLayout next$layout() {
        return next$LAYOUT;
    }

    /** Offset of {@code next}. */
    public static long next$offset() {
        return next$OFFSET;
    }

    /** Reads {@code next}. */
    public static MemorySegment next(MemorySegment struct) {
        return struct.get(next$LAYOUT, next$OFFSET);
    }

    /** Writes {@code next}. */
    public static void next(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(next$LAYOUT, next$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfLong tx_offload$LAYOUT = (ValueLayout.OfLong) $LAYOUT.select(groupElement("$anon2"), groupElement("tx_offload"));
    private static final long tx_offload$OFFSET = $LAYOUT.byteOffset(groupElement("$anon2"), groupElement("tx_offload"));

    /** Layout of {@code tx_offload}. */
    public static ValueLayout.OfLong tx_offload$layout() {
        return tx_offload$LAYOUT;
    }

    /** Offset of {@code tx_offload}. */
    public static long tx_offload$offset() {
        return tx_offload$OFFSET;
    }

    /** Reads {@code tx_offload}. */
    public static long tx_offload(MemorySegment struct) {
        return struct.get(tx_offload$LAYOUT, tx_offload$OFFSET);
    }

    /** Writes {@code tx_offload}. */
    public static void tx_offload(MemorySegment struct, long fieldValue) {
        struct.set(tx_offload$LAYOUT, tx_offload$OFFSET, fieldValue);
    }

    private static final AddressLayout shinfo$LAYOUT = (AddressLayout) $LAYOUT.select(groupElement("shinfo"));
    private static final long shinfo$OFFSET = $LAYOUT.byteOffset(groupElement("shinfo"));

    /** Layout of {@code shinfo}. */
    public static AddressLayout shinfo$layout() {
        return shinfo$LAYOUT;
    }

    /** Offset of {@code shinfo}. */
    public static long shinfo$offset() {
        return shinfo$OFFSET;
    }

    /** Reads {@code shinfo}. */
    public static MemorySegment shinfo(MemorySegment struct) {
        return struct.get(shinfo$LAYOUT, shinfo$OFFSET);
    }

    /** Writes {@code shinfo}. */
    public static void shinfo(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(shinfo$LAYOUT, shinfo$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfShort priv_size$LAYOUT = (ValueLayout.OfShort) $LAYOUT.select(groupElement("priv_size"));
    private static final long priv_size$OFFSET = $LAYOUT.byteOffset(groupElement("priv_size"));

    /** Layout of {@code priv_size}. */
    public static ValueLayout.OfShort priv_size$layout() {
        return priv_size$LAYOUT;
    }

    /** Offset of {@code priv_size}. */
    public static long priv_size$offset() {
        return priv_size$OFFSET;
    }

    /** Reads {@code priv_size}. */
    public static short priv_size(MemorySegment struct) {
        return struct.get(priv_size$LAYOUT, priv_size$OFFSET);
    }

    /** Writes {@code priv_size}. */
    public static void priv_size(MemorySegment struct, short fieldValue) {
        struct.set(priv_size$LAYOUT, priv_size$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfShort timesync$LAYOUT = (ValueLayout.OfShort) $LAYOUT.select(groupElement("timesync"));
    private static final long timesync$OFFSET = $LAYOUT.byteOffset(groupElement("timesync"));

    /** Layout of {@code timesync}. */
    public static ValueLayout.OfShort timesync$layout() {
        return timesync$LAYOUT;
    }

    /** Offset of {@code timesync}. */
    public static long timesync$offset() {
        return timesync$OFFSET;
    }

    /** Reads {@code timesync}. */
    public static short timesync(MemorySegment struct) {
        return struct.get(timesync$LAYOUT, timesync$OFFSET);
    }

    /** Writes {@code timesync}. */
    public static void timesync(MemorySegment struct, short fieldValue) {
        struct.set(timesync$LAYOUT, timesync$OFFSET, fieldValue);
    }

    private static final long dynfield1$OFFSET = $LAYOUT.byteOffset(groupElement("dynfield1"));

    /** Offset of {@code dynfield1}. */
    public static long dynfield1$offset() {
        return dynfield1$OFFSET;
    }

    /** The array {@code dynfield1} as a slice of {@code struct}. */
    public static MemorySegment dynfield1(MemorySegment struct) {
        return struct.asSlice(dynfield1$OFFSET, 9L * ValueLayout.JAVA_INT.byteSize());
    }

    /** Reads {@code dynfield1[index]}. */
    public static int dynfield1(MemorySegment struct, long index) {
        return struct.get(ValueLayout.JAVA_INT, dynfield1$OFFSET + java.util.Objects.checkIndex(index, 9L) * ValueLayout.JAVA_INT.byteSize());
    }

    /** Writes {@code dynfield1[index]}. */
    public static void dynfield1(MemorySegment struct, long index, int fieldValue) {
        struct.set(ValueLayout.JAVA_INT, dynfield1$OFFSET + java.util.Objects.checkIndex(index, 9L) * ValueLayout.JAVA_INT.byteSize(), fieldValue);
    }

}
