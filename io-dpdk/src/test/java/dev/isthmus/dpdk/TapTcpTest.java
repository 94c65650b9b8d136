package dev.isthmus.dpdk;

import dev.isthmus.stack.ConnectOptions;
import dev.isthmus.stack.Connection;
import dev.isthmus.stack.ListenOptions;
import dev.isthmus.stack.Listener;
import dev.isthmus.stack.StackOptions;
import dev.isthmus.stack.examples.EchoServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The kernel's TCP against the dpdk stack's, over net_tap moved into a namespace this test creates
 * (198.18.3.1 the kernel, 198.18.3.2 the stack, one worker, {@code -Dtaptcp.workers=2} for two): the kernel as client of the stack's echo
 * server and as the echo server of the stack's client, with and without 1 % loss injected in the
 * namespace by {@code iptables -m statistic --mode random} on both directions.
 */
@Timeout(300)
class TapTcpTest {
    static final String KERNEL = "198.18.3.1";
    static final String STACK = "198.18.3.2";
    static final long PID = ProcessHandle.current().pid();
    static final String IFACE = "istcp" + (PID % 100000);
    /** MiB per transfer: 16 by default (bounded test time); {@code -Dtaptcp.mib=256} for the size. */
    static final long BYTES = Long.getLong("taptcp.mib", 16) << 20;
    static NetNs ns;
    static DpdkNetworkStack stack;

    @BeforeAll
    static void setUp() throws Exception {
        TestEal.start();
        assumeTrue(Files.exists(Path.of("/dev/net/tun")), "net_tap needs /dev/net/tun");
        ns = new NetNs("isthmus-tcp-" + PID);
        stack = ns.openTapStack("net_tap9", IFACE, KERNEL + "/24", StackOptions.defaults()
                .withWorkers(Integer.getInteger("taptcp.workers", 1))
                .withProperty(DpdkOptions.IP, STACK)
                .withProperty(DpdkOptions.NETMASK, "24"));
    }

    @AfterEach
    void noLoss() throws Exception {
        ns.execIn(10, "iptables", "-F");
    }

    @AfterAll
    static void tearDown() throws Exception {
        try {
            if (stack != null) {
                System.out.println(stack.tcpDump());
                for (int i = 0; i < stack.workerCount(); i++) {
                    var c = stack.dpdkWorker(i).counters();
                    // With several workers: frames the kernel put on a queue that is not their flow's owner's.
                    System.out.printf("worker %d: handedIn=%d handedOut=%d handoffRingFull=%d tcpCopiedToOwner=%d%n", i,
                            c.get("handedIn"), c.get("handedOut"), c.get("handoffRingFull"), c.get("tcpCopiedToOwner"));
                }
            }
        } finally {
            if (ns != null) {
                ns.closeWith(stack);
            }
        }
    }

    static void loss(double p) throws Exception {
        for (String chain : new String[] {"INPUT", "OUTPUT"}) {
            NetNs.Result r = ns.execIn(10, "iptables", "-A", chain, "-p", "tcp", "-m", "statistic", "--mode", "random",
                    "--probability", Double.toString(p), "-j", "DROP");
            assertEquals(0, r.exit(), r.output());
        }
    }

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private void kernelClient(long bytes, int port) throws Exception {
        Listener l = stack.listen(new InetSocketAddress(port), ListenOptions.defaults(), EchoServer::new);
        Thread watch = watchdog();
        try {
            long t0 = System.nanoTime();
            NetNs.Result r = ns.execIn(240, java(), "-cp", System.getProperty("java.class.path"),
                    KernelTcpPeer.class.getName(), "client", STACK, Integer.toString(port), Long.toString(bytes), "7");
            double s = (System.nanoTime() - t0) / 1e9;
            assertEquals(0, r.exit(), r.output());
            String[] f = r.output().trim().split("\\s+");
            String[] last = r.output().trim().lines().reduce((a, b) -> b).orElseThrow().split(" ");
            assertEquals("sent", last[0], r.output());
            assertEquals(last[1], last[3], "CRC of what came back: " + r.output());
            assertEquals(Long.toString(bytes), last[4], r.output());
            System.out.printf("kernel client, %d MiB echoed by the dpdk stack: %.1f s (%s)%n", bytes >> 20, s, f[0]);
        } finally {
            watch.interrupt();
            l.close();
        }
    }

    /** Prints the stack's connections every 5 s while a transfer runs, so a stall shows its state. */
    static Thread watchdog() {
        Thread t = new Thread(() -> {
            try {
                while (true) {
                    Thread.sleep(5000);
                    System.out.println("[watchdog] " + stack.tcpDump());
                }
            } catch (InterruptedException e) {
                // done
            }
        });
        t.setDaemon(true);
        t.start();
        return t;
    }

    private void dpdkClient(long bytes, int port) throws Exception {
        Process echo = ns.startIn(List.of(java(), "-cp", System.getProperty("java.class.path"),
                KernelTcpPeer.class.getName(), "echo-server", KERNEL, Integer.toString(port), "240"));
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(echo.getInputStream(), StandardCharsets.UTF_8));
            assertEquals("ready", out.readLine());
            StreamClient client = new StreamClient(bytes, bytes, true, 9);
            long t0 = System.nanoTime();
            Connection c = stack.connect(new InetSocketAddress(InetAddress.getByName(KERNEL), port),
                    ConnectOptions.defaults(), client).get(20, TimeUnit.SECONDS);
            long crc = client.done.get(200, TimeUnit.SECONDS);
            double s = (System.nanoTime() - t0) / 1e9;
            assertEquals(client.sentCrc.getValue(), crc, "the kernel echoed the same bytes");
            assertNull(client.closed.get(30, TimeUnit.SECONDS), "closed cleanly after the kernel's EOF");
            assertTrue(client.eof);
            System.out.printf("dpdk client, %d MiB echoed by the kernel: %.1f s%n", bytes >> 20, s);
        } finally {
            echo.destroyForcibly();
            echo.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void curlAndWrkFetchFromTheHttpExample() throws Exception {
        Listener l = stack.listen(new InetSocketAddress(8080), ListenOptions.defaults(),
                dev.isthmus.stack.examples.HttpServer::new);
        try {
            String url = "http://" + STACK + ":8080/";
            NetNs.Result r = ns.execIn(30, "curl", "-sS", "--max-time", "10", url, url);
            assertEquals(0, r.exit(), r.output());
            assertEquals("Hello, World!Hello, World!", r.output(), "two requests on one keep-alive connection");
            r = ns.execIn(30, "curl", "-sS", "--max-time", "10", "-H", "Connection: close", url);
            assertEquals(0, r.exit(), r.output());
            assertEquals("Hello, World!", r.output());
            r = ns.execIn(60, "wrk", "-t1", "-c16", "-d3s", url);
            System.out.println(r.output());
            assertEquals(0, r.exit(), r.output());
            assertTrue(r.output().contains("requests in"), r.output());
            assertTrue(!r.output().contains("Socket errors") && !r.output().contains("Non-2xx"), r.output());
        } finally {
            l.close();
        }
    }

    @Test
    void kernelClientEchoedByTheStack() throws Exception {
        kernelClient(BYTES, 7001);
    }

    @Test
    void stackClientEchoedByTheKernel() throws Exception {
        dpdkClient(BYTES, 7002);
    }

    @Test
    void kernelClientAcrossOnePercentLoss() throws Exception {
        loss(0.01);
        kernelClient(BYTES, 7003);
    }

    @Test
    void stackClientAcrossOnePercentLoss() throws Exception {
        loss(0.01);
        dpdkClient(BYTES, 7004);
    }
}
