package dev.isthmus.nio.channels;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Real multicast between two network namespaces this test creates, joined by a veth pair: the sender's side has
 * 198.18.0.1 and 198.18.0.3 (2001:db8::1 and ::3), the receiver's 198.18.0.2 (2001:db8::2); nothing leaves the
 * machine. A child JVM in each namespace ({@code ip netns exec}, see {@link MulticastPeer}): the sender sends to
 * the group from both sources; the receiver joins, blocks, unblocks, drops and joins source-specific, and checks
 * what arrives after each step (the kernel drops multicast for a group the interface has not joined). The
 * receiver runs on the JDK's provider and on ours, for an IPv4 and an IPv6 group; the sender on ours.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class MulticastNamespaceTest {
    private static final String TX = "isth-mctx-" + ProcessHandle.current().pid();
    private static final String RX = "isth-mcrx-" + ProcessHandle.current().pid();

    @BeforeAll
    static void namespaces() throws IOException, InterruptedException {
        run("ip", "netns", "add", TX);
        run("ip", "netns", "add", RX);
        run("ip", "-n", TX, "link", "add", "mctx0", "type", "veth", "peer", "name", "mcrx0", "netns", RX);
        run("ip", "-n", TX, "addr", "add", "198.18.0.1/24", "dev", "mctx0");
        run("ip", "-n", TX, "addr", "add", "198.18.0.3/24", "dev", "mctx0");
        run("ip", "-n", RX, "addr", "add", "198.18.0.2/24", "dev", "mcrx0");
        run("ip", "-n", TX, "-6", "addr", "add", "2001:db8::1/64", "dev", "mctx0", "nodad");
        run("ip", "-n", TX, "-6", "addr", "add", "2001:db8::3/64", "dev", "mctx0", "nodad");
        run("ip", "-n", RX, "-6", "addr", "add", "2001:db8::2/64", "dev", "mcrx0", "nodad");
        for (String[] nsIf : new String[][] {{TX, "mctx0"}, {RX, "mcrx0"}}) {
            run("ip", "-n", nsIf[0], "link", "set", "lo", "up");
            run("ip", "-n", nsIf[0], "link", "set", nsIf[1], "up");
        }
    }

    @AfterAll
    static void deleteNamespaces() throws IOException, InterruptedException {
        // deleting a namespace deletes the veth end inside it, and with it the pair
        IOException first = null;
        for (String ns : List.of(TX, RX)) {
            try {
                run("ip", "netns", "delete", ns);
            } catch (IOException e) {
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }

    @ParameterizedTest(name = "{0} receiver, group {1}")
    @CsvSource({
            "jdk,   239.1.2.3,   198.18.0.1,  198.18.0.3",
            "ours,  239.1.2.3,   198.18.0.1,  198.18.0.3",
            "jdk,   ff15::4711,  2001:db8::1, 2001:db8::3",
            "ours,  ff15::4711,  2001:db8::1, 2001:db8::3"})
    void membershipStepsSeeTheTrafficTheyShould(String receiver, String group, String src1, String src2) throws Exception {
        String port = "47" + (group.contains(":") ? "11" : "12") + (receiver.equals("ours") ? "1" : "2");
        List<String> rxCmd = inNamespace(RX, ChildJvm.command(receiver.equals("ours"), MulticastPeer.class.getName(),
                "receive", "mcrx0", group, port, src1, src2));
        Process rx = new ProcessBuilder(rxCmd).redirectErrorStream(true).start();
        Process tx = null;
        java.nio.file.Path txLog = java.nio.file.Files.createTempFile("multicast-sender", ".log");
        StringBuilder out = new StringBuilder();
        try {
            BufferedReader r = new BufferedReader(new InputStreamReader(rx.getInputStream(), StandardCharsets.UTF_8));
            String line;
            while ((line = r.readLine()) != null) {
                out.append(line).append('\n');
                if (line.equals("READY") && tx == null) {
                    tx = new ProcessBuilder(inNamespace(TX, ChildJvm.command(true, MulticastPeer.class.getName(),
                            "send", "mctx0", group, port, "120", src1, src2))).redirectErrorStream(true)
                            .redirectOutput(txLog.toFile()).start();
                }
            }
            assertTrue(rx.waitFor(60, TimeUnit.SECONDS), "receiver did not end:\n" + out);
            String txOut = "";
            if (tx != null) {
                tx.destroy();
                tx.waitFor(30, TimeUnit.SECONDS);
                txOut = java.nio.file.Files.readString(txLog);
            }
            assertTrue(txOut.startsWith("sending from 2 sources on " + IsthmusSelectorProvider.class.getName()),
                    "sender:\n" + txOut + "\nreceiver:\n" + out);
            assertEquals(0, rx.exitValue(), "receiver:\n" + out + "\nsender:\n" + txOut);
            assertEquals(7, out.toString().lines().filter(l -> l.startsWith("PASS ")).count(), out.toString());
            assertTrue(out.toString().contains("provider " + (receiver.equals("ours") ? IsthmusSelectorProvider.class.getName()
                    : "sun.nio.ch.")), out.toString());
        } finally {
            rx.destroyForcibly();
            if (tx != null) {
                tx.destroyForcibly();
            }
            java.nio.file.Files.deleteIfExists(txLog);
        }
    }

    private static List<String> inNamespace(String ns, List<String> cmd) {
        List<String> l = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        l.addAll(cmd);
        return l;
    }

    private static void run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed: " + out);
        }
    }
}
