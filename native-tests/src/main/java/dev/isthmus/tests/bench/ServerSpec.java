package dev.isthmus.tests.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * A server as named on the command line: a stack or Netty transport, optionally with switches after
 * {@code +}, so one run can compare a stack with itself configured otherwise:
 * {@code epoll+spin-us=50} (the worker polls 50 µs before it sleeps), {@code io_uring+io_uring.sqpoll=true}
 * (any other {@code key=value} is a backend property, passed as Serve's {@code --property}).
 */
record ServerSpec(String label, String base, List<String> serveArguments) {

    /** Parses {@code label}; throws with a message that names the bad part. */
    static ServerSpec parse(String label) throws BenchOptions.UsageException {
        String[] parts = label.split("\\+");
        String base = parts[0];
        if (base.isEmpty()) {
            throw new BenchOptions.UsageException("server '" + label + "' has no stack name before '+'");
        }
        List<String> args = new ArrayList<>();
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
            String key = p.substring(0, eq);
            String value = p.substring(eq + 1);
            if (key.equals("spin-us")) {
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
        return new ServerSpec(label, base, List.copyOf(args));
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
