package dev.isthmus.tests.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A server as named on the command line: a stack or Netty transport, optionally with switches after
 * {@code +}, so one run can compare a stack with itself configured otherwise:
 * {@code epoll+spin-us=50} (the worker polls 50 µs before it sleeps), {@code io_uring+io_uring.sqpoll=true}
 * (any other {@code key=value} is a backend property, passed as Serve's {@code --property}), and
 * {@code epoll+build=/path/to/other/checkout}: the same stack from another checkout's jars, so that one run
 * can set a change against the build before it, A B A B.
 *
 * @param build the checkout whose launcher argument file starts this server, or null for this build
 */
record ServerSpec(String label, String base, List<String> serveArguments, Path build) {

    /** Where a checkout's scripts write the launcher's argument file, newest layout first. */
    static final List<String> SERVE_ARGFILES = List.of("native-tests/bench/target/serve.args",
            "native-tests/target/serve.args");

    /** Parses {@code label}; throws with a message that names the bad part. */
    static ServerSpec parse(String label) throws BenchOptions.UsageException {
        String[] parts = label.split("\\+");
        String base = parts[0];
        if (base.isEmpty()) {
            throw new BenchOptions.UsageException("server '" + label + "' has no stack name before '+'");
        }
        List<String> args = new ArrayList<>();
        Path build = null;
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i];
            int eq = p.indexOf('=');
            if (eq <= 0 || eq == p.length() - 1) {
                throw new BenchOptions.UsageException("server '" + label + "': switch '" + p
                        + "' must be key=value (spin-us=N, or a backend property such as io_uring.sqpoll=true)");
            }
            if (base.startsWith(BenchOptions.NETTY_PREFIX)) {
                throw new BenchOptions.UsageException("server '" + label + "': Netty servers take no switches");
            }
            if (CServers.isC(base)) {
                throw new BenchOptions.UsageException("server '" + label + "': the C servers take no switches");
            }
            if (NioServers.isNio(base)) {
                throw new BenchOptions.UsageException("server '" + label + "': the java.nio servers take no switches");
            }
            String key = p.substring(0, eq);
            String value = p.substring(eq + 1);
            if (key.equals("build")) {
                build = serveArgFile(label, value);
            } else if (key.equals("spin-us")) {
                try {
                    if (Integer.parseInt(value) < 0) {
                        throw new NumberFormatException();
                    }
                } catch (NumberFormatException e) {
                    throw new BenchOptions.UsageException("server '" + label + "': spin-us needs a whole number >= 0, was '" + value + "'");
                }
                args.addAll(List.of("--spin-us", value));
            } else {
                args.addAll(List.of("--property", key + "=" + value));
            }
        }
        return new ServerSpec(label, base, List.copyOf(args), build);
    }

    /** The argument file of the checkout at {@code dir}; throws saying how to make it when it is missing. */
    private static Path serveArgFile(String label, String dir) throws BenchOptions.UsageException {
        Path root = Path.of(dir);
        if (!Files.isDirectory(root)) {
            throw new BenchOptions.UsageException("server '" + label + "': build=" + dir + " is not a directory");
        }
        for (String f : SERVE_ARGFILES) {
            Path p = root.resolve(f).toAbsolutePath();
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        throw new BenchOptions.UsageException("server '" + label + "': " + dir + " has no built launcher ("
                + String.join(" or ", SERVE_ARGFILES) + "); run 'scripts/bench --help' in that checkout once to build it");
    }

    /** Whether this is one of Netty's transports. */
    boolean netty() {
        return base.startsWith(BenchOptions.NETTY_PREFIX);
    }

    /** Whether this is one of the minimal C servers of {@code --vs c}. */
    boolean c() {
        return CServers.isC(base);
    }
}
