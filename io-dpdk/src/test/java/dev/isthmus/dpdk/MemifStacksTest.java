package dev.isthmus.dpdk;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two dpdk stacks joined by net_memif, the device the benchmark uses, in a child JVM ({@link MemifPair}):
 * UDP both ways, then both ends closed in either order, six times; the process must live on (EAL's
 * interrupt thread crashed it once, see EthPort.close) and DPDK must report no double free.
 */
@Timeout(180)
class MemifStacksTest {
    @BeforeAll
    static void eal() throws Exception {
        TestEal.start(); // skips where the dpdk stack cannot run
    }

    @Test
    void pairsExchangeUdpAndCloseInEitherOrderWithoutHarm(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path log = dir.resolve("memif-pair.log");
        Process p = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                MemifPair.class.getName(), "6")).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectOutput(log.toFile()).start();
        boolean finished = p.waitFor(150, TimeUnit.SECONDS);
        if (!finished) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        String out = java.nio.file.Files.readString(log, StandardCharsets.UTF_8);
        assertTrue(finished, "the memif JVM did not finish: " + out);
        System.out.print(out);
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("round 5 closed server, then client"), out);
        assertTrue(out.contains("reopen refused: ") && out.contains("stays plugged until exit"), out);
        assertTrue(out.contains("survived"), out);
        assertFalse(out.contains("Invalid memory"), "DPDK reported a double free: " + out);
    }
}
