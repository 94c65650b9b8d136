package dev.isthmus.dpdk;

import dev.isthmus.dpdk.net.DropReason;
import dev.isthmus.stack.StackOptions;
import dev.isthmus.stack.UdpChannel;
import dev.isthmus.stack.UdpOptions;
import org.junit.jupiter.api.AfterAll;
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
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The dpdk stack on net_tap, its interface moved into a namespace this test creates: the kernel there
 * (198.18.0.1) pings the stack (198.18.0.2) and exchanges UDP with a facade channel, small, MTU-sized and
 * fragmented datagrams both ways; ARP entries expire and are resolved again; mbufs come back.
 */
@Timeout(180)
class TapNamespaceTest {
    static final String KERNEL = "198.18.0.1";
    static final String STACK = "198.18.0.2";
    static final long PID = ProcessHandle.current().pid();
    static final String IFACE = "isdpdk" + (PID % 100000);
    static NetNs ns;
    static DpdkNetworkStack stack;

    @BeforeAll
    static void setUp() throws Exception {
        TestEal.start();
        assumeTrue(Files.exists(Path.of("/dev/net/tun")), "net_tap needs /dev/net/tun");
        ns = new NetNs("isthmus-dpdk-" + PID);
        // Two workers, two queue pairs: the kernel picks the queue of each flow (tun's flow steering), so
        // datagrams and ARP replies may reach the worker that does not own the channel.
        stack = ns.openTapStack("net_tap7", IFACE, KERNEL + "/24", StackOptions.defaults().withWorkers(2)
                .withProperty(DpdkOptions.IP, STACK)
                .withProperty(DpdkOptions.NETMASK, "24")
                .withProperty(DpdkOptions.ARP_TIMEOUT_MS, "1500"));
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (ns != null) {
            ns.closeWith(stack);
        }
    }

    @Test
    void theKernelPingsTheStack() throws Exception {
        NetNs.Result r = ns.execIn(30, "ping", "-c", "3", "-i", "0.2", "-W", "2", STACK);
        System.out.print(r.output());
        assertEquals(0, r.exit(), r.output());
        assertTrue(r.output().contains("3 received"), r.output());
        // 3000 bytes: the request comes in two fragments, the reply leaves in three.
        r = ns.execIn(30, "ping", "-c", "2", "-i", "0.2", "-W", "2", "-s", "3000", STACK);
        System.out.print(r.output());
        assertEquals(0, r.exit(), r.output());
        // To an address on the subnet that nobody has: the stack is not it and stays quiet.
        r = ns.execIn(30, "ping", "-c", "1", "-W", "1", "198.18.0.3");
        assertTrue(r.exit() != 0, r.output());
    }

    @Test
    void udpWithAKernelSocketBothWaysAndArpResolvedAgainAfterExpiry() throws Exception {
        Process echo = ns.startIn(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), KernelUdpEcho.class.getName(), KERNEL, "5000", "60"));
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(echo.getInputStream(), StandardCharsets.UTF_8));
            assertEquals("ready", out.readLine());
            LinkedBlockingQueue<RingStacksTest.Received> got = new LinkedBlockingQueue<>();
            UdpChannel ch = stack.openUdp(new InetSocketAddress(6000),
                    UdpOptions.defaults().withMaxDatagramSize(65535).withWorker(1), RingStacksTest.collector(got));
            InetSocketAddress kernel = new InetSocketAddress(InetAddress.getByName(KERNEL), 5000);
            int level = -1;
            for (int size : new int[] {1, 100, 1472, 1473, 4000, 30000}) {
                byte[] d = RingStacksTest.payload(size, size);
                RingStacksTest.send(ch, kernel, d);
                RingStacksTest.Received r = got.poll(10, TimeUnit.SECONDS);
                assertNotNull(r, size + " bytes: no echo");
                assertArrayEquals(d, r.data(), size + " bytes");
                assertEquals(kernel, r.from());
                if (level < 0) {
                    Thread.sleep(50); // the handler runs before its burst's mbufs are freed
                    level = stack.mbufsInUse();
                }
            }
            DpdkWorker w = stack.dpdkWorker(1);
            long requests = w.netStats().arpRequestsSent();
            Thread.sleep(1700); // past dpdk.arp-timeout-ms
            byte[] d = RingStacksTest.payload(10, 77);
            RingStacksTest.send(ch, kernel, d);
            RingStacksTest.Received r = got.poll(10, TimeUnit.SECONDS);
            assertNotNull(r, "after the ARP entry expired");
            assertArrayEquals(d, r.data());
            assertTrue(w.netStats().arpRequestsSent() > requests, "resolved again: " + w.netStats());
            Thread.sleep(50);
            assertEquals(level, stack.mbufsInUse(), "mbufs back to their level");
            assertEquals(0, w.netStats().drops(DropReason.TX_QUEUE_FULL));
            System.out.println("tap worker 0: " + stack.dpdkWorker(0).netStats());
            System.out.println("tap worker 1: " + w.netStats());
            ch.close();
        } finally {
            echo.destroyForcibly();
            echo.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
