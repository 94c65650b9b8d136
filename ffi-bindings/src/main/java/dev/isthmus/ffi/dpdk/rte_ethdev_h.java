package dev.isthmus.ffi.dpdk;

import dev.isthmus.ffi.CHeader;
import dev.isthmus.ffi.Native;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Objects;

/**
 * {@code <rte_ethdev.h>} (with {@code <rte_ether.h>}) of DPDK 22.11: port setup, and the rx/tx bursts.
 *
 * <p>rte_eth_rx_burst and rte_eth_tx_burst are {@code static inline} in 22.11, so there is no symbol to
 * link. They read the exported array {@code rte_eth_fp_ops[RTE_MAX_ETHPORTS]} (see
 * {@link rte_eth_fp_ops}) and call {@code rx_pkt_burst(rxq.data[queue_id], pkts, n)}; that is what
 * {@link #rte_eth_rx_burst} and {@link #rte_eth_tx_burst} do here, without a C shim. Debian's build
 * defines RTE_ETHDEV_RXTX_CALLBACKS (rte_config.h), so, as the inlines do, the rx callbacks run after the
 * driver's rx burst and the tx callbacks before its tx burst, through the exported
 * rte_eth_call_rx_callbacks / rte_eth_call_tx_callbacks, whenever {@code clbk[queue_id]} is set (by
 * rte_eth_add_rx_callback and friends). The RTE_ETHDEV_DEBUG_RX/TX argument checks are compiled out in
 * Debian's build; port and queue are checked in Java instead. The driver's burst function pointer and queue pointer are read per call,
 * as the inline does, because rte_eth_dev_start/stop replace them.
 */
@CHeader(value = {"rte_ethdev.h", "rte_ether.h"}, pkgConfig = "libdpdk")
public final class rte_ethdev_h {
    private rte_ethdev_h() {
    }

    /** Size of the {@code rte_eth_fp_ops} table (Debian's build config). */
    public static final int RTE_MAX_ETHPORTS = 32;
    /** Size of each port's {@code rxq.data}/{@code txq.data} queue array. */
    public static final int RTE_MAX_QUEUES_PER_PORT = 1024;
    public static final int RTE_ETHER_ADDR_LEN = 6;

    private static final class rte_eth_dev_count_avail$ {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(ValueLayout.JAVA_SHORT);
        static final MethodHandle HANDLE = Dpdk.call("rte_eth_dev_count_avail", DESC);
    }

    /** {@code uint16_t rte_eth_dev_count_avail(void)}: the number of usable ports. */
    public static int rte_eth_dev_count_avail() {
        try {
            return Short.toUnsignedInt((short) rte_eth_dev_count_avail$.HANDLE.invokeExact());
        } catch (Throwable t) {
            throw Native.rethrow("rte_eth_dev_count_avail", t);
        }
    }

