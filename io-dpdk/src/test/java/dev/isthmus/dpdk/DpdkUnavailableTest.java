package dev.isthmus.dpdk;

import dev.isthmus.ffi.dpdk.Dpdk;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * What a user sees when dpdk cannot run, each case in a fresh JVM (EAL starts, or fails, once per
 * process): EAL refusing its arguments (through {@code scripts/serve}'s entry point and through the API,
 * and {@code NetworkStacks.list()} afterwards), and a process without CAP_NET_ADMIN asking for net_tap.
 * (DPDK missing altogether cannot be staged on a machine that has it; DpdkProviderTest and the
 * provider's {@code Dpdk.unavailableReason()} cover that message's source.)
 */
@Timeout(120)
class DpdkUnavailableTest {
    private static final String BAD_EAL = "--no-huge --no-such-eal-option";

    private static String java(List<String> prefix, String main, String... args) throws Exception {
        assumeTrue(Dpdk.isAvailable(), () -> "DPDK unavailable: " + Dpdk.unavailableReason());
        List<String> cmd = new ArrayList<>(prefix);
        cmd.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), main));
        cmd.addAll(List.of(args));
        Path log = Files.createTempFile("isthmus-dpdk-probe", ".log");
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            boolean done = p.waitFor(60, TimeUnit.SECONDS);
            if (!done) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            String out = Files.readString(log, StandardCharsets.UTF_8);
            System.out.print(out);
            assertTrue(done, "the probe JVM did not finish: " + out);
            return "exit " + p.exitValue() + "\n" + out;
        } finally {
            Files.deleteIfExists(log);
        }
    }

    @Test
    void ealThatRefusesItsArgumentsIsReportedByServeAndByList() throws Exception {
        String serve = java(List.of(), "dev.isthmus.stack.cli.Serve", "--stack", "dpdk", "--port", "0",
                "--property", "dpdk.ip=198.18.9.1", "--property", "dpdk.eal-args=" + BAD_EAL);
        assertTrue(serve.startsWith("exit 1\n"), serve);
        assertTrue(serve.contains("serve: cannot open stack 'dpdk': EAL failed to start: rte_eal_init(" + BAD_EAL
                + ") failed: rte_errno 22 (EINVAL: invalid arguments)"), serve);
        assertTrue(serve.contains("fix dpdk.eal-args"), serve);

        String api = java(List.of(), DpdkFailureProbe.class.getName(), "dpdk.ip=198.18.9.1", "dpdk.port=ring:x",
                "dpdk.eal-args=" + BAD_EAL);
        assertTrue(api.contains("open 1: IOException: EAL failed to start: rte_eal_init(" + BAD_EAL + ") failed"), api);
        // The second open does not retry EAL: the provider says why at once.
        assertTrue(api.contains("open 2: IOException: stack 'dpdk' is not available here: EAL failed to start in"
                + " this JVM and cannot be retried (restart the JVM): rte_eal_init(" + BAD_EAL + ") failed"), api);
        assertTrue(api.contains("list: dpdk false EAL failed to start in this JVM"), api);
    }

    @Test
    void withoutNetAdminListSaysTapCannotWorkAndOpeningItSaysWhy() throws Exception {
        assumeTrue(PortRequirements.hasCapability(PortRequirements.CAP_NET_ADMIN) && Files.isExecutable(Path.of("/usr/bin/setpriv")),
                "needs root's CAP_NET_ADMIN to drop and util-linux's setpriv");
        // Dropped from the bounding set, CAP_NET_ADMIN is gone from the effective set after exec, even for root.
        String out = java(List.of("/usr/bin/setpriv", "--bounding-set=-net_admin", "--inh-caps=-net_admin"),
                DpdkFailureProbe.class.getName(), "dpdk.ip=198.18.9.1", "dpdk.port=net_tap9,iface=isnoadmin");
        // A container without CAP_SETPCAP cannot shrink the bounding set: setpriv says so and runs nothing.
        assumeTrue(!out.contains("setpriv: "), () -> "setpriv could not drop CAP_NET_ADMIN here: " + out);
        assertTrue(out.startsWith("exit 0\n"), out);
        assertTrue(out.contains("open 1: IOException: dpdk.port=net_tap9,iface=isnoadmin: net_tap needs CAP_NET_ADMIN"),
                out);
        assertTrue(out.contains("list: dpdk true DPDK 22.11"), out);
        assertTrue(out.contains("the default port will not work: net_tap needs CAP_NET_ADMIN"), out);
        assertEquals(-1, out.indexOf("EAL running"), "nothing started EAL: " + out);
    }
}
