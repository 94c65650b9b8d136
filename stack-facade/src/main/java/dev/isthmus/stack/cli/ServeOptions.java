package dev.isthmus.stack.cli;

import dev.isthmus.stack.AcceptStrategy;
import dev.isthmus.stack.ListenOptions;
import dev.isthmus.stack.NetworkStacks;
import dev.isthmus.stack.StackOptions;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The command line of {@link Serve}, parsed and checked. Every switch and its default is in
 * {@link #usage()}; a bad value throws {@link UsageException} with a message that says what was wrong.
 */
final class ServeOptions {

    /** A command line that cannot be run; the message is for the user. */
    static final class UsageException extends Exception {
        UsageException(String message) {
            super(message);
        }
    }

    String stack = System.getProperty(NetworkStacks.STACK_PROPERTY, "auto");
    String host = "0.0.0.0";
    int port = 8080;
    int workers = Runtime.getRuntime().availableProcessors();
    String app = "http";
    boolean pin;
    int firstCpu;
    long spinMicros;
    AcceptStrategy accept = AcceptStrategy.REUSEPORT;
    final Map<String, String> properties = new LinkedHashMap<>();
    boolean help;
    boolean listStacks;

    static String usage() {
        ServeOptions d = new ServeOptions();
        return String.join("\n",
                "usage: scripts/serve [options]",
                "  Serves an example on one Isthmus stack, in the foreground until Ctrl-C.",
                "  --stack NAME        io_uring, epoll, nio, dpdk or auto (default: " + d.stack
                        + "; also -Disthmus.stack=NAME)",
                "  --app echo|http|udp-echo  echo: send every byte back; http: \"Hello, World!\" over HTTP/1.1;",
                "                      udp-echo: every datagram back to its sender, one UDP channel per worker on",
                "                      ports PORT..PORT+workers-1 (default: " + d.app + ")",
                "  --host ADDRESS      address to listen on (default: " + d.host + ")",
                "  --port N            port to listen on, 0 for any free one (default: " + d.port + ")",
                "  --workers N         worker threads (default: " + d.workers + ", the available processors)",
                "  --pin               pin worker i to CPU first-cpu+i (default: off)",
                "  --first-cpu N       the CPU worker 0 is pinned to (default: " + d.firstCpu + ")",
                "  --spin-us N         microseconds an idle worker polls before it sleeps (default: " + d.spinMicros + ")",
                "  --accept STRATEGY   reuseport, connection_distribution, port, or fixed (all to worker 0)"
                        + " (default: " + d.accept.name().toLowerCase(Locale.ROOT) + ")",
                "  --property KEY=VAL  a backend switch, e.g. io_uring.sqpoll=true; repeatable (default: none)",
                "  --list-stacks       print every stack found, whether it runs here and why, then exit",
                "  --help              print this and exit",
                "Prints \"listening on HOST:PORT\" on standard output once it accepts connections; logs go to"
                        + " standard error.");
    }

    static ServeOptions parse(String... args) throws UsageException {
        ServeOptions o = new ServeOptions();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String value = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                value = arg.substring(eq + 1); // --port=8080 as well as --port 8080
                arg = arg.substring(0, eq);
            }
            switch (arg) {
                case "--help", "-h", "--list-stacks", "--pin" -> {
                    if (value != null) {
                        throw new UsageException(arg + " takes no value");
                    }
                    switch (arg) {
                        case "--list-stacks" -> o.listStacks = true;
                        case "--pin" -> o.pin = true;
                        default -> o.help = true;
                    }
                }
                case "--stack", "--host", "--port", "--workers", "--app", "--first-cpu", "--spin-us", "--accept",
                     "--property" -> {
                    if (value == null) {
                        if (i + 1 >= args.length) {
                            throw new UsageException(arg + " needs a value");
                        }
                        value = args[++i];
                    }
                    o.set(arg, value);
                }
                default -> throw new UsageException("unknown option '" + args[i] + "'");
            }
        }
        return o;
    }

    private void set(String option, String value) throws UsageException {
        switch (option) {
            case "--stack" -> stack = nonEmpty(option, value);
            case "--host" -> host = nonEmpty(option, value);
            case "--port" -> port = integer(option, value, 0, 65535);
            case "--workers" -> workers = integer(option, value, 1, 4096);
            case "--first-cpu" -> firstCpu = integer(option, value, 0, 65535);
            case "--spin-us" -> spinMicros = integer(option, value, 0, 60_000_000);
            case "--app" -> {
                if (!value.equals("echo") && !value.equals("http") && !value.equals("udp-echo")) {
                    throw new UsageException("--app must be echo, http or udp-echo, was '" + value + "'");
                }
                app = value;
            }
            case "--accept" -> {
                try {
                    accept = AcceptStrategy.valueOf(value.toUpperCase(Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    throw new UsageException("--accept must be reuseport, connection_distribution, port or fixed, was '"
                            + value + "'");
                }
            }
            case "--property" -> {
                int eq = value.indexOf('=');
                if (eq <= 0) {
                    throw new UsageException("--property needs KEY=VALUE, was '" + value + "'");
                }
                properties.put(value.substring(0, eq), value.substring(eq + 1));
            }
            default -> throw new AssertionError(option);
        }
    }

    StackOptions stackOptions() {
        StackOptions s = StackOptions.defaults().withWorkers(workers).withPinWorkers(pin).withFirstCpu(firstCpu)
                .withSpin(Duration.ofNanos(spinMicros * 1000));
        for (Map.Entry<String, String> e : properties.entrySet()) {
            s = s.withProperty(e.getKey(), e.getValue());
        }
        return s;
    }

    /** Whether the app is the UDP echo (channels, not a listener). */
    boolean udp() {
        return app.equals("udp-echo");
    }

    ListenOptions listenOptions() {
        ListenOptions l = ListenOptions.defaults().withSocketOption(java.net.StandardSocketOptions.TCP_NODELAY, true);
        return accept == AcceptStrategy.FIXED ? l.withFixedWorker(0) : l.withAcceptStrategy(accept);
    }

    private static String nonEmpty(String option, String value) throws UsageException {
        if (value.isBlank()) {
            throw new UsageException(option + " must not be empty");
        }
        return value;
    }

    private static int integer(String option, String value, int min, int max) throws UsageException {
        long n;
        try {
            n = Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new UsageException(option + " must be a whole number, was '" + value + "'");
        }
        if (n < min || n > max) {
            throw new UsageException(option + " must be from " + min + " to " + max + ", was " + n);
        }
        return (int) n;
    }
}