    private static final class rte_eth_dev_configure$ {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_SHORT, ValueLayout.JAVA_SHORT, ValueLayout.JAVA_SHORT, ValueLayout.ADDRESS);
        static final MethodHandle HANDLE = Dpdk.call("rte_eth_dev_configure", DESC);
    }

    /** {@code int rte_eth_dev_configure(uint16_t port_id, uint16_t nb_rx_queue, uint16_t nb_tx_queue, const struct rte_eth_conf *eth_conf)}: 0 or a negative errno; {@code ethConf} is a {@link rte_eth_conf}. */
    public static int rte_eth_dev_configure(int portId, int nbRxQueue, int nbTxQueue, MemorySegment ethConf) {
        try {
            return (int) rte_eth_dev_configure$.HANDLE.invokeExact((short) portId, (short) nbRxQueue, (short) nbTxQueue, ethConf);
        } catch (Throwable t) {
            throw Native.rethrow("rte_eth_dev_configure", t);
        }
    }

    private static final class rte_eth_rx_queue_setup$ {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_SHORT, ValueLayout.JAVA_SHORT, ValueLayout.JAVA_SHORT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS);
        static final MethodHandle HANDLE = Dpdk.call("rte_eth_rx_queue_setup", DESC);
    }

    /** {@code int rte_eth_rx_queue_setup(uint16_t port_id, uint16_t rx_queue_id, uint16_t nb_rx_desc, unsigned int socket_id, const struct rte_eth_rxconf *rx_conf, struct rte_mempool *mb_pool)}: 0 or a negative errno; {@code rxConf} may be NULL for the driver's defaults. */
    public static int rte_eth_rx_queue_setup(int portId, int rxQueueId, int nbRxDesc, int socketId, MemorySegment rxConf, MemorySegment mbPool) {
        try {
            return (int) rte_eth_rx_queue_setup$.HANDLE.invokeExact((short) portId, (short) rxQueueId, (short) nbRxDesc, socketId, rxConf, mbPool);
        } catch (Throwable t) {
            throw Native.rethrow("rte_eth_rx_queue_setup", t);
        }
    }

    private static final class rte_eth_tx_queue_setup$ {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_SHORT, ValueLayout.JAVA_SHORT, ValueLayout.JAVA_SHORT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS);
        static final MethodHandle HANDLE = Dpdk.call("rte_eth_tx_queue_setup", DESC);
    }

    /** {@code int rte_eth_tx_queue_setup(uint16_t port_id, uint16_t tx_queue_id, uint16_t nb_tx_desc, unsigned int socket_id, const struct rte_eth_txconf *tx_conf)}: 0 or a negative errno; {@code txConf} may be NULL. */
    public static int rte_eth_tx_queue_setup(int portId, int txQueueId, int nbTxDesc, int socketId, MemorySegment txConf) {
        try {
            return (int) rte_eth_tx_queue_setup$.HANDLE.invokeExact((short) portId, (short) txQueueId, (short) nbTxDesc, socketId, txConf);
        } catch (Throwable t) {
            throw Native.rethrow("rte_eth_tx_queue_setup", t);
        }
    }

    private static final class rte_eth_dev_start$ {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_SHORT);
        static final MethodHandle HANDLE = Dpdk.call("rte_eth_dev_start", DESC);
    }

    /** {@code int rte_eth_dev_start(uint16_t port_id)}: 0 or a negative errno. */
    public static int rte_eth_dev_start(int portId) {
        try {
            return (int) rte_eth_dev_start$.HANDLE.invokeExact((short) portId);
        } catch (Throwable t) {
            throw Native.rethrow("rte_eth_dev_start", t);
        }
    }

    private static final class rte_eth_dev_stop$ {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_SHORT);
        static final MethodHandle HANDLE = Dpdk.call("rte_eth_dev_stop", DESC);
    }

    /** {@code int rte_eth_dev_stop(uint16_t port_id)}: 0 or a negative errno. */
    public static int rte_eth_dev_stop(int portId) {
        try {
            return (int) rte_eth_dev_stop$.HANDLE.invokeExact((short) portId);
        } catch (Throwable t) {
            throw Native.rethrow("rte_eth_dev_stop", t);
        }
    }

    private static final class rte_eth_dev_close$ {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_SHORT);
        static final MethodHandle HANDLE = Dpdk.call("rte_eth_dev_close", DESC);
    }

    /** {@code int rte_eth_dev_close(uint16_t port_id)}: 0 or a negative errno. */
    public static int rte_eth_dev_close(int portId) {
        try {
            return (int) rte_eth_dev_close$.HANDLE.invokeExact((short) portId);
        } catch (Throwable t) {
            throw Native.rethrow("rte_eth_dev_close", t);
        }
    }

    private static final class rte_eth_macaddr_get$ {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_SHORT, ValueLayout.ADDRESS);
        static final MethodHandle HANDLE = Dpdk.call("rte_eth_macaddr_get", DESC);
    }

    /** {@code int rte_eth_macaddr_get(uint16_t port_id, struct rte_ether_addr *mac_addr)}: 0 or a negative errno; fills a {@link rte_ether_addr}. */
    public static int rte_eth_macaddr_get(int portId, MemorySegment macAddr) {
        try {
            return (int) rte_eth_macaddr_get$.HANDLE.invokeExact((short) portId, macAddr);
        } catch (Throwable t) {
            throw Native.rethrow("rte_eth_macaddr_get", t);
        }
    }

    private static final class rte_eth_promiscuous_enable$ {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_SHORT);
        static final MethodHandle HANDLE = Dpdk.call("rte_eth_promiscuous_enable", DESC);
    }

    /** {@code int rte_eth_promiscuous_enable(uint16_t port_id)}: 0 or a negative errno. */
    public static int rte_eth_promiscuous_enable(int portId) {
        try {
            return (int) rte_eth_promiscuous_enable$.HANDLE.invokeExact((short) portId);
        } catch (Throwable t) {
            throw Native.rethrow("rte_eth_promiscuous_enable", t);
        }
    }

    private static final class rte_eth_dev_get_port_by_name$ {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS);
        static final MethodHandle HANDLE = Dpdk.call("rte_eth_dev_get_port_by_name", DESC);
    }

    /** {@code int rte_eth_dev_get_port_by_name(const char *name, uint16_t *port_id)}: 0 and the port in {@code *portId}, or a negative errno. */
    public static int rte_eth_dev_get_port_by_name(MemorySegment name, MemorySegment portId) {
        try {
            return (int) rte_eth_dev_get_port_by_name$.HANDLE.invokeExact(name, portId);
        } catch (Throwable t) {
            throw Native.rethrow("rte_eth_dev_get_port_by_name", t);
        }
    }

    private static final class rte_eth_dev_set_mtu$ {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_SHORT, ValueLayout.JAVA_SHORT);
        static final MethodHandle HANDLE = Dpdk.call("rte_eth_dev_set_mtu", DESC);
    }

    /** {@code int rte_eth_dev_set_mtu(uint16_t port_id, uint16_t mtu)}: 0 or a negative errno (-ENOTSUP if the driver cannot). */
    public static int rte_eth_dev_set_mtu(int portId, int mtu) {
        try {
            return (int) rte_eth_dev_set_mtu$.HANDLE.invokeExact((short) portId, (short) mtu);
        } catch (Throwable t) {
            throw Native.rethrow("rte_eth_dev_set_mtu", t);
        }
    }

    // ---- fast path through the exported rte_eth_fp_ops table -------------------------------------

    private static final class fp$ {
        static final MemorySegment TABLE = Dpdk.data("rte_eth_fp_ops",
                RTE_MAX_ETHPORTS * rte_eth_fp_ops.sizeof());
        // The fast path reads the table's pointers as plain words through one segment spanning the address
        // space (the table, the queue arrays and the drivers' queues are DPDK's, alive until exit): a
        // MemorySegment per pointer read would be an object per burst on the worker's hot path.
        static final MemorySegment ALL = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);
        static final long BASE = TABLE.address();
        static final long RX_BURST = rte_eth_fp_ops.rx_pkt_burst$offset();
        static final long TX_BURST = rte_eth_fp_ops.tx_pkt_burst$offset();
        static final long RXQ = rte_eth_fp_ops.rxq$offset();
        static final long TXQ = rte_eth_fp_ops.txq$offset();
        static final long DATA = rte_ethdev_qdata.data$offset();
        static final long CLBK = rte_ethdev_qdata.clbk$offset();
        static final java.lang.invoke.VarHandle WORD = ValueLayout.JAVA_LONG.varHandle();
        // uint16_t (*)(void *queue, struct rte_mbuf **pkts, uint16_t nb_pkts). The queue pointer is passed
        // as a 64-bit integer, which the LP64 calling conventions (SysV x86-64, AAPCS64) pass exactly as a
        // pointer. Critical: PMD bursts poll descriptors (or do a non-blocking read for net_tap) and never
        // block.
        static final MethodHandle BURST = Native.LINKER.downcallHandle(
                FunctionDescriptor.of(ValueLayout.JAVA_SHORT, ValueLayout.JAVA_LONG, ValueLayout.ADDRESS,
                        ValueLayout.JAVA_SHORT),
                java.lang.foreign.Linker.Option.critical(false));
        // Exported helpers the inlines call when a queue has callbacks. Not critical: a user callback
        // may do anything.
        static final MethodHandle RX_CALLBACKS = Dpdk.call("rte_eth_call_rx_callbacks", FunctionDescriptor.of(
                ValueLayout.JAVA_SHORT, ValueLayout.JAVA_SHORT, ValueLayout.JAVA_SHORT, ValueLayout.ADDRESS,
                ValueLayout.JAVA_SHORT, ValueLayout.JAVA_SHORT, ValueLayout.JAVA_LONG));
        static final MethodHandle TX_CALLBACKS = Dpdk.call("rte_eth_call_tx_callbacks", FunctionDescriptor.of(
                ValueLayout.JAVA_SHORT, ValueLayout.JAVA_SHORT, ValueLayout.JAVA_SHORT, ValueLayout.ADDRESS,
                ValueLayout.JAVA_SHORT, ValueLayout.JAVA_LONG));
    }

    /*
     * The driver's burst function of each port, as the segment a downcall without a fixed target takes
     * first: made once per port and function, and again only if the port's entry changes (a port started
     * anew), so a burst makes no object even where the JIT does not remove MemorySegment.ofAddress (it
     * did not, after other code had run in the JVM: 40 bytes per burst). Racy by design: a stale or
     * missing entry only costs a new segment; MemorySegment is immutable, so a reader never sees half of one.
     */
    private static final MemorySegment[] RX_FN = new MemorySegment[RTE_MAX_ETHPORTS];
    private static final MemorySegment[] TX_FN = new MemorySegment[RTE_MAX_ETHPORTS];

    private static MemorySegment function(MemorySegment[] cache, int portId, long fn) {
        MemorySegment s = cache[portId];
        if (s == null || s.address() != fn) {
            s = MemorySegment.ofAddress(fn);
            cache[portId] = s;
        }
        return s;
    }

    /** {@code &rte_eth_fp_ops[portId]}: one port's fast-path entry (a {@link rte_eth_fp_ops}). */
    public static MemorySegment rte_eth_fp_ops(int portId) {
        Objects.checkIndex(portId, RTE_MAX_ETHPORTS);
        return fp$.TABLE.asSlice(portId * rte_eth_fp_ops.sizeof(), rte_eth_fp_ops.layout());
    }

    /** The address of {@code rte_eth_fp_ops[portId]}. */
    private static long entry(int portId, int queueId) {
        Objects.checkIndex(portId, RTE_MAX_ETHPORTS);
        Objects.checkIndex(queueId, RTE_MAX_QUEUES_PER_PORT);
        return fp$.BASE + portId * rte_eth_fp_ops.sizeof();
    }

    /** {@code qdata->data[queueId]}: the driver's queue. */
    private static long queue(long qdata, int queueId) {
        return fp$.ALL.get(ValueLayout.JAVA_LONG, fp$.ALL.get(ValueLayout.JAVA_LONG, qdata + fp$.DATA) + 8L * queueId);
    }

    /** {@code qdata->clbk[queueId]}, read as {@code __ATOMIC_RELAXED} (opaque): 0 unless callbacks are registered. */
    private static long callbacks(long qdata, int queueId) {
        long clbk = fp$.ALL.get(ValueLayout.JAVA_LONG, qdata + fp$.CLBK);
        return (long) fp$.WORD.getOpaque(fp$.ALL, clbk + 8L * queueId);
    }

    /**
     * The equivalent of the inline {@code uint16_t rte_eth_rx_burst(uint16_t port_id, uint16_t queue_id,
     * struct rte_mbuf **rx_pkts, const uint16_t nb_pkts)}: receives up to {@code nbPkts} mbufs into the
     * pointer array {@code rxPkts} and returns how many.
     */
    public static int rte_eth_rx_burst(int portId, int queueId, MemorySegment rxPkts, int nbPkts) {
        long ops = entry(portId, queueId);
        checkBurst(rxPkts, nbPkts);
        long fn = fp$.ALL.get(ValueLayout.JAVA_LONG, ops + fp$.RX_BURST);
        long qdata = ops + fp$.RXQ;
        try {
            short nbRx = (short) fp$.BURST.invokeExact(function(RX_FN, portId, fn), queue(qdata, queueId), rxPkts,
                    (short) nbPkts);
            long cb = callbacks(qdata, queueId);
            if (cb != 0) {
                nbRx = (short) fp$.RX_CALLBACKS.invokeExact((short) portId, (short) queueId, rxPkts, nbRx,
                        (short) nbPkts, cb);
            }
            return Short.toUnsignedInt(nbRx);
        } catch (Throwable t) {
            throw Native.rethrow("rx_pkt_burst", t);
        }
    }

    /**
     * The equivalent of the inline {@code uint16_t rte_eth_tx_burst(uint16_t port_id, uint16_t queue_id,
     * struct rte_mbuf **tx_pkts, uint16_t nb_pkts)}: hands up to {@code nbPkts} mbufs to the driver,
     * which owns (and frees) those it accepted; returns how many. The caller still owns the rest.
     */
    public static int rte_eth_tx_burst(int portId, int queueId, MemorySegment txPkts, int nbPkts) {
        long ops = entry(portId, queueId);
        checkBurst(txPkts, nbPkts);
        long fn = fp$.ALL.get(ValueLayout.JAVA_LONG, ops + fp$.TX_BURST);
        long qdata = ops + fp$.TXQ;
        try {
            short n = (short) nbPkts;
            long cb = callbacks(qdata, queueId);
            if (cb != 0) {
                n = (short) fp$.TX_CALLBACKS.invokeExact((short) portId, (short) queueId, txPkts, n, cb);
            }
            return Short.toUnsignedInt((short) fp$.BURST.invokeExact(function(TX_FN, portId, fn),
                    queue(qdata, queueId), txPkts, n));
        } catch (Throwable t) {
            throw Native.rethrow("tx_pkt_burst", t);
        }
    }

    private static void checkBurst(MemorySegment pkts, int nbPkts) {
        if (nbPkts < 0 || nbPkts > 0xFFFF || pkts.byteSize() < nbPkts * ValueLayout.ADDRESS.byteSize()) {
            throw new IllegalArgumentException("burst of " + nbPkts + " needs " + nbPkts * ValueLayout.ADDRESS.byteSize()
                    + " bytes of mbuf pointers, array has " + pkts.byteSize());
        }
        if (!pkts.isNative()) {
            throw new IllegalArgumentException("the mbuf pointer array must be native memory");
        }
    }
}
