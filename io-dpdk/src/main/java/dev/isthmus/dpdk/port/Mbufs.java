package dev.isthmus.dpdk.port;

import dev.isthmus.ffi.dpdk.rte_mbuf;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The few mbuf fields the worker touches per packet, read and written by address.
 *
 * <p>Why by address: {@code rte_mbuf}'s accessors take a segment per mbuf, and making one
 * ({@code reinterpret}) for each of 32 mbufs a burst is an object each that the JIT does not always
 * remove (measured with JFR allocation samples: the largest share of the worker's allocation). Here the
 * mbufs are addressed through one segment spanning the address space, of global scope, as the mbufs'
 * memory is (EAL's, freed only at exit); the offsets are {@link rte_mbuf}'s, checked against the C
 * headers. Only {@link #data} makes an object; the rx path reads frames through {@link #ALL} at
 * {@link #dataAddress} instead.
 */
public final class Mbufs {
    /** All memory, for reading frames at their address ({@link #dataAddress}). */
    public static final MemorySegment ALL = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);
    private static final long BUF_ADDR = rte_mbuf.buf_addr$offset();
    private static final long DATA_OFF = rte_mbuf.data_off$offset();
    private static final long DATA_LEN = rte_mbuf.data_len$offset();
    private static final long BUF_LEN = rte_mbuf.buf_len$offset();
    private static final long PKT_LEN = rte_mbuf.pkt_len$offset();
    private static final long NB_SEGS = rte_mbuf.nb_segs$offset();

    private Mbufs() {
    }

    /** The mbuf address at {@code index} of a pointer array. */
    public static long at(MemorySegment array, int index) {
        return array.getAtIndex(ValueLayout.JAVA_LONG, index);
    }

    /** {@code m->nb_segs}. */
    public static int segments(long m) {
        return Short.toUnsignedInt(ALL.get(ValueLayout.JAVA_SHORT, m + NB_SEGS));
    }

    /** {@code m->pkt_len}. */
    public static int packetLength(long m) {
        return ALL.get(ValueLayout.JAVA_INT, m + PKT_LEN);
    }

    /** Sets {@code data_len} and {@code pkt_len} of a one-segment mbuf. */
    public static void setLength(long m, int length) {
        ALL.set(ValueLayout.JAVA_SHORT, m + DATA_LEN, (short) length);
        ALL.set(ValueLayout.JAVA_INT, m + PKT_LEN, length);
    }

    /** {@code rte_pktmbuf_mtod(m, void *)}: the address of the first segment's data. */
    public static long dataAddress(long m) {
        return ALL.get(ValueLayout.JAVA_LONG, m + BUF_ADDR) + Short.toUnsignedInt(ALL.get(ValueLayout.JAVA_SHORT, m + DATA_OFF));
    }

    /** {@code m->buf_addr}: the start of the mbuf's data buffer (headroom included). */
    public static long bufferAddress(long m) {
        return ALL.get(ValueLayout.JAVA_LONG, m + BUF_ADDR);
    }

    /** {@code m->buf_len}: the size of the data buffer. */
    public static int bufferLength(long m) {
        return Short.toUnsignedInt(ALL.get(ValueLayout.JAVA_SHORT, m + BUF_LEN));
    }

    /** {@code m->data_len}. */
    public static int dataLength(long m) {
        return Short.toUnsignedInt(ALL.get(ValueLayout.JAVA_SHORT, m + DATA_LEN));
    }

    /** {@code rte_pktmbuf_mtod(m)} as a segment of {@code data_len} bytes: the first segment's data, no copy. */
    public static MemorySegment data(long m) {
        long buf = ALL.get(ValueLayout.JAVA_LONG, m + BUF_ADDR);
        int off = Short.toUnsignedInt(ALL.get(ValueLayout.JAVA_SHORT, m + DATA_OFF));
        int len = Short.toUnsignedInt(ALL.get(ValueLayout.JAVA_SHORT, m + DATA_LEN));
        return ALL.asSlice(buf + off, len);
    }
}
