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
     * Starts EAL if needed; skips the test only where the dpdk stack cannot run (DPDK not installed), with
     * the provider's reason, or without CAP_NET_ADMIN; a failed init fails it.
     */
    public static void start() throws java.io.IOException {
        assumeTrue(Dpdk.isAvailable(), () -> "DPDK unavailable: " + Dpdk.unavailableReason());
        var a = new DpdkStackProvider().availability();
        assumeTrue(a.available(), a::reason);
        // The tests make tap devices and namespaces: root's rights (the provider only reports them).
        assumeTrue(PortRequirements.hasCapability(PortRequirements.CAP_NET_ADMIN),
                "no CAP_NET_ADMIN: the dpdk tests create tap devices and network namespaces");
        System.out.println(Eal.start(Eal.defaultArgs()));
    }
}
