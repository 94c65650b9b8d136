package dev.isthmus.ffi.dpdk;

import dev.isthmus.ffi.CHeader;
import dev.isthmus.ffi.Native;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * {@code <rte_mbuf.h>} of DPDK 22.11: packet-buffer pools, bulk free, and bulk allocation.
 *
 * <p>Exported in 22.11 (librte_mbuf.so.23): rte_pktmbuf_pool_create, rte_pktmbuf_free_bulk. Inline
 * (no symbol): rte_pktmbuf_alloc, rte_pktmbuf_alloc_bulk, rte_pktmbuf_free, rte_pktmbuf_reset,
 * rte_mbuf_raw_alloc. {@link #rte_pktmbuf_alloc_bulk} does in Java what the inline does for a pool
 * created with cache_size 0: dequeue through the pool's driver
 * ({@link rte_mempool_h#rte_mempool_ops_dequeue_bulk}) and reset each mbuf as rte_pktmbuf_reset does.
 */
@CHeader(value = {"rte_mbuf.h"}, pkgConfig = "libdpdk")
public final class rte_mbuf_h {
    private rte_mbuf_h() {
    }

    /** Headroom reserved at the start of each mbuf's data buffer (Debian's build config). */
    public static final int RTE_PKTMBUF_HEADROOM = 128;
    /** {@code RTE_MBUF_DEFAULT_DATAROOM + RTE_PKTMBUF_HEADROOM}: 2048 bytes of data room plus headroom. */
    public static final int RTE_MBUF_DEFAULT_BUF_SIZE = 2048 + 128;
    public static final int RTE_MBUF_DEFAULT_DATAROOM = 2048;
    /** {@code UINT16_MAX}: the port of an mbuf not received on any port. */
    public static final int RTE_MBUF_PORT_INVALID = 0xFFFF;
    /** ol_flags bit: the mbuf has an external buffer attached; kept by rte_pktmbuf_reset. */
    public static final long RTE_MBUF_F_EXTERNAL = 1L << 61;

    private static final class rte_pktmbuf_pool_create$ {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.ADDRESS,
                ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_SHORT, ValueLayout.JAVA_SHORT,
                ValueLayout.JAVA_INT);
        static final MethodHandle HANDLE = Dpdk.call("rte_pktmbuf_pool_create", DESC);
    }

    /**
     * {@code struct rte_mempool *rte_pktmbuf_pool_create(const char *name, unsigned n, unsigned cache_size,
     * uint16_t priv_size, uint16_t data_room_size, int socket_id)}: the pool, or NULL with
     * {@link Dpdk#rte_errno()} set. Use cache_size 0 if mbufs are to be allocated with
     * {@link #rte_pktmbuf_alloc_bulk}.
     */
    public static MemorySegment rte_pktmbuf_pool_create(String name, int n, int cacheSize, int privSize,
                                                        int dataRoomSize, int socketId) {
        if (privSize < 0 || privSize > 0xFFFF || dataRoomSize < 0 || dataRoomSize > 0xFFFF) {
            throw new IllegalArgumentException("priv_size " + privSize + " and data_room_size " + dataRoomSize
                    + " must fit in uint16_t");
        }
        try (Arena arena = Arena.ofConfined()) {
            // The name is copied into the pool's memzone, so a call-scoped string is enough.
            return ((MemorySegment) rte_pktmbuf_pool_create$.HANDLE.invokeExact(arena.allocateFrom(name), n,
                    cacheSize, (short) privSize, (short) dataRoomSize, socketId)).reinterpret(rte_mempool.sizeof());
        } catch (Throwable t) {
            throw Native.rethrow("rte_pktmbuf_pool_create", t);
        }
    }

    private static final class rte_pktmbuf_free_bulk$ {
        static final FunctionDescriptor DESC = FunctionDescriptor.ofVoid(ValueLayout.ADDRESS, ValueLayout.JAVA_INT);
        static final MethodHandle HANDLE = Dpdk.call("rte_pktmbuf_free_bulk", DESC);
    }

    /** {@code void rte_pktmbuf_free_bulk(struct rte_mbuf **mbufs, unsigned int count)}: frees chains; NULLs are skipped. */
    public static void rte_pktmbuf_free_bulk(MemorySegment mbufs, int count) {
        if (count < 0 || mbufs.byteSize() < (long) count * ValueLayout.ADDRESS.byteSize()) {
            throw new IllegalArgumentException("free of " + count + " mbufs does not fit an array of " + mbufs.byteSize() + " bytes");
        }
        try {
            rte_pktmbuf_free_bulk$.HANDLE.invokeExact(mbufs, count);
        } catch (Throwable t) {
            throw Native.rethrow("rte_pktmbuf_free_bulk", t);
        }
    }

    /**
     * The equivalent of the inline {@code int rte_pktmbuf_alloc_bulk(struct rte_mempool *pool,
     * struct rte_mbuf **mbufs, unsigned count)} for a pool without a per-lcore cache: 0 and {@code count}
     * reset mbufs in {@code mbufs}, or a negative errno and none.
     */
    public static int rte_pktmbuf_alloc_bulk(MemorySegment pool, MemorySegment mbufs, int count) {
        int rc = rte_mempool_h.rte_mempool_ops_dequeue_bulk(pool, mbufs, count);
        if (rc < 0) {
            return rc;
        }
        for (int i = 0; i < count; i++) {
            resetAt(mbufs.getAtIndex(ValueLayout.JAVA_LONG, i));
        }
        return 0;
    }

    /** All memory, to reset mbufs by address: a segment per mbuf would be an object per allocation. */
    private static final MemorySegment ALL = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);

    /** {@link #rte_pktmbuf_reset} of the mbuf at address {@code m}, the same fields through {@link #ALL}. */
    private static void resetAt(long m) {
        ALL.set(ValueLayout.JAVA_LONG, m + rte_mbuf.next$offset(), 0L);
        ALL.set(ValueLayout.JAVA_INT, m + rte_mbuf.pkt_len$offset(), 0);
        ALL.set(ValueLayout.JAVA_LONG, m + rte_mbuf.tx_offload$offset(), 0L);
        ALL.set(ValueLayout.JAVA_SHORT, m + rte_mbuf.vlan_tci$offset(), (short) 0);
        ALL.set(ValueLayout.JAVA_SHORT, m + rte_mbuf.vlan_tci_outer$offset(), (short) 0);
        ALL.set(ValueLayout.JAVA_SHORT, m + rte_mbuf.nb_segs$offset(), (short) 1);
        ALL.set(ValueLayout.JAVA_SHORT, m + rte_mbuf.port$offset(), (short) RTE_MBUF_PORT_INVALID);
        long flags = ALL.get(ValueLayout.JAVA_LONG, m + rte_mbuf.ol_flags$offset());
        ALL.set(ValueLayout.JAVA_LONG, m + rte_mbuf.ol_flags$offset(), flags & RTE_MBUF_F_EXTERNAL);
        ALL.set(ValueLayout.JAVA_INT, m + rte_mbuf.packet_type$offset(), 0);
        int bufLen = Short.toUnsignedInt(ALL.get(ValueLayout.JAVA_SHORT, m + rte_mbuf.buf_len$offset()));
        ALL.set(ValueLayout.JAVA_SHORT, m + rte_mbuf.data_off$offset(), (short) Math.min(RTE_PKTMBUF_HEADROOM, bufLen));
        ALL.set(ValueLayout.JAVA_SHORT, m + rte_mbuf.data_len$offset(), (short) 0);
    }

    /** The inline {@code rte_pktmbuf_reset(m)} of 22.11, field by field (sanity check compiled out). */
    public static void rte_pktmbuf_reset(MemorySegment m) {
        rte_mbuf.next(m, MemorySegment.NULL);
        rte_mbuf.pkt_len(m, 0);
        rte_mbuf.tx_offload(m, 0L);
        rte_mbuf.vlan_tci(m, (short) 0);
        rte_mbuf.vlan_tci_outer(m, (short) 0);
        rte_mbuf.nb_segs(m, (short) 1);
        rte_mbuf.port(m, (short) RTE_MBUF_PORT_INVALID);
        rte_mbuf.ol_flags(m, rte_mbuf.ol_flags(m) & RTE_MBUF_F_EXTERNAL);
        rte_mbuf.packet_type(m, 0);
        // rte_pktmbuf_reset_headroom: data_off = RTE_MIN(RTE_PKTMBUF_HEADROOM, buf_len)
        rte_mbuf.data_off(m, (short) Math.min(RTE_PKTMBUF_HEADROOM, Short.toUnsignedInt(rte_mbuf.buf_len(m))));
        rte_mbuf.data_len(m, (short) 0);
    }

    /** {@code rte_pktmbuf_mtod(m, void *)} as a segment of {@code data_len} bytes: the packet data, no copy. */
    public static MemorySegment rte_pktmbuf_mtod(MemorySegment m) {
        return rte_mbuf.buf_addr(m).reinterpret(Short.toUnsignedInt(rte_mbuf.buf_len(m)))
                .asSlice(Short.toUnsignedInt(rte_mbuf.data_off(m)), Short.toUnsignedInt(rte_mbuf.data_len(m)));
    }
}
