package dev.isthmus.ffi.dpdk;

import dev.isthmus.ffi.Native;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.util.List;

/**
 * Loads Debian's DPDK 22.11 libraries on first use and says why it could not.
 *
 * <p>Nothing in this package touches a {@code librte_*} library while classes are merely loaded: the
 * struct classes are pure layouts, and each function's handle lives in a holder class that asks
 * {@link #lookup()} only when the function is first called. So an application that never calls
 * DPDK never maps DPDK, and a machine without it runs the other stacks unaffected.
 *
 * <p>The sonames are those of Debian 12's packages librte-eal23, librte-mempool23, librte-mbuf23,
 * librte-ethdev23, librte-ring23 and librte-net-ring23 (ABI 23 = DPDK 22.11). The ABI version is pinned
 * on purpose: the struct layouts in this package are those of 22.11 and would be wrong against another ABI.
 */
public final class Dpdk {
    private Dpdk() {
    }

    /** The DPDK libraries bound here, in dependency order, with the Debian package shipping each. */
    static final List<String[]> LIBRARIES = List.of(
            new String[] {"librte_eal.so.23", "librte-eal23"},
            new String[] {"librte_mempool.so.23", "librte-mempool23"},
            new String[] {"librte_mbuf.so.23", "librte-mbuf23"},
            new String[] {"librte_ethdev.so.23", "librte-ethdev23"},
            new String[] {"librte_ring.so.23", "librte-ring23"},
            // net_ring's driver library, for rte_eth_from_rings. The path under /usr/lib is a symlink to
            // the file EAL loads from its driver directory (pmds-23.0), so glibc maps it once.
            new String[] {"librte_net_ring.so.23", "librte-net-ring23"});

    private static final class Loaded {
        static final SymbolLookup LOOKUP;
        static final String REASON;

        static {
            SymbolLookup lookup = null;
            String reason = null;
            for (String[] lib : LIBRARIES) {
                try {
                    // Arena.global(): the libraries stay mapped for the life of the process, as EAL
                    // state (hugepages, threads, drivers) cannot be torn down safely anyway.
                    SymbolLookup l = SymbolLookup.libraryLookup(lib[0], Arena.global());
                    lookup = lookup == null ? l : lookup.or(l);
                } catch (IllegalArgumentException e) {
                    reason = lib[0] + " not found: apt-get install dpdk (package " + lib[1] + ")";
                    lookup = null;
                    break;
                }
            }
            LOOKUP = lookup;
            REASON = reason;
        }
    }

    /** Whether the DPDK 22.11 libraries could be loaded (loads them on the first call). */
    public static boolean isAvailable() {
        return Loaded.LOOKUP != null;
    }

    /** Why DPDK is unavailable, e.g. {@code "librte_eal.so.23 not found: apt-get install dpdk ..."}, or null. */
    public static String unavailableReason() {
        return Loaded.REASON;
    }

    /** The combined lookup over the DPDK libraries; throws {@link UnsatisfiedLinkError} with the reason if unavailable. */
    public static SymbolLookup lookup() {
        SymbolLookup l = Loaded.LOOKUP;
        if (l == null) {
            throw new UnsatisfiedLinkError("DPDK unavailable: " + Loaded.REASON);
        }
        return l;
    }

    /** Links a DPDK function (DPDK reports errors through return values or rte_errno, not errno). */
    static MethodHandle call(String name, FunctionDescriptor desc) {
        return Native.LINKER.downcallHandle(Native.find(lookup(), name), desc);
    }

    /** Links a DPDK function as a critical downcall, for fast-path calls that never block. */
    static MethodHandle criticalCall(String name, FunctionDescriptor desc) {
        return Native.LINKER.downcallHandle(Native.find(lookup(), name), desc, Linker.Option.critical(false));
    }

    /** The address of an exported DPDK data symbol, as a segment of {@code size} bytes. */
    static MemorySegment data(String name, long size) {
        return Native.find(lookup(), name).reinterpret(size);
    }

    /**
     * {@code rte_errno} of the calling thread. rte_errno is a thread-local ({@code per_lcore__rte_errno},
     * exported TLS); dlsym, which {@link SymbolLookup#find} calls each time, returns the calling
     * thread's instance of a TLS symbol, so this must be called on the thread that made the failing
     * call, right after it.
     */
    public static int rte_errno() {
        return Native.find(lookup(), "per_lcore__rte_errno").reinterpret(4).get(java.lang.foreign.ValueLayout.JAVA_INT, 0);
    }
}
