package dev.isthmus.ffi.dpdk;

import dev.isthmus.ffi.CallState;
import dev.isthmus.ffi.posix.mman_h;
import dev.isthmus.ffi.uring.io_uring_h;
import dev.isthmus.ffi.uring.io_uring_params;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;

/** Main class run in a child JVM by {@link DpdkTest#ioUringUseLoadsNoDpdk()}. */
final class LazyLoadProbe {
    private LazyLoadProbe() {
    }

    static String librte() throws Exception {
        return Files.readAllLines(Path.of("/proc/self/maps")).stream()
                .filter(l -> l.contains("librte_"))
                .map(l -> l.substring(l.lastIndexOf(' ') + 1))
                .distinct().sorted().collect(Collectors.joining(" "));
    }

    public static void main(String[] args) throws Exception {
        try (Arena arena = Arena.ofConfined()) {
            CallState cs = CallState.allocate(arena);
            // Link and call the io_uring and mman downcalls (their holders initialise here).
            int fd = io_uring_h.io_uring_setup(cs.segment(), 0, io_uring_params.allocate(arena)); // EINVAL
            int rc = mman_h.munmap(cs.segment(), MemorySegment.NULL, 0); // EINVAL
            System.out.println("io_uring_setup(0) = " + fd + ", munmap(NULL, 0) = " + rc);
        }
        // Initialise the DPDK binding classes without calling into DPDK.
        for (String c : new String[] {"rte_ethdev_h", "rte_mbuf_h", "rte_mempool_h", "rte_eal_h", "rte_mbuf",
                "rte_eth_fp_ops", "rte_eth_conf", "Dpdk"}) {
            Class.forName("dev.isthmus.ffi.dpdk." + c, true, LazyLoadProbe.class.getClassLoader());
        }
        System.out.println("rte_mbuf is " + rte_mbuf.sizeof() + " bytes");
        String before = librte();
        System.out.println(before.isEmpty() ? "before: no librte" : "before: " + before);
        boolean available = Dpdk.isAvailable();
        System.out.println("after isAvailable: " + (available ? librte() : Dpdk.unavailableReason()));
        System.exit(before.isEmpty() ? 0 : 3);
    }
}
