package dev.isthmus.dpdk;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A network namespace a test creates and always deletes, with helpers to run commands in it. */
final class NetNs implements AutoCloseable {
    final String name;

    NetNs(String name) throws IOException {
        this.name = name;
        run("ip", "netns", "add", name);
    }

    /** Runs a command in the root namespace; throws with its output unless it exits with 0. */
    static String run(String... cmd) throws IOException {
        Result r = exec(List.of(cmd), 30);
        if (r.exit != 0) {
            throw new IOException(String.join(" ", cmd) + " exited with " + r.exit + ": " + r.output);
        }
        return r.output;
    }

    record Result(int exit, String output) {
    }

    static Result exec(List<String> cmd, int timeoutSeconds) throws IOException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", cmd) + " did not finish in " + timeoutSeconds + " s");
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    /** Runs {@code cmd} inside the namespace. */
    Result execIn(int timeoutSeconds, String... cmd) throws IOException {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", name));
        full.addAll(List.of(cmd));
        return exec(full, timeoutSeconds);
    }

    /**
     * Opens a dpdk stack on the tap {@code vdev} (a net_tap vdev name) with the kernel interface {@code iface},
     * then moves that interface into this namespace with {@code kernelCidr} and brings it up: the kernel side
     * of the link lives here, the stack on the other side.
     */
    DpdkNetworkStack openTapStack(String vdev, String iface, String kernelCidr, dev.isthmus.stack.StackOptions options)
            throws IOException {
        DpdkNetworkStack stack = (DpdkNetworkStack) new DpdkStackProvider().open(
                options.withProperty(DpdkOptions.PORT, vdev + ",iface=" + iface));
        run("ip", "link", "set", iface, "netns", name);
        run("ip", "-n", name, "addr", "add", kernelCidr, "dev", iface);
        run("ip", "-n", name, "link", "set", iface, "up");
        return stack;
    }

    /** Closes {@code stack} (if any), checks it had every mbuf back, then deletes this namespace. */
    void closeWith(DpdkNetworkStack stack) throws IOException {
        try {
            if (stack != null) {
                stack.close();
                org.junit.jupiter.api.Assertions.assertEquals(0, stack.mbufsInUseAtClose(), "mbufs in use after close");
            }
        } finally {
            close();
        }
    }

    /** Starts {@code cmd} inside the namespace without waiting. */
    Process startIn(List<String> cmd) throws IOException {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", name));
        full.addAll(cmd);
        return new ProcessBuilder(full).redirectErrorStream(true).start();
    }

    @Override
    public void close() throws IOException {
        run("ip", "netns", "delete", name);
    }
}
