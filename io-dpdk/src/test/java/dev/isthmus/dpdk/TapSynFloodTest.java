package dev.isthmus.dpdk;

import dev.isthmus.dpdk.tcp.TcpStats;
import dev.isthmus.dpdk.tcp.TcpStats.Counter;
import dev.isthmus.stack.ListenOptions;
import dev.isthmus.stack.Listener;
import dev.isthmus.stack.StackOptions;
import dev.isthmus.stack.examples.EchoServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A SYN flood from a raw socket on the kernel side of the tap ({@link RawSynFlood}, spoofed sources that
 * never answer) fills the listener's half-open queue; meanwhile the kernel's TCP, a real client, connects
 * through SYN cookies and has its bytes echoed, intact.
 */
@Timeout(240)
class TapSynFloodTest {
    static final String KERNEL = "198.18.5.1";
    static final String STACK = "198.18.5.2";
    static final long PID = ProcessHandle.current().pid();
    static final String IFACE = "issyn" + (PID % 100000);
    static NetNs ns;
    static DpdkNetworkStack stack;

    @BeforeAll
    static void setUp() throws Exception {
        TestEal.start();
        assumeTrue(Files.exists(Path.of("/dev/net/tun")), "net_tap needs /dev/net/tun");
        ns = new NetNs("isthmus-syn-" + PID);
        stack = ns.openTapStack("net_tap8", IFACE, KERNEL + "/24", StackOptions.defaults().withWorkers(1)
                .withProperty(DpdkOptions.IP, STACK)
                .withProperty(DpdkOptions.NETMASK, "24"));
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (ns != null) {
            ns.closeWith(stack);
        }
    }

    @Test
    void aSynFloodLeavesTheListenerServingRealClientsThroughCookies() throws Exception {
        int port = 7100;
        Listener l = stack.listen(new InetSocketAddress(port), ListenOptions.defaults().withBacklog(64), EchoServer::new);
        String java = TapTcpTest.java();
        String cp = System.getProperty("java.class.path");
        // 60000 SYNs from 64 spoofed addresses (198.18.5.100..163: in the subnet, nobody's).
        Process flood = ns.startIn(List.of(java, "-cp", cp, RawSynFlood.class.getName(), STACK,
                Integer.toString(port), "60000", "198.18.5.100", "64"));
        try {
            TcpStats stats = stack.dpdkWorker(0).tcp().layer().stats();
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (stats.get(Counter.SYN_COOKIES_SENT) < 100 && flood.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(stats.get(Counter.SYN_COOKIES_SENT) >= 100, "the flood filled the half-open queue: " + stats);
            for (int i = 0; i < 3; i++) {
                NetNs.Result r = ns.execIn(60, java, "-cp", cp, KernelTcpPeer.class.getName(), "client", STACK,
                        Integer.toString(port), Long.toString(1 << 20), Integer.toString(30 + i));
                assertEquals(0, r.exit(), r.output());
                String[] last = r.output().trim().lines().reduce((a, b) -> b).orElseThrow().split(" ");
                assertEquals("sent", last[0], r.output());
                assertEquals(last[1], last[3], "CRC of what came back: " + r.output() + "; " + stats);
                assertEquals(Long.toString(1 << 20), last[4], r.output());
            }
            assertTrue(stats.get(Counter.SYN_COOKIES_VALID) >= 3, "the clients came in through cookies: " + stats);
            assertTrue(stats.get(Counter.LISTEN_OVERFLOWS) >= 100, stats.toString());
            assertTrue(flood.waitFor(120, TimeUnit.SECONDS), "the flood ends (bounded count)");
            String out = new BufferedReader(new InputStreamReader(flood.getInputStream(), StandardCharsets.UTF_8))
                    .lines().reduce((a, b) -> b).orElse("");
            assertTrue(out.startsWith("sent "), out);
            System.out.println("syn flood: " + out + " SYNs; " + stats);
        } finally {
            flood.destroyForcibly();
            flood.waitFor(10, TimeUnit.SECONDS);
            l.close();
        }
    }
}
