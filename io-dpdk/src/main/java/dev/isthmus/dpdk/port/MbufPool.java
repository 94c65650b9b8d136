package dev.isthmus.dpdk.port;

import dev.isthmus.ffi.dpdk.Dpdk;
import dev.isthmus.ffi.dpdk.rte_eal_h;
import dev.isthmus.ffi.dpdk.rte_mbuf;
import dev.isthmus.ffi.dpdk.rte_mbuf_h;
import dev.isthmus.ffi.dpdk.rte_mempool_h;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A pool of packet mbufs ({@code rte_pktmbuf_pool_create}) with no per-lcore cache.
 *
 * <p>Why cache size 0: the inline rte_mempool_get_bulk uses the cache of the calling lcore, which a Java
 * thread does not have (rte_lcore_id() is LCORE_ID_ANY on it); without a cache, getting mbufs is a plain
 * dequeue through the pool's driver, which {@link rte_mbuf_h#rte_pktmbuf_alloc_bulk} makes from Java,
 * and {@code rte_pktmbuf_free_bulk} (a real function) puts them back. Every mbuf's data room is
 * {@link rte_mbuf_h#RTE_MBUF_DEFAULT_DATAROOM} bytes after a {@link rte_mbuf_h#RTE_PKTMBUF_HEADROOM}
 * headroom: one Ethernet frame of up to 1518 bytes per mbuf.
 */
public final class MbufPool implements AutoCloseable {
    private static final AtomicInteger IDS = new AtomicInteger();
    private final String name;
    private final MemorySegment pool;
    private final int size;
    private boolean closed;

    private MbufPool(String name, MemorySegment pool, int size) {
        this.name = name;
        this.pool = pool;
        this.size = size;
    }

    /**
     * Creates a pool of {@code size} mbufs (best a power of two minus one: the ring holding them has a
     * power-of-two capacity with one slot unused). EAL must run.
     */
    public static MbufPool create(String purpose, int size) throws IOException {
        if (size < 64) {
            throw new IllegalArgumentException("an mbuf pool needs at least 64 mbufs, was " + size);
        }
        // Memzone names are at most 31 characters (RTE_MEMZONE_NAMESIZE - 1) and must be unique.
        String name = "isth" + IDS.incrementAndGet() + "_" + purpose;
        if (name.length() > 26) {
            name = name.substring(0, 26);
        }
        MemorySegment p = rte_mbuf_h.rte_pktmbuf_pool_create(name, size, 0, 0,
                rte_mbuf_h.RTE_MBUF_DEFAULT_BUF_SIZE, rte_eal_h.SOCKET_ID_ANY);
        if (p.equals(MemorySegment.NULL) || p.address() == 0) {
            int errno = Dpdk.rte_errno();
            throw new IOException("rte_pktmbuf_pool_create(" + name + ", " + size + " mbufs) failed: rte_errno " + errno
                    + (errno == 12 ? " (ENOMEM: EAL's -m is too small for the pool)" : ""));
        }
        return new MbufPool(name, p, size);
    }

    /** The {@code struct rte_mempool *}, for rx queue setup. */
    public MemorySegment address() {
        return pool;
    }

    /** The pool's name (its memzone). */
    public String name() {
        return name;
    }

    /** How many mbufs the pool holds in all. */
    public int size() {
        return size;
    }

    /** mbufs taken from the pool and not returned: in rx rings, in flight, or leaked. */
    public int inUse() {
        return rte_mempool_h.rte_mempool_in_use_count(pool);
    }

    /**
     * Takes {@code count} reset mbufs into the pointer array {@code mbufs}; returns false (and takes none)
     * if the pool has fewer left.
     */
    public boolean allocBulk(MemorySegment mbufs, int count) {
        return rte_mbuf_h.rte_pktmbuf_alloc_bulk(pool, mbufs, count) == 0;
    }

    /** Returns the {@code count} mbuf chains in {@code mbufs} to their pool (NULL entries are skipped). */
    public static void freeBulk(MemorySegment mbufs, int count) {
        if (count > 0) {
            rte_mbuf_h.rte_pktmbuf_free_bulk(mbufs, count);
        }
    }

    /** The mbuf at {@code index} of a pointer array, as a segment of {@code sizeof(struct rte_mbuf)}. */
    public static MemorySegment mbufAt(MemorySegment array, int index) {
        return array.getAtIndex(ValueLayout.ADDRESS, index).reinterpret(rte_mbuf.sizeof());
    }

    /**
     * Frees the pool. Refuses (and keeps it) while mbufs are still out: the memory they point into would
     * go with the pool, and a driver still holding one would write into freed memory.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        int out = inUse();
        if (out != 0) {
            throw new IllegalStateException("mbuf pool " + name + " still has " + out + " of " + size
                    + " mbufs in use; close the ports using it and release every mbuf first");
        }
        closed = true;
        rte_mempool_h.rte_mempool_free(pool);
    }

    @Override
    public String toString() {
        return "MbufPool[" + name + ", " + size + " mbufs]";
    }
}
