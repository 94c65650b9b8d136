package dev.isthmus.ffi.dpdk;

import dev.isthmus.ffi.CHeader;
import dev.isthmus.ffi.Native;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * {@code <rte_ring.h>} and {@code <rte_eth_ring.h>} of DPDK 22.11: lock-free rings, and the net_ring
 * driver that makes an ethdev port out of them ({@code rte_eth_from_rings}). Two ports whose rx ring is
 * the other's tx ring form a cable inside one process, with no kernel on the way.
 */
@CHeader(value = {"rte_ring.h", "rte_eth_ring.h"}, pkgConfig = "libdpdk")
public final class rte_ring_h {
    private rte_ring_h() {
    }

    /** Enqueue is single-producer by default. */
    public static final int RING_F_SP_ENQ = 0x0001;
    /** Dequeue is single-consumer by default. */
    public static final int RING_F_SC_DEQ = 0x0002;

    private static final class rte_ring_create$ {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.ADDRESS,
                ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT);
        static final MethodHandle HANDLE = Dpdk.call("rte_ring_create", DESC);
    }

    /**
     * {@code struct rte_ring *rte_ring_create(const char *name, unsigned int count, int socket_id,
     * unsigned int flags)}: a ring of {@code count} slots (a power of two; one stays empty), or NULL with
     * {@link Dpdk#rte_errno()} set. The name must be unique in the process.
     */
    public static MemorySegment rte_ring_create(String name, int count, int socketId, int flags) {
        try (Arena arena = Arena.ofConfined()) {
            // The name is copied into the ring's memzone.
            return (MemorySegment) rte_ring_create$.HANDLE.invokeExact(arena.allocateFrom(name), count, socketId, flags);
        } catch (Throwable t) {
            throw Native.rethrow("rte_ring_create", t);
        }
    }

    private static final class rte_ring_free$ {
        static final FunctionDescriptor DESC = FunctionDescriptor.ofVoid(ValueLayout.ADDRESS);
        static final MethodHandle HANDLE = Dpdk.call("rte_ring_free", DESC);
    }

    /** {@code void rte_ring_free(struct rte_ring *r)}: frees a ring made by rte_ring_create (NULL is ignored). */
    public static void rte_ring_free(MemorySegment r) {
        try {
            rte_ring_free$.HANDLE.invokeExact(r);
        } catch (Throwable t) {
            throw Native.rethrow("rte_ring_free", t);
        }
    }

    private static final class rte_eth_from_rings$ {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS,
                ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT);
        static final MethodHandle HANDLE = Dpdk.call("rte_eth_from_rings", DESC);
    }

    /**
     * {@code int rte_eth_from_rings(const char *name, struct rte_ring *const rx_queues[], unsigned nb_rx_queues,
     * struct rte_ring *const tx_queues[], unsigned nb_tx_queues, unsigned numa_node)}: creates a net_ring
     * port named {@code name} (a vdev, removed with {@code rte_eal_hotplug_remove("vdev", name)}) and
     * returns its port id, or -1 with {@link Dpdk#rte_errno()} set.
     */
    public static int rte_eth_from_rings(MemorySegment name, MemorySegment rxQueues, int nbRxQueues,
                                         MemorySegment txQueues, int nbTxQueues, int numaNode) {
        try {
            return (int) rte_eth_from_rings$.HANDLE.invokeExact(name, rxQueues, nbRxQueues, txQueues, nbTxQueues, numaNode);
        } catch (Throwable t) {
            throw Native.rethrow("rte_eth_from_rings", t);
        }
    }
}
