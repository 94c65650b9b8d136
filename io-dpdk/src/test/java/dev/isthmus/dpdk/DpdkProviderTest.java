package dev.isthmus.dpdk;

import dev.isthmus.ffi.dpdk.Dpdk;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** NetworkStacks.list() reports dpdk, whether it can run and why, and never starts EAL to find out. */
@Timeout(60)
class DpdkProviderTest {
    @Test
    void listSaysWhetherDpdkCanRunWithoutStartingEal() throws Exception {
        Process p = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                ListProbe.class.getName())).redirectErrorStream(true).start();
        assertTrue(p.waitFor(50, TimeUnit.SECONDS), "probe JVM did not finish");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        System.out.print(out);
        assertEquals(0, p.exitValue(), out);
        String line = out.lines().filter(l -> l.startsWith("stack dpdk ")).findFirst().orElseThrow(() -> new AssertionError(out));
        if (Dpdk.isAvailable()) {
            assertTrue(line.startsWith("stack dpdk true DPDK 22.11"), line);
        } else {
            assertTrue(line.startsWith("stack dpdk false "), line);
        }
        assertTrue(out.contains("eal running: false"), out);
        assertFalse(out.contains("eal thread:"), out);
    }
}
