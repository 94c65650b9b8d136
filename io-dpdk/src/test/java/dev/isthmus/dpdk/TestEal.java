package dev.isthmus.dpdk;

import dev.isthmus.dpdk.eal.Eal;
import dev.isthmus.ffi.dpdk.Dpdk;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The one EAL of the test JVM. Surefire runs every test class of this module in one fork (the default,
 * forkCount 1, reuseForks true), and EAL can start only once per process, so every EAL-using test asks
 * here; the first call starts it with the defaults.
 */
public final class TestEal {
    private TestEal() {
    }

    /**
     * Starts EAL if needed; skips the test only where the dpdk stack cannot run (DPDK not installed, no
     * CAP_NET_ADMIN), with the provider's reason; a failed init fails it.
     */
    public static void start() throws java.io.IOException {
        assumeTrue(Dpdk.isAvailable(), () -> "DPDK unavailable: " + Dpdk.unavailableReason());
        var a = new DpdkStackProvider().availability();
        assumeTrue(a.available(), a::reason);
        System.out.println(Eal.start(Eal.defaultArgs()));
    }
}
