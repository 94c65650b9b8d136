package dev.isthmus.ffi.dpdk;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class DpdkTest {
    @Test
    void versionWhenAvailable() {
        assumeTrue(Dpdk.isAvailable(), () -> "DPDK unavailable: " + Dpdk.unavailableReason());
        String v = rte_eal_h.rte_version();
        System.out.println("rte_version(): " + v);
        assertTrue(v.startsWith("DPDK 22.11"), v);
    }

    @Test
    void exportedFastPathTablesAreFound() {
        assumeTrue(Dpdk.isAvailable(), () -> "DPDK unavailable: " + Dpdk.unavailableReason());
        // Before rte_eal_init every port's entry points at ethdev's dummy functions, not NULL.
        assertFalse(rte_eth_fp_ops.rx_pkt_burst(rte_ethdev_h.rte_eth_fp_ops(0)).equals(java.lang.foreign.MemorySegment.NULL));
        assertFalse(rte_eth_fp_ops.tx_pkt_burst(rte_ethdev_h.rte_eth_fp_ops(rte_ethdev_h.RTE_MAX_ETHPORTS - 1))
                .equals(java.lang.foreign.MemorySegment.NULL));
        assertNotNull(Dpdk.lookup().find("rte_mempool_ops_table").orElse(null));
    }

    @Test
    void layoutsOf2211() {
        assertEquals(128, rte_mbuf.sizeof());
        assertEquals(64, rte_mbuf.next$offset());
        assertEquals(54, rte_mbuf.buf_len$offset());
        assertEquals(128, rte_eth_fp_ops.sizeof());
        assertEquals(64, rte_eth_fp_ops.tx_pkt_burst$offset());
        assertEquals(2272, rte_eth_conf.sizeof());
        assertEquals(6, rte_ether_addr.sizeof());
        assertEquals(192, rte_mempool.sizeof());
        assertEquals(88, rte_mempool.ops_index$offset());
        assertEquals(2112, rte_mempool_ops_table.sizeof());
        assertEquals(56, rte_mempool_ops.dequeue$offset());
    }

    /**
     * Runs {@link LazyLoadProbe} in a fresh JVM (this one may already have DPDK loaded by the tests
     * above): using io_uring, mman and the DPDK layout classes maps no librte_* library.
     */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void ioUringUseLoadsNoDpdk() throws Exception {
        Path out = Files.createTempFile("lazy", ".txt");
        try {
            Process p = new ProcessBuilder(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "--enable-native-access=ALL-UNNAMED",
                    "-cp", System.getProperty("java.class.path"),
                    LazyLoadProbe.class.getName()))
                    .redirectErrorStream(true).redirectOutput(out.toFile()).start();
            assertTrue(p.waitFor(50, TimeUnit.SECONDS), "probe JVM did not finish");
            String text = Files.readString(out, StandardCharsets.UTF_8);
            System.out.print(text);
            assertEquals(0, p.exitValue(), text);
            assertTrue(text.contains("before: no librte"), text);
            if (Dpdk.isAvailable()) {
                // The control: the probe's own maps do show DPDK once it asked for it.
                assertTrue(text.matches("(?s).*after isAvailable: .*librte_eal\\.so\\.23.*"), text);
            }
        } finally {
            Files.deleteIfExists(out);
            new File(out.toString()).delete();
        }
    }
}
