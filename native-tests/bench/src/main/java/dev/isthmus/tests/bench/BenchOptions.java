package dev.isthmus.tests.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The command line of {@code scripts/bench} (and of {@code scripts/demo}, which passes a shorter plan),
 * parsed and checked. Every switch and its default is in {@link #usage()}; a bad value throws
 * {@link UsageException} with a message that says what was wrong.
 */
public final class BenchOptions {

    /** A command line that cannot be run; the message is for the user. */
    public static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }

    /** What a run measures. */
    public enum Mode {
        /** HTTP "Hello, World!" throughput over many keep-alive connections. */
        HTTP,
        /** Echo throughput over many connections. */
        ECHO,
        /** One connection, one message in flight: the round trip. */
        PINGPONG,
        /** UDP datagrams echoed over N flows, fixed-rate steps: the highest rate with under 0.1 % loss. */
        UDP;

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Which load generator drives the servers. */
    public enum Driver { BUILTIN, WRK }

    /**
     * The Netty transports that {@code --vs netty} adds. {@code nio-isthmus} is Netty's unmodified nio transport
     * in a JVM started with our providers' system properties ({@link NioServers#providerProperties()}).
     */
    public static final List<String> NETTY_TRANSPORTS = List.of("nio", "nio-isthmus", "epoll", "io_uring");
    /** The java.nio provider of io-epoll/nio-provider, installed by its system property only. */
    public static final String ISTHMUS_SELECTOR_PROVIDER = "dev.isthmus.nio.channels.IsthmusSelectorProvider";
    /** The prefix of a Netty server's name in the stack list: {@code netty-epoll}. */
    public static final String NETTY_PREFIX = "netty-";

    List<String> stacks = new ArrayList<>(List.of("all"));
    boolean vsNetty;
    boolean vsC;
    boolean vsNio;
    Set<Mode> modes = new LinkedHashSet<>(List.of(Mode.HTTP, Mode.PINGPONG));
    int workers = 1;
    int connections = 64;
    int pipeline = 1;
    double durationSeconds = 10;
    double warmupSeconds = 8;
    double totalSeconds; // 0: not set; else the whole run's budget, split over the runs (the demo)
    int rounds = 2;
    int slices = 1; // http with wrk: each round's measured time in this many slices, servers interleaved
    int requestSize; // http: 0 = the shortest request
    int messageSize = 64; // echo and ping-pong
    long rate; // requests per second over all connections; 0 = closed loop
    Boolean pin; // null: pin when the machine has two CPUs or more
    int serverCpu;
    int clientCpu = 1;
    String clientStack = "auto";
    int clientWorkers = 1;
    long clientSpinMicros;
    Driver driver = Driver.BUILTIN;
    int port;
    long timeoutMillis = 2000;
    Path out = Path.of("target", "bench");
    String serverJvmOptions = "";
    Path serveArgFile; // set by the scripts: java options that launch the Serve launcher on the module path
    Path cSources = Path.of("native-tests", "bench", "src", "main", "c"); // set by the scripts: the C servers' sources
    boolean allocation = true;
    boolean syscalls = true;
    int flows = 16; // udp
    double stepSeconds = 2; // udp: each fixed-rate step
    long rateStart = 20_000; // udp: the sweep's first rate
    double rateFactor = 1.25; // udp: the sweep's growth per step
    boolean help;

    /** The usage text, every switch with its default. */
    public static String usage() {
        BenchOptions d = new BenchOptions();
        return String.join("\n",
                "usage: scripts/bench [options]        (scripts/bench --jmh [filter] [JMH options] runs the JMH benchmarks)",
                "  Starts each server in its own process, drives it over loopback and prints a table; writes",
                "  results.json and chart.svg under --out/<timestamp>/.",
                "  --stacks LIST         comma-separated: io_uring, epoll, nio, dpdk (over a net_memif pair the harness",
                "                        sets up), netty-nio, netty-nio-isthmus (Netty's nio",
                "                        transport on our java.nio SelectorProvider), netty-epoll, netty-io_uring,",
                "                        c-epoll, c-io_uring, the unmodified java.nio servers jdk-httpserver, jetty,",
                "                        tomcat-nio2 (HTTP only, driven by wrk) and each with -isthmus (jetty-isthmus:",
                "                        on our providers), or all (every Isthmus stack available here)",
                "                        (default: all); a stack may carry switches after '+': epoll+spin-us=50,",
                "                        io_uring+io_uring.sqpoll=true, epoll+build=../old (that checkout's",
                "                        jars: a change measured against the build before it)",
                "  --vs netty            add Netty 4.2's nio (on the JDK's and on our SelectorProvider), epoll and",
                "                        io_uring transports (default: off)",
                "  --vs c                add minimal C servers on epoll and io_uring (native-tests/bench/src/main/c), built",
                "                        now with gcc -O2 and liburing: the hand-written baseline (default: off);",
                "                        --vs netty,c adds both",
                "  --vs nio              add the unmodified java.nio servers, each on the JDK's providers and then on",
                "                        ours (-Djava.nio.channels.spi.SelectorProvider=" + ISTHMUS_SELECTOR_PROVIDER + ",",
                "                        -Djava.nio.channels.spi.AsynchronousChannelProvider=" + NioServers.ISTHMUS_ASYNC_PROVIDER + "):",
                "                        " + String.join(", ", NioServers.vsNio().subList(0, 4)) + ",",
                "                        " + String.join(", ", NioServers.vsNio().subList(4, 8)) + ",",
                "                        and " + NioServers.vsNio().get(8) + " (the reference); with --driver wrk, and --mode http",
                "                        (the java.nio servers serve HTTP only) (default: off); --vs netty,c,nio",
                "                        adds all three",
                "  --mode LIST           http, echo, pingpong, udp, comma-separated (default: http,pingpong); udp:",
                "                        datagrams of --size bytes echoed by the udp-echo example over --flows flows",
                "                        (source ports), fixed-rate steps from --rate-start growing by --rate-factor",
                "                        until a step loses 0.1 % or more (halved while the first ones do), then",
                "                        bisected twice between the last pass and the first failure; the figure is the",
                "                        highest rate echoed with under 0.1 % loss. dpdk runs every mode over a",
                "                        net_memif pair (server: 198.18.0.2, load generator: a dpdk stack in this JVM,",
                "                        198.18.0.1; always the built-in driver), its CPU column being its busy time",
                "  --flows N             udp: flows, each its own source port (default: " + d.flows + ")",
                "  --step-seconds S      udp: length of each fixed-rate step (default: " + fmt(d.stepSeconds) + ")",
                "  --rate-start N        udp: the first step's datagrams/s (default: " + d.rateStart + "); with",
                "                        --rate N, udp runs one step at N instead of the sweep",
                "  --rate-factor F       udp: each step's rate over the last one's, 1.01..10 (default: " + d.rateFactor + ")",
                "  --workers N           server worker threads (default: " + d.workers + ")",
                "  --connections N       connections for http and echo (default: " + d.connections + "; pingpong uses 1)",
                "  --pipeline N          requests in flight per connection: the built-in driver sends the next as",
                "                        each reply comes; wrk sends N in one write and the next N once all N",
                "                        replies are in (default: " + d.pipeline + "; pingpong uses 1)",
                "  --duration SECONDS    measured time of each run (default: " + fmt(d.durationSeconds) + ")",
                "  --warmup SECONDS      warm-up before each measured run; with wrk, from 2 s up it starts with a",
                "                        1 s run of its own, so the first reconnect is over before measuring",
                "                        (default: " + fmt(d.warmupSeconds) + ")",
                "  --total SECONDS       instead of --duration/--warmup: the whole benchmark's budget, split over",
                "                        the runs (scripts/demo uses this) (default: not set)",
                "  --rounds N            runs per server, alternating A B A B; the best run of each is kept, and",
                "                        from 2 rounds up every round is printed as well (default: " + d.rounds + ")",
                "  --slices N            with --driver wrk and --mode http: every round starts all its servers at",
                "                        once and measures them in turn, N times, --duration / N seconds each (whole",
                "                        seconds, at least 1), every second turn in the reverse order; a server not",
                "                        being measured is stopped (SIGSTOP), so a drift in the machine's speed",
                "                        weighs on all servers of a round alike (default: " + d.slices + ", one window each)",
                "  --request-size BYTES  size of an HTTP request, padded with a header (default: the shortest, "
                        + Workload.MIN_HTTP_REQUEST + ")",
                "  --size BYTES          message size for echo and pingpong (default: " + d.messageSize + ")",
                "  --rate N              open loop: N requests/s over all connections, latency measured from each",
                "                        request's intended send time (coordinated omission) (default: 0, closed loop)",
                "  --pin / --no-pin      server on --server-cpu, load generator on --client-cpu with taskset",
                "                        (default: on when the machine has 2 CPUs or more)",
                "  --server-cpu N        (default: " + d.serverCpu + ")",
                "  --client-cpu N        (default: " + d.clientCpu + ")",
                "  --client-stack NAME   the stack the load generator runs on (default: " + d.clientStack + ")",
                "  --client-workers N    load generator threads (default: " + d.clientWorkers + ")",
                "  --client-spin-us N    microseconds the load generator polls before it sleeps (default: 0)",
                "  --driver builtin|wrk  wrk drives http runs instead of the built-in generator (no per-byte check;",
                "                        wrk counts non-2xx replies and socket errors) (default: builtin)",
                "  --port N              server port, 0 for a free one (default: 0)",
                "  --timeout-ms N        a reply later than this is a timeout error (default: " + d.timeoutMillis + ")",
                "  --out DIR             where results go (default: " + d.out + ")",
                "  --server-jvm-opts S   extra JVM options for every server, space-separated (default: none)",
                "  --no-alloc            do not record allocation with JFR in the servers (default: record)",
                "  --no-syscalls         do not count the servers' system calls (default: count them where perf may,",
                "                        perf stat -e " + SyscallCounter.EVENT + ", in a window of half the",
                "                        measured time, 1 to 5 s, right after it: the tracepoint slows every system",
                "                        call, so the CPU figures are taken without it)",
                "  --help                print this and exit");
    }

    /** Parses {@code args}. */
    public static BenchOptions parse(String... args) throws UsageException {
        BenchOptions o = new BenchOptions();
        boolean durationSet = false;
        boolean warmupSet = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String value = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                value = arg.substring(eq + 1);
                arg = arg.substring(0, eq);
            }
            switch (arg) {
                case "--help", "-h", "--pin", "--no-pin", "--no-alloc", "--no-syscalls" -> {
                    if (value != null) {
                        throw new UsageException(arg + " takes no value");
                    }
                    switch (arg) {
                        case "--pin" -> o.pin = true;
                        case "--no-pin" -> o.pin = false;
                        case "--no-alloc" -> o.allocation = false;
                        case "--no-syscalls" -> o.syscalls = false;
                        default -> o.help = true;
                    }
                }
                default -> {
                    if (!arg.startsWith("--")) {
                        throw new UsageException("unexpected argument '" + args[i] + "'");
                    }
                    if (value == null) {
                        if (i + 1 >= args.length) {
                            throw new UsageException(arg + " needs a value");
                        }
                        value = args[++i];
                    }
                    durationSet |= arg.equals("--duration");
                    warmupSet |= arg.equals("--warmup");
                    o.set(arg, value);
                }
            }
        }
        if (o.modes.contains(Mode.UDP) && (o.messageSize < UdpPayload.MIN_SIZE || o.messageSize > 1472)) {
            throw new UsageException("--size for udp must be from " + UdpPayload.MIN_SIZE
                    + " (the load's header and some pattern) to 1472 (one frame at MTU 1500), was " + o.messageSize);
        }
        if (o.totalSeconds > 0 && (durationSet || warmupSet)) {
            throw new UsageException("--total splits the time over the runs; give it or --duration/--warmup, not both");
        }
        if (o.slices > 1) {
            if (o.driver != Driver.WRK || !o.modes.equals(Set.of(Mode.HTTP))) {
                throw new UsageException("--slices interleaves wrk's http runs: give it with --driver wrk --mode http");
            }
            if (o.totalSeconds > 0) {
                throw new UsageException("--slices splits --duration; give --duration and --warmup, not --total");
            }
            if (o.sliceSeconds() < 1) {
                throw new UsageException("--duration " + fmt(o.durationSeconds) + " over --slices " + o.slices
                        + " gives slices under wrk's shortest run, 1 s: give at least " + o.slices + " s");
            }
        }
        return o;
    }

    private void set(String option, String value) throws UsageException {
        switch (option) {
            case "--stacks", "--stack" -> stacks = names(option, value);
            case "--vs" -> {
                for (String peer : names(option, value)) {
                    switch (peer) {
                        case "netty" -> vsNetty = true;
                        case "c" -> vsC = true;
                        case "nio" -> vsNio = true;
                        default -> throw new UsageException("--vs knows netty, c and nio, was '" + peer + "'");
                    }
                }
            }
            case "--mode" -> {
                modes = new LinkedHashSet<>();
                for (String m : names(option, value)) {
                    try {
                        modes.add(Mode.valueOf(m.toUpperCase(Locale.ROOT)));
                    } catch (IllegalArgumentException e) {
                        throw new UsageException("--mode takes http, echo, pingpong or udp, was '" + m + "'");
                    }
                }
            }
            case "--workers" -> workers = (int) integer(option, value, 1, 1024);
            case "--connections" -> connections = (int) integer(option, value, 1, 100_000);
            case "--pipeline" -> pipeline = (int) integer(option, value, 1, 1024);
            case "--duration" -> durationSeconds = seconds(option, value, 0.5);
            case "--warmup" -> warmupSeconds = seconds(option, value, 0);
            case "--total" -> totalSeconds = seconds(option, value, 3);
            case "--rounds" -> rounds = (int) integer(option, value, 1, 100);
            case "--slices" -> slices = (int) integer(option, value, 1, 100);
            case "--request-size" -> {
                requestSize = (int) integer(option, value, 0, 1 << 20);
                try {
                    Workload.http(requestSize);
                } catch (IllegalArgumentException e) {
                    throw new UsageException("--request-size: " + e.getMessage());
                }
            }
            case "--flows" -> flows = (int) integer(option, value, 1, 4096);
            case "--step-seconds" -> stepSeconds = seconds(option, value, 0.2);
            case "--rate-start" -> rateStart = integer(option, value, 1, 100_000_000);
            case "--rate-factor" -> {
                try {
                    rateFactor = Double.parseDouble(value.trim());
                } catch (NumberFormatException e) {
                    throw new UsageException("--rate-factor must be a number, was '" + value + "'");
                }
                if (!(rateFactor >= 1.01 && rateFactor <= 10)) {
                    throw new UsageException("--rate-factor must be from 1.01 to 10, was " + value.trim());
                }
            }
            case "--size" -> messageSize = (int) integer(option, value, 1, 1 << 20);
            case "--rate" -> rate = integer(option, value, 0, 100_000_000);
            case "--server-cpu" -> serverCpu = (int) integer(option, value, 0, 65535);
            case "--client-cpu" -> clientCpu = (int) integer(option, value, 0, 65535);
            case "--client-stack" -> clientStack = nonEmpty(option, value);
            case "--client-workers" -> clientWorkers = (int) integer(option, value, 1, 1024);
            case "--client-spin-us" -> clientSpinMicros = integer(option, value, 0, 60_000_000);
            case "--driver" -> {
                try {
                    driver = Driver.valueOf(value.toUpperCase(Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    throw new UsageException("--driver must be builtin or wrk, was '" + value + "'");
                }
            }
            case "--port" -> port = (int) integer(option, value, 0, 65535);
            case "--timeout-ms" -> timeoutMillis = integer(option, value, 1, 3_600_000);
            case "--out" -> out = Path.of(nonEmpty(option, value));
            case "--server-jvm-opts" -> serverJvmOptions = value.trim();
            case "--serve-argfile" -> serveArgFile = Path.of(nonEmpty(option, value));
            case "--c-sources" -> cSources = Path.of(nonEmpty(option, value));
            default -> throw new UsageException("unknown option '" + option + "'");
        }
    }

    /** With {@code --slices}: the length of one slice, whole seconds (wrk's {@code -d} takes whole seconds). */
    long sliceSeconds() {
        return (long) Math.floor(durationSeconds / slices);
    }

    /** Whether to pin, given how many CPUs the machine has. */
    public boolean pinning(int cpus) {
        return pin != null ? pin : cpus >= 2;
    }

    /** Whether the user asked for pinning explicitly. */
    public boolean pinAsked() {
        return Boolean.TRUE.equals(pin);
    }

    private static List<String> names(String option, String value) throws UsageException {
        List<String> out = new ArrayList<>();
        for (String s : value.split(",")) {
            String t = s.trim();
            if (t.isEmpty()) {
                throw new UsageException(option + " has an empty name in '" + value + "'");
            }
            if (!out.contains(t)) {
                out.add(t);
            }
        }
        return out;
    }

    private static String nonEmpty(String option, String value) throws UsageException {
        if (value.isBlank()) {
            throw new UsageException(option + " must not be empty");
        }
        return value.trim();
    }

    private static long integer(String option, String value, long min, long max) throws UsageException {
        long n;
        try {
            n = Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new UsageException(option + " must be a whole number, was '" + value + "'");
        }
        if (n < min || n > max) {
            throw new UsageException(option + " must be from " + min + " to " + max + ", was " + n);
        }
        return n;
    }

    private static double seconds(String option, String value, double min) throws UsageException {
        String v = value.trim();
        if (v.endsWith("s")) {
            v = v.substring(0, v.length() - 1); // 10s as well as 10
        }
        double d;
        try {
            d = Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new UsageException(option + " must be a number of seconds, was '" + value + "'");
        }
        if (!(d >= min) || d > 86_400) {
            throw new UsageException(option + " must be from " + fmt(min) + " to 86400 seconds, was " + value);
        }
        return d;
    }

    static String fmt(double seconds) {
        return seconds == Math.rint(seconds) ? Long.toString((long) seconds) : Double.toString(seconds);
    }
}
