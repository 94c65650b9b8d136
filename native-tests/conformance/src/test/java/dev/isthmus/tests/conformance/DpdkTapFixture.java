package dev.isthmus.tests.conformance;

import dev.isthmus.stack.NetworkStack;
import dev.isthmus.stack.StackOptions;

import java.io.IOException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Where the dpdk stack runs in the conformance suite: a net_tap device in the network namespace the
 * suite's JVM was started in (by {@code src/test/netns/bin/java}, the dpdk execution's {@code <jvm>}), so the
 * tests' JDK sockets, the kernel peers, reach the stack over the tap and nothing leaves the namespace.
 *
 * <p>Addresses (198.18.0.0/15, set aside for benchmarking, RFC 2544): the stack in slot {@code k} gets
 * device {@code net_tap<k>} (kernel interface {@code isthmus<k>}) and 198.18.k.2/24, the kernel side
 * 198.18.k.1/24, its gateway. Kernel peers bind {@link #PEER} (198.18.255.1, on the namespace's {@code lo},
 * put there by the wrapper), which exists before any tap does and which every slot reaches through its
 * gateway; the namespace forwards, so two stacks of one test (slots 0 and 1) reach each other through the
 * kernel too. The first stack a test opens takes slot 0, so {@link #STACK} is its address; a second one open at
 * the same time takes slot 1.
 */
final class DpdkTapFixture {
    /** The system property the dpdk execution sets: the namespace the wrapper made (its name, for messages). */
    static final String PROPERTY = StackUnderTest.DPDK_FIXTURE_PROPERTY;
    /** Set by the wrapper instead when it could not make the namespace: why (each dpdk case is skipped with it). */
    static final String UNAVAILABLE_PROPERTY = "isthmus.conformance.dpdk.unavailable";
    /** The address of the stack in slot 0: the one a test opens first. */
    static final InetAddress STACK = address(198, 18, 0, 2);
    /** Where kernel peers (the tests' JDK sockets) bind: on the namespace's lo, reached through each tap. */
    static final InetAddress PEER = address(198, 18, 255, 1);
    private static final int SLOTS = 4;
    private static final NetworkStack[] OPEN = new NetworkStack[SLOTS];

    private DpdkTapFixture() {
    }

    /** Why the fixture cannot run here, or null when it can: the wrapper's reason, or a JVM not in its namespace. */
    static String unavailableReason() {
        String why = System.getProperty(UNAVAILABLE_PROPERTY);
        if (why != null) {
            return why;
        }
        try {
            if (NetworkInterface.getByInetAddress(PEER) == null) {
                return "the dpdk conformance run needs the namespace src/test/netns/bin/java makes (" + PEER.getHostAddress()
                        + " on its lo); this JVM is not in one (-D" + PROPERTY + " set by hand?)";
            }
        } catch (SocketException e) {
            return "cannot list this namespace's interfaces: " + e;
        }
        return null;
    }

    /**
     * Opens a dpdk stack through {@code open} with the options of the lowest free slot, then gives the
     * kernel side of its tap its address. A slot is free once its last stack is closed and its interface
     * has gone (closing the stack unplugs the tap, which deletes the interface).
     */
    static synchronized NetworkStack open(StackOptions base, Opener open) throws IOException {
        int slot = -1;
        for (int k = 0; k < SLOTS && slot < 0; k++) {
            if (OPEN[k] == null || OPEN[k].isClosed()) {
                slot = k;
            }
        }
        if (slot < 0) {
            throw new AssertionError("the conformance suite opened more than " + SLOTS + " dpdk stacks at once");
        }
        String iface = "isthmus" + slot;
        awaitGone(iface);
        StackOptions o = base.withProperty("dpdk.port", "net_tap" + slot + ",iface=" + iface)
                .withProperty("dpdk.ip", "198.18." + slot + ".2")
                .withProperty("dpdk.netmask", "24")
                .withProperty("dpdk.gateway", "198.18." + slot + ".1");
        NetworkStack s = open.open(o);
        try {
            ip("addr", "add", "198.18." + slot + ".1/24", "dev", iface);
            ip("link", "set", iface, "up");
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
        OPEN[slot] = s;
        return s;
    }

    interface Opener {
        NetworkStack open(StackOptions options) throws IOException;
    }

    /** Waits (at most 10 s) until the interface of a closed stack's tap is gone, so its name can be made again. */
    private static void awaitGone(String iface) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (NetworkInterface.getByName(iface) != null) {
            if (System.nanoTime() > deadline) {
                throw new IOException(iface + " still exists 10 s after its stack closed");
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted waiting for " + iface + " to go", e);
            }
        }
    }

    /** Runs {@code ip args...} in this JVM's namespace; throws with its output unless it exits with 0. */
    private static void ip(String... args) throws IOException {
        List<String> cmd = new java.util.ArrayList<>(List.of("ip"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", cmd) + " did not finish in 10 s");
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        if (p.exitValue() != 0) {
            throw new IOException(String.join(" ", cmd) + " exited with " + p.exitValue() + ": "
                    + new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    private static InetAddress address(int a, int b, int c, int d) {
        try {
            return InetAddress.getByAddress(new byte[]{(byte) a, (byte) b, (byte) c, (byte) d});
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
