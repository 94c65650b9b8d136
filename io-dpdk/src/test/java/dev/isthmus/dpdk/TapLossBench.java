package dev.isthmus.dpdk;

import dev.isthmus.stack.ConnectOptions;
import dev.isthmus.stack.Connection;
import dev.isthmus.stack.ListenOptions;
import dev.isthmus.stack.Listener;
import dev.isthmus.stack.StackOptions;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The benchmark of io-dpdk/README.md, "TCP under loss over a tap": one-way goodput of a bulk transfer
 * across net_tap, with {@code iptables -m statistic --mode random} dropping a share of the TCP packets
 * on the kernel side in both directions (this kernel has no netem): the dpdk stack sending with SACK, the
 * dpdk stack sending without SACK, and the kernel's TCP sending to the dpdk stack, over the same tap and
 * the same loss. Not part of the suite (surefire's default includes take {@code *Test} only); run it with
 * <pre>
 * mvn -o -q -pl io-dpdk -am verify -Dtest=TapLossBench -Dsurefire.failIfNoSpecifiedTests=false \
 *     [-Dbench.mib=256] [-Dbench.loss=1] [-Dbench.runs=1]
 * </pre>
 * Each transfer's bytes are checked by CRC; the figures are what it prints.
 */
@Timeout(7200)
class TapLossBench {
    static final String KERNEL = "198.18.7.1";
    static final String STACK = "198.18.7.2";
    static final long PID = ProcessHandle.current().pid();

    @BeforeAll
    static void eal() throws Exception {
        TestEal.start();
        assumeTrue(Files.exists(Path.of("/dev/net/tun")), "net_tap needs /dev/net/tun");
    }

    /** One stack on a tap moved into a namespace of its own, with the loss on the kernel side. */
    static final class TapStack implements AutoCloseable {
        final NetNs ns;
        final DpdkNetworkStack stack;

        TapStack(int n, boolean sack, double lossPercent) throws Exception {
            String iface = "islb" + n + "x" + (PID % 10000);
            ns = new NetNs("isthmus-lossbench-" + n + "-" + PID);
            stack = ns.openTapStack("net_tap" + (20 + n), iface, KERNEL + "/24", StackOptions.defaults().withWorkers(1)
                    .withProperty(DpdkOptions.IP, STACK)
                    .withProperty(DpdkOptions.NETMASK, "24")
                    .withProperty(DpdkOptions.TCP_SACK, Boolean.toString(sack)));
            for (String chain : new String[] {"INPUT", "OUTPUT"}) {
                NetNs.Result r = ns.execIn(10, "iptables", "-A", chain, "-p", "tcp", "-m", "statistic", "--mode",
                        "random", "--probability", Double.toString(lossPercent / 100), "-j", "DROP");
                assertEquals(0, r.exit(), r.output());
            }
        }

        @Override
        public void close() throws Exception {
            ns.closeWith(stack);
        }
    }

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** The dpdk stack sends {@code bytes} to a kernel sink; seconds until the sink has read them all. */
    static double dpdkSends(TapStack t, long bytes, int port) throws Exception {
        Process sink = t.ns.startIn(List.of(java(), "-cp", System.getProperty("java.class.path"),
                KernelTcpPeer.class.getName(), "sink-server", KERNEL, Integer.toString(port), "3600"));
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(sink.getInputStream(), StandardCharsets.UTF_8));
            assertEquals("ready", out.readLine());
            StreamClient client = new StreamClient(bytes, 0, true, 5);
            long t0 = System.nanoTime();
            t.stack.connect(new InetSocketAddress(InetAddress.getByName(KERNEL), port), ConnectOptions.defaults(), client)
                    .get(20, TimeUnit.SECONDS);
            String line = out.readLine(); // "received CRC BYTES", once the sink read to our FIN
            double s = (System.nanoTime() - t0) / 1e9;
            String[] f = line.split(" ");
            assertEquals("received", f[0], line);
            assertEquals(Long.toString(client.sentCrc.getValue()), f[1], "CRC at the kernel");
            assertEquals(Long.toString(bytes), f[2]);
            return s;
        } finally {
            sink.destroyForcibly();
            sink.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** The kernel's TCP sends {@code bytes} to the dpdk stack; seconds until the stack has received them all. */
    static double kernelSends(TapStack t, long bytes, int port) throws Exception {
        CompletableFuture<StreamClient> server = new CompletableFuture<>();
        try (Listener l = t.stack.listen(new InetSocketAddress(port), ListenOptions.defaults(), () -> {
            StreamClient s = new StreamClient(0, bytes, false, 0);
            server.complete(s);
            return s;
        })) {
            long t0 = System.nanoTime();
            Process source = t.ns.startIn(List.of(java(), "-cp", System.getProperty("java.class.path"),
                    KernelTcpPeer.class.getName(), "source", STACK, Integer.toString(port), Long.toString(bytes), "5"));
            try {
                StreamClient s = server.get(30, TimeUnit.SECONDS);
                long crc = s.done.get(3600, TimeUnit.SECONDS);
                double secs = (System.nanoTime() - t0) / 1e9;
                BufferedReader out = new BufferedReader(new InputStreamReader(source.getInputStream(), StandardCharsets.UTF_8));
                String line = out.readLine();
                String[] f = line.split(" ");
                assertEquals("sent", f[0], line);
                assertEquals(f[1], Long.toString(crc), "CRC at the dpdk stack");
                return secs;
            } finally {
                source.destroyForcibly();
                source.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    static String row(String what, long bytes, double seconds, DpdkNetworkStack stack) {
        return String.format("%-34s %6.1f s  %6.1f MiB/s   %s", what, seconds, (bytes >> 20) / seconds,
                stack.tcpDump().lines().filter(l -> l.startsWith("worker")).findFirst().orElse(""));
    }

    @Test
    void goodputOverALossyTap() throws Exception {
        long bytes = Long.getLong("bench.mib", 256) << 20;
        double loss = Double.parseDouble(System.getProperty("bench.loss", "1"));
        int runs = Integer.getInteger("bench.runs", 1);
        StringBuilder table = new StringBuilder(String.format("%d MiB one way over net_tap, %.1f %% of TCP packets"
                + " dropped each way on the kernel side%n", bytes >> 20, loss));
        int n = 0;
        for (int run = 0; run < runs; run++) {
            try (TapStack t = new TapStack(n++, true, loss)) {
                table.append(row("dpdk sends, SACK on", bytes, dpdkSends(t, bytes, 7001), t.stack)).append('\n');
                table.append(row("kernel sends to dpdk (SACK on)", bytes, kernelSends(t, bytes, 7002), t.stack)).append('\n');
            }
            try (TapStack t = new TapStack(n++, false, loss)) {
                table.append(row("dpdk sends, SACK off", bytes, dpdkSends(t, bytes, 7003), t.stack)).append('\n');
            }
        }
        System.out.print(table);
    }
}
