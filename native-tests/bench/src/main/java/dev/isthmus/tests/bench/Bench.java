package dev.isthmus.tests.bench;

import dev.isthmus.stack.NetworkStack;
import dev.isthmus.stack.NetworkStacks;
import dev.isthmus.stack.StackOptions;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The benchmark harness behind {@code scripts/bench} and {@code scripts/demo}: for every server asked for
 * (Isthmus stacks, Netty's transports with {@code --vs netty}, minimal C servers with {@code --vs c}) and
 * every mode, starts the server in its own process (pinned to one CPU), drives it over loopback with the
 * {@link LoadGenerator} (pinned to another) or wrk, and reports requests per second, latency percentiles,
 * the server's CPU time and heap allocation per request, and errors. Runs alternate between servers
 * (A B A B) and each server's best run is reported. Writes results.json and chart.svg and prints where.
 *
 * <p>Exit status: 0 when every request was answered correctly, 1 when a run had errors or a server failed
 * (did not start, died mid-run), 2 for a bad command line.
 */
public final class Bench {

    /** Roughly what starting and stopping a server JVM takes, for the plan and the progress bar. */
    private static final double STARTUP_SECONDS = 2.5;
    private static final Duration SERVER_START_TIMEOUT = Duration.ofSeconds(30);
    private static final long MONITOR_MILLIS = 200;
    /**
     * How long a UDP step waits at most for its last echoes after it stops sending: a server scheduled out
     * on a busy machine answers the last datagrams hundreds of milliseconds late, and they are not lost.
     * The wait ends as soon as every echo is in, so it costs time only when datagrams were lost.
     */
    static final Duration UDP_DRAIN = Duration.ofSeconds(1);
    /** The drain time the plan counts with per step: most steps end with every echo in. */
    private static final double UDP_PLANNED_DRAIN_SECONDS = 0.3;
    private static final int UDP_PLANNED_STEPS = 12;

    private final BenchOptions o;
    private final PrintStream out;
    private final PrintStream err;
    private final Machine machine = Machine.here();
    /** Why the servers' system calls are not counted in this run, or null when they are ({@link SyscallCounter}). */
    private String syscallsUnavailable;

    private Bench(BenchOptions o, PrintStream out, PrintStream err) {
        this.o = o;
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the harness as {@code args} say and returns the exit status. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        BenchOptions o;
        try {
            o = BenchOptions.parse(args);
        } catch (BenchOptions.UsageException e) {
            err.println("bench: " + e.getMessage());
            err.println("try --help");
            return 2;
        }
        if (o.help) {
            out.println(BenchOptions.usage());
            return 0;
        }
        try {
            return new Bench(o, out, err).run(userCommand(args));
        } catch (BenchOptions.UsageException e) {
            err.println("bench: " + e.getMessage());
            return 2;
        } catch (Failure e) {
            err.println();
            err.println("bench: " + e.getMessage());
            return 1;
        }
    }

    /** The command line as the user gave it: without the paths the scripts add. */
    static String userCommand(String[] args) {
        List<String> shown = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--serve-argfile") || args[i].equals("--c-sources")) {
                i++;
            } else if (!args[i].startsWith("--serve-argfile=") && !args[i].startsWith("--c-sources=")) {
                shown.add(args[i]);
            }
        }
        return "scripts/bench " + String.join(" ", shown);
    }

    /** A run that cannot go on: the message says why. */
    static final class Failure extends Exception {
        private static final long serialVersionUID = 1L;

        Failure(String message) {
            super(message);
        }
    }

    /** One planned run. */
    record Planned(String server, BenchOptions.Mode mode, int round, double warmup, double measure) {
        String label() {
            return server + " " + mode.label();
        }
    }

    private int run(String command) throws BenchOptions.UsageException, Failure {
        List<String> servers = servers();
        List<BenchOptions.Mode> modes = List.copyOf(o.modes);
        boolean wrk = o.driver == BenchOptions.Driver.WRK;
        if (wrk) {
            if (!WrkDriver.installed()) {
                throw new BenchOptions.UsageException("--driver wrk: wrk is not installed (apt-get install wrk)");
            }
            if (o.rate > 0) {
                throw new BenchOptions.UsageException("--driver wrk has no fixed rate; use the built-in driver");
            }
            if (!modes.contains(BenchOptions.Mode.HTTP)) {
                throw new BenchOptions.UsageException("--driver wrk drives only http runs; add --mode http");
            }
        }
        boolean anyC = servers.stream().anyMatch(CServers::isC);
        if (modes.contains(BenchOptions.Mode.UDP) && servers.stream().anyMatch(
                s -> CServers.isC(s) || s.startsWith(BenchOptions.NETTY_PREFIX) || NioServers.isNio(s))) {
            throw new BenchOptions.UsageException("--mode udp runs the Isthmus stacks' udp-echo example only;"
                    + " leave out --vs and the netty-/c-/java.nio servers");
        }
        List<String> httpOnly = servers.stream().filter(NioServers::isNio).toList();
        if (!httpOnly.isEmpty() && !modes.contains(BenchOptions.Mode.HTTP)) {
            throw new BenchOptions.UsageException(String.join(", ", httpOnly) + " serve HTTP only: add --mode http");
        }
        if (!httpOnly.isEmpty() && !wrk) {
            throw new BenchOptions.UsageException(String.join(", ", httpOnly) + " send headers of their own (Date,"
                    + " Server), which the built-in load generator's byte-for-byte check does not accept: add --driver wrk");
        }
        if (o.slices > 1 && servers.stream().anyMatch(Bench::isDpdk)) {
            throw new BenchOptions.UsageException("--slices: wrk cannot reach the dpdk stack (it runs on the kernel's TCP);"
                    + " measure dpdk without --slices");
        }
        if (anyC && o.workers != 1) {
            throw new BenchOptions.UsageException("the C servers run one thread: compare them with --workers 1");
        }
        Integer serverCpu = null;
        if (o.pinning(machine.cpus())) {
            if (machine.cpus() < 2) {
                out.println("note: this machine has 1 CPU: not pinning (server and load generator share it)");
            } else if (o.serverCpu >= machine.cpus() || o.clientCpu >= machine.cpus() || o.serverCpu == o.clientCpu) {
                throw new BenchOptions.UsageException("--server-cpu " + o.serverCpu + " and --client-cpu " + o.clientCpu
                        + " must be two different CPUs from 0 to " + (machine.cpus() - 1));
            } else {
                pinSelf(o.clientCpu);
                serverCpu = o.serverCpu;
            }
        } else if (machine.cpus() < 2) {
            out.println("note: this machine has 1 CPU: server and load generator share it");
        }

        List<Planned> plan = plan(servers, modes);
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        Path dir = o.out.resolve(stamp).toAbsolutePath();
        Path jfrSettings;
        WrkDriver wrkDriver = null;
        try {
            Files.createDirectories(dir.resolve("logs"));
            jfrSettings = o.allocation ? AllocationReader.writeSettings(dir) : null;
            if (wrk) {
                wrkDriver = new WrkDriver(dir, o.pipeline);
            }
        } catch (IOException e) {
            throw new Failure("cannot write to " + dir + ": " + e.getMessage());
        }
        syscallsUnavailable = o.syscalls ? SyscallCounter.unavailable(dir) : "not counted (--no-syscalls)";
        Map<String, Path> cServers = Map.of();
        if (anyC) {
            try {
                cServers = CServers.build(o.cSources, dir.resolve("c-servers"));
            } catch (IOException e) {
                throw new Failure(e.getMessage());
            }
        }
        ServerCommand commands = new ServerCommand(o.serveArgFile, serverCpu, jfrSettings, o.serverJvmOptions, cServers);

        out.println("servers: " + String.join(", ", servers) + "; modes: "
                + modes.stream().map(BenchOptions.Mode::label).collect(Collectors.joining(", ")) + "; "
                + plan.size() + " runs of " + seconds(plan.getFirst().warmup()) + " warm-up + "
                + seconds(plan.getFirst().measure()) + " measured");
        if (o.slices > 1) {
            out.println("interleaved: each round starts its " + plan.stream().filter(p -> p.round() == 1).count()
                    + " servers at once, warms each, then measures them in turn, " + o.slices + " slices of "
                    + o.sliceSeconds() + " s each (every second turn in the reverse order); a server not being"
                    + " measured is stopped with SIGSTOP");
        }
        out.println("machine: " + machine.describe());
        if (anyC) {
            out.println("C servers: built with gcc -O2 from " + o.cSources.toAbsolutePath().normalize() + " into "
                    + dir.resolve("c-servers") + " (commands in build.log there)");
        }
        out.println(serverCpu != null
                ? "pinning: servers on CPU " + serverCpu + ", load generator on CPU " + o.clientCpu + " (taskset)"
                : "pinning: off");
        out.println(syscallsUnavailable == null
                ? "system calls: perf stat -e " + SyscallCounter.EVENT + " on each server, in a window of its own after"
                        + " the measured one (the tracepoint slows every system call: the CPU figures are taken without it)"
                : "system calls: n/a: " + syscallsUnavailable);
        if (!httpOnly.isEmpty() && modes.size() > 1) {
            out.println("note: " + String.join(", ", httpOnly) + " serve HTTP only: they run in the http runs");
        }

        double planned = plan.stream().mapToDouble(p -> p.warmup() + p.measure() + STARTUP_SECONDS
                + (syscallsUnavailable == null && p.mode() != BenchOptions.Mode.UDP ? syscallSeconds(p) : 0)).sum();
        Progress progress = new Progress(out, Progress.stdoutIsTerminal(), planned);
        List<RunResult> results = new ArrayList<>();
        NetworkStack client = openClient();
        String clientName = client.name();
        out.println("load generator: " + clientName + " stack, " + o.clientWorkers + " thread(s)"
                + (o.driver == BenchOptions.Driver.WRK ? "; wrk -t1 for http" : ""));
        try {
            for (int i = 0; i < plan.size(); i++) {
                Planned p = plan.get(i);
                if (o.slices > 1) {
                    // every server of this round at once, measured in turns
                    int end = i;
                    while (end < plan.size() && plan.get(end).round() == p.round() && plan.get(end).mode() == p.mode()) {
                        end++;
                    }
                    results.addAll(runWrkSliced(plan.subList(i, end), i, plan.size(), commands, dir, wrkDriver, progress));
                    i = end - 1;
                    continue;
                }
                String run = String.format(Locale.ROOT, "(%d/%d) %s", i + 1, plan.size(), p.label());
                RunResult r = p.mode() == BenchOptions.Mode.UDP
                        ? runUdp(p, i + 1, run, commands, dir, client, progress)
                        : wrk && p.mode() == BenchOptions.Mode.HTTP && !isDpdk(p.server())
                        ? runWrk(p, run, commands, dir, wrkDriver, progress)
                        : runBuiltin(p, i + 1, run, commands, dir, client, progress);
                results.add(r);
            }
        } finally {
            progress.clear();
            client.close(Duration.ofSeconds(1));
        }

        List<RunResult> best = best(results, servers, modes);
        for (BenchOptions.Mode m : modes) {
            out.println();
            out.println(heading(m));
            out.print(ResultTable.render(best.stream().filter(r -> r.mode() == m).toList()));
            List<String> inMode = servers.stream().filter(s -> runsIn(s, m)).toList();
            out.print(RoundTable.render(results.stream().filter(r -> r.mode() == m).toList(), inMode, o.rounds));
            out.print(ProviderPairs.render(results.stream().filter(r -> r.mode() == m).toList(), inMode, o.rounds));
        }
        if (modes.contains(BenchOptions.Mode.UDP)) {
            out.println("udp: req/s is datagrams echoed per second at the highest fixed rate that lost under 0.1 %;"
                    + " every step is in results.json's notes.");
        }
        if (servers.stream().anyMatch(Bench::isDpdk)) {
            out.println("dpdk: its worker polls, so its core is always at 100 %; its CPU column is the worker's busy"
                    + " time per request or datagram (polls that found work, counted by the worker), and 1 / that is"
                    + " its capacity per core; its load generator is a dpdk stack in this JVM over a net_memif pair.");
        }
        out.println("CPU s/1M req is the server's user+system CPU time per million requests (= µs per request);"
                + " alloc B/req is its Java heap allocation per request (JFR); syscalls/req the system calls it"
                + " entered per request (perf, tracepoint " + SyscallCounter.EVENT + ", counted right after the measured"
                + " window).");
        boolean clean = true;
        for (RunResult r : results) {
            if (!r.clean()) {
                clean = false;
                err.println("errors in " + r.server() + " " + r.mode().label() + " round " + r.round() + ": "
                        + r.errors() + " error(s), " + r.timeouts() + " timeout(s): " + String.join("; ", r.notes()));
            }
        }

        Map<String, Object> settings = settings(serverCpu, plan, clientName);
        Path json = dir.resolve("results.json");
        Path svg = dir.resolve("chart.svg");
        try {
            Files.writeString(json, JsonReport.render(machine, command, stamp, settings, results, best), StandardCharsets.UTF_8);
            Files.writeString(svg, SvgChart.render("Isthmus network stacks: " + String.join(", ", servers),
                    machine.describe() + "; " + (serverCpu != null ? "pinned" : "not pinned") + "; " + stamp, best),
                    StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new Failure("cannot write the results: " + e.getMessage());
        }
        out.println();
        out.println("results: " + json);
        out.println("chart:   " + svg);
        out.println("server logs: " + dir.resolve("logs"));
        return clean ? 0 : 1;
    }

    /** The servers to run, checked: every name known, every one asked for by name available. */
    private List<String> servers() throws BenchOptions.UsageException, Failure {
        List<NetworkStacks.StackInfo> known = NetworkStacks.list();
        List<String> servers = new ArrayList<>();
        for (String label : o.stacks) {
            ServerSpec spec = ServerSpec.parse(label);
            String name = spec.base();
            if (label.equals("all")) {
                for (NetworkStacks.StackInfo s : known) {
                    if (!s.available()) {
                        out.println("note: stack " + s.name() + " is not available here: " + s.reason());
                    } else if (s.autoPriority() < 0 && !isDpdk(s.name())) {
                        // dpdk needs a device, which the harness makes itself (a net_memif pair); others are skipped
                        out.println("note: stack " + s.name() + " skipped: it needs a device and EAL arguments");
                    } else if (!servers.contains(s.name())) {
                        servers.add(s.name());
                    }
                }
            } else if (CServers.isC(name)) {
                if (!CServers.names().contains(name)) {
                    throw new BenchOptions.UsageException("unknown server '" + name + "'; the C servers are "
                            + String.join(", ", CServers.names()));
                }
                servers.add(label);
            } else if (NioServers.isNio(name)) {
                servers.add(label);
            } else if (name.startsWith(BenchOptions.NETTY_PREFIX)) {
                if (!BenchOptions.NETTY_TRANSPORTS.contains(name.substring(BenchOptions.NETTY_PREFIX.length()))) {
                    throw new BenchOptions.UsageException("unknown server '" + name + "'; Netty's are netty-"
                            + String.join(", netty-", BenchOptions.NETTY_TRANSPORTS));
                }
                servers.add(label);
            } else {
                NetworkStacks.StackInfo s = known.stream().filter(k -> k.name().equals(name)).findFirst()
                        .orElseThrow(() -> new BenchOptions.UsageException("unknown stack '" + name + "'; known: "
                                + known.stream().map(NetworkStacks.StackInfo::name).collect(Collectors.joining(", "))
                                + (known.isEmpty() ? "(none found on the class path)" : "")
                                + ", netty-" + String.join(", netty-", BenchOptions.NETTY_TRANSPORTS)
                                + ", " + String.join(", ", NioServers.names())));
                if (!s.available()) {
                    throw new Failure("stack " + name + " is not available here: " + s.reason());
                }
                servers.add(label);
            }
        }
        if (o.vsNetty) {
            for (String t : BenchOptions.NETTY_TRANSPORTS) {
                if (!servers.contains(BenchOptions.NETTY_PREFIX + t)) {
                    servers.add(BenchOptions.NETTY_PREFIX + t);
                }
            }
        }
        if (o.vsNio) {
            for (String n : NioServers.vsNio()) {
                if (!servers.contains(n)) {
                    servers.add(n);
                }
            }
        }
        if (o.vsC) {
            for (String c : CServers.names()) {
                if (!servers.contains(c)) {
                    servers.add(c);
                }
            }
        }
        if (servers.isEmpty()) {
            throw new Failure("no server to run: no Isthmus stack is available here"
                    + (known.isEmpty() ? " (none was found on the class path)" : ""));
        }
        return servers;
    }

    /** Whether {@code server} is the dpdk stack (with or without {@code +switches}). */
    static boolean isDpdk(String server) {
        return server.equals("dpdk") || server.startsWith("dpdk+");
    }

    /** Whether {@code server} runs in {@code mode}: the java.nio servers serve HTTP only. */
    static boolean runsIn(String server, BenchOptions.Mode mode) {
        return mode == BenchOptions.Mode.HTTP || !NioServers.isNio(server);
    }

    /** A B A B: for each mode, each round runs every server (that serves that mode) once. */
    private List<Planned> plan(List<String> servers, List<BenchOptions.Mode> modes) {
        int runs = servers.size() * modes.size() * o.rounds;
        double warm = o.warmupSeconds;
        double measure = o.durationSeconds;
        if (o.totalSeconds > 0) {
            double each = Math.max(2, o.totalSeconds / runs - STARTUP_SECONDS);
            warm = Math.max(1, Math.round(each * 0.35 * 10) / 10.0);
            measure = Math.max(1, Math.round((each - warm) * 10) / 10.0);
        }
        List<Planned> plan = new ArrayList<>();
        for (BenchOptions.Mode m : modes) {
            for (int round = 1; round <= o.rounds; round++) {
                for (String s : servers) {
                    if (!runsIn(s, m)) {
                        continue;
                    }
                    // udp: the measured time is the sweep's, about a dozen steps (for the plan and the bar only)
                    plan.add(new Planned(s, m, round, warm, m == BenchOptions.Mode.UDP ? UDP_PLANNED_STEPS
                            * (o.stepSeconds + UDP_PLANNED_DRAIN_SECONDS) : measure));
                }
            }
        }
        return plan;
    }

    private NetworkStack openClient() throws Failure, BenchOptions.UsageException {
        try {
            return NetworkStacks.open(o.clientStack, StackOptions.defaults().withWorkers(o.clientWorkers)
                    .withSpin(Duration.ofNanos(o.clientSpinMicros * 1000)));
        } catch (IllegalArgumentException e) {
            throw new BenchOptions.UsageException("--client-stack: " + e.getMessage());
        } catch (IOException e) {
            throw new Failure("cannot open the load generator's stack '" + o.clientStack + "': " + e.getMessage());
        }
    }

    private Workload workload(BenchOptions.Mode m) {
        return m == BenchOptions.Mode.HTTP ? Workload.http(o.requestSize) : Workload.echo(o.messageSize);
    }

    private ServerProcess startServer(Planned p, ServerCommand commands, Path dir, Path jfr) throws Failure {
        return startServer(p, commands, dir, jfr, tcpApp(p), "127.0.0.1", List.of());
    }

    /** The HTTP example for http runs, the echo example for echo and pingpong. */
    private static Workload.App tcpApp(Planned p) {
        return p.mode() == BenchOptions.Mode.HTTP ? Workload.App.HTTP : Workload.App.ECHO;
    }

    /** Starts {@code app} on {@code host}, with {@code serveArguments} after Serve's own (dpdk's device). */
    private ServerProcess startServer(Planned p, ServerCommand commands, Path dir, Path jfr, Workload.App app,
                                      String host, List<String> serveArguments) throws Failure {
        try {
            return ServerProcess.start(p.server(), commands.command(p.server(), app, host, o.port, o.workers, jfr,
                    serveArguments), dir.resolve("logs").resolve(runFileName(p) + ".log"), SERVER_START_TIMEOUT);
        } catch (IOException e) {
            throw new Failure(e.getMessage());
        }
    }

    /** The file name stem of a run's logs and recordings: a server label may hold a path (build=DIR). */
    static String runFileName(Planned p) {
        return (p.server() + "-" + p.mode().label() + "-" + p.round()).replaceAll("[^A-Za-z0-9._=+-]", "_");
    }

    /**
     * A TCP run (http, echo, pingpong) with the built-in load generator: on the load generator's stack over
     * loopback, or for dpdk (which no kernel client can reach) on a dpdk stack of its own in this JVM,
     * joined to the server's by a {@link MemifPair}, as for UDP; wrk cannot drive dpdk.
     */
    private RunResult runBuiltin(Planned p, int index, String run, ServerCommand commands, Path dir,
                                 NetworkStack kernelClient, Progress progress) throws Failure {
        boolean pingpong = p.mode() == BenchOptions.Mode.PINGPONG;
        int connections = pingpong ? 1 : o.connections;
        int depth = pingpong ? 1 : o.pipeline;
        long rate = pingpong ? 0 : o.rate;
        boolean dpdk = isDpdk(p.server());
        MemifPair memif = dpdk ? MemifPair.forRun(index) : null;
        String host = dpdk ? MemifPair.SERVER_IP : "127.0.0.1";
        Path jfr = dir.resolve(runFileName(p) + ".jfr");
        progress.show(run, "starting", 0, STARTUP_SECONDS, "");
        ServerProcess server = startServer(p, commands, dir, jfr, tcpApp(p), host,
                dpdk ? memif.serverArguments() : List.of());
        LoadGenerator.Window window;
        ProcStat cpu0;
        ProcStat cpu1;
        Instant t0;
        Instant t1;
        List<String> notes = new ArrayList<>();
        if (dpdk && o.driver == BenchOptions.Driver.WRK && p.mode() == BenchOptions.Mode.HTTP) {
            notes.add("wrk runs on the kernel's TCP, which cannot reach a dpdk stack: the built-in load generator drove it");
        }
        NetworkStack client = kernelClient;
        SyscallCounter syscalls = null;
        double syscallsPer = Double.NaN;
        long syscallWindowErrors = 0;
        try {
            progress.phaseDone(STARTUP_SECONDS);
            if (dpdk) {
                client = NetworkStacks.open("dpdk", memif.clientOptions(o.workers));
            }
            try (LoadGenerator g = new LoadGenerator(client, new InetSocketAddress(host, server.port()),
                    workload(p.mode()), connections, depth, rate, Duration.ofMillis(o.timeoutMillis))) {
                g.start(Duration.ofSeconds(5));
                watch(server, g, progress, run, "warming up", p.warmup());
                cpu0 = server.cpu();
                t0 = Instant.now();
                g.beginWindow();
                watch(server, g, progress, run, "measuring", p.measure());
                window = g.endWindow();
                t1 = Instant.now();
                cpu1 = server.cpu();
                syscalls = startCounting(server, dir, p, notes);
                if (syscalls != null) {
                    g.beginWindow();
                    watch(server, g, progress, run, "counting system calls", syscallSeconds(p));
                    LoadGenerator.Window sw = g.endWindow();
                    syscallsPer = syscallsPer(syscalls, sw.replies(), notes);
                    syscallWindowErrors = syscallWindowErrors(sw.errors() + sw.timeouts(), notes);
                }
                notes.addAll(g.errorMessages());
            }
        } catch (IOException e) {
            server.stop(Duration.ofSeconds(5));
            if (!server.isAlive() && e.getMessage() != null && e.getMessage().contains("is gone")) {
                throw new Failure(server.deathNotice());
            }
            throw new Failure(p.label() + ": " + e.getMessage() + "\n  (server log: " + server.log() + ")");
        } finally {
            if (syscalls != null) {
                syscalls.close();
            }
            if (dpdk && client != null && client != kernelClient) {
                client.close(Duration.ofSeconds(1));
            }
            if (server.isAlive()) {
                server.stop(Duration.ofSeconds(10));
            }
            if (memif != null) {
                memif.deleteSocket();
            }
        }
        long replies = window.replies();
        double seconds = window.nanos() / 1e9;
        Histogram h = window.latencyNanos();
        double cpuPer = replies == 0 ? Double.NaN
                : (cpu1.userNanosSince(cpu0, ticks()) + cpu1.systemNanosSince(cpu0, ticks())) / (double) replies;
        double userPer = replies == 0 ? Double.NaN : cpu1.userNanosSince(cpu0, ticks()) / (double) replies;
        if (dpdk && replies > 0) {
            // The polling core is always busy: report the worker's own busy time per reply instead.
            notes.add(String.format(Locale.ROOT, "the polling core's CPU: %.2f µs/request", cpuPer / 1000));
            cpuPer = busyPer("request", replies, jfr, t0, t1, notes);
            userPer = Double.NaN;
        }
        double alloc = allocation(p.server(), jfr, t0, t1, replies, notes);
        if (replies == 0) {
            notes.add("no reply in the measured window");
        }
        return new RunResult(p.server(), p.mode(), p.round(), "builtin", seconds, replies, replies / seconds,
                replies == 0 ? -1 : h.getValueAtPercentile(50), replies == 0 ? -1 : h.getValueAtPercentile(99),
                replies == 0 ? -1 : h.getValueAtPercentile(99.9), replies == 0 ? -1 : h.getMaxValue(),
                cpuPer, userPer, alloc, syscallsPer,
                window.errors() + syscallWindowErrors + (replies == 0 && window.errors() == 0 ? 1 : 0),
                window.timeouts(), notes);
    }

    /**
     * A UDP run: the udp-echo example in the server process; the {@link UdpLoadGenerator} here, on the
     * load generator's stack over loopback, or for dpdk on a dpdk stack of its own joined to the server's
     * by a {@link MemifPair}. A warm-up at the first rate, then the {@link UdpSweep}'s fixed-rate steps,
     * each with the server's CPU time read around it; the figure is the best passing step.
     */
    private RunResult runUdp(Planned p, int index, String run, ServerCommand commands, Path dir, NetworkStack kernelClient,
                             Progress progress) throws Failure {
        boolean dpdk = isDpdk(p.server());
        MemifPair memif = dpdk ? MemifPair.forRun(index) : null;
        String host = dpdk ? MemifPair.SERVER_IP : "127.0.0.1";
        Path jfr = dir.resolve(runFileName(p) + ".jfr");
        progress.show(run, "starting", 0, STARTUP_SECONDS, "");
        ServerProcess server = startServer(p, commands, dir, jfr, Workload.App.UDP_ECHO, host,
                dpdk ? memif.serverArguments() : List.of());
        UdpSweep sweep = o.rate > 0 ? new UdpSweep(o.rate, 1, 0, o.rate)
                : new UdpSweep(o.rateStart, o.rateFactor, 2, 50_000_000);
        List<String> notes = new ArrayList<>();
        List<double[]> cpu = new ArrayList<>(); // per step: server user+system ns, user ns
        List<Instant[]> windows = new ArrayList<>();
        NetworkStack client = kernelClient;
        try {
            progress.phaseDone(STARTUP_SECONDS);
            if (dpdk) {
                client = NetworkStacks.open("dpdk", memif.clientOptions(o.workers));
            }
            InetAddress local = InetAddress.getByName(dpdk ? MemifPair.CLIENT_IP : "127.0.0.1");
            try (UdpLoadGenerator g = new UdpLoadGenerator(client, local,
                    new InetSocketAddress(InetAddress.getByName(host), server.port()), o.workers, o.flows, o.messageSize)) {
                g.awaitEchoes(Duration.ofSeconds(15));
                int step = 0;
                if (p.warmup() > 0) {
                    progress.show(run, "warming up", 0, p.warmup(), "at " + ResultTable.rate(sweep.nextRate()) + "/s");
                    g.step(step++, sweep.nextRate(), p.warmup(), UDP_DRAIN);
                    checkAlive(server);
                    progress.phaseDone(p.warmup());
                }
                double elapsed = 0;
                for (long rate = sweep.nextRate(); rate > 0; rate = sweep.nextRate()) {
                    progress.show(run, "step", elapsed, p.measure(), "at " + ResultTable.rate(rate) + "/s");
                    ProcStat c0 = server.cpu();
                    Instant t0 = Instant.now();
                    UdpStep s = g.step(step++, rate, o.stepSeconds, UDP_DRAIN);
                    Instant t1 = Instant.now();
                    ProcStat c1 = server.cpu();
                    checkAlive(server);
                    sweep.record(s);
                    double all = c1.userNanosSince(c0, ticks()) + c1.systemNanosSince(c0, ticks());
                    cpu.add(new double[]{all, c1.userNanosSince(c0, ticks())});
                    windows.add(new Instant[]{t0, t1});
                    notes.add(String.format(Locale.ROOT, "step %s, server CPU %.2f µs/datagram", s.describe(),
                            s.echoed() == 0 ? Double.NaN : all / s.echoed() / 1000));
                    elapsed += o.stepSeconds + UDP_PLANNED_DRAIN_SECONDS;
                }
                progress.phaseDone(p.measure());
            }
        } catch (IOException | RuntimeException e) {
            server.stop(Duration.ofSeconds(5));
            if (!server.isAlive() && String.valueOf(e.getMessage()).contains("is gone")) {
                throw new Failure(server.deathNotice());
            }
            throw new Failure(p.label() + ": " + e.getMessage() + "\n  (server log: " + server.log() + ")");
        } finally {
            if (dpdk && client != null && client != kernelClient) {
                client.close(Duration.ofSeconds(1));
            }
            if (server.isAlive()) {
                server.stop(Duration.ofSeconds(10));
            }
            if (memif != null) {
                memif.deleteSocket();
            }
        }
        List<UdpStep> steps = sweep.steps();
        UdpStep best = sweep.best();
        long wrong = steps.stream().mapToLong(UdpStep::wrong).sum();
        if (sweep.generatorLimited()) {
            notes.add("the load generator could not send faster than about "
                    + ResultTable.rate(steps.getLast().sentOnTime() / steps.getLast().seconds())
                    + "/s: the figure is a lower bound for this server");
        } else if (!steps.isEmpty() && steps.stream().allMatch(UdpStep::passes) && o.rate == 0) {
            notes.add("the sweep ended at its bound without loss: the figure is a lower bound");
        }
        if (best == null) {
            notes.add("no step echoed with under 0.1 % loss");
            try {
                Files.deleteIfExists(jfr);
            } catch (IOException ignored) {
                // a leftover recording is harmless
            }
            return new RunResult(p.server(), p.mode(), p.round(), "builtin", steps.isEmpty() ? 0 : steps.getLast().seconds(),
                    0, 0, -1, -1, -1, -1, Double.NaN, Double.NaN, Double.NaN, Double.NaN, wrong + 1, 0, notes);
        }
        int b = steps.indexOf(best);
        double cpuPer = cpu.get(b)[0] / best.echoed();
        double userPer = cpu.get(b)[1] / best.echoed();
        if (dpdk) {
            // The polling core is always busy: report the worker's own busy time per datagram instead.
            notes.add(String.format(Locale.ROOT, "the polling core's CPU at that step: %.2f µs/datagram", cpuPer / 1000));
            cpuPer = busyPer("datagram", -1, jfr, windows.get(b)[0], windows.get(b)[1], notes);
            userPer = Double.NaN;
        }
        double alloc = allocation(p.server(), jfr, windows.get(b)[0], windows.get(b)[1], best.echoed(), notes);
        org.HdrHistogram.Histogram h = best.latency();
        return new RunResult(p.server(), p.mode(), p.round(), "builtin", best.seconds(), best.echoed(),
                best.echoedPerSecond(), h.getValueAtPercentile(50), h.getValueAtPercentile(99),
                h.getValueAtPercentile(99.9), h.getMaxValue(), cpuPer, userPer, alloc, Double.NaN, wrong, 0, notes);
    }

    private RunResult runWrk(Planned p, String run, ServerCommand commands, Path dir, WrkDriver wrk,
                             Progress progress) throws Failure {
        Path jfr = dir.resolve(runFileName(p) + ".jfr");
        progress.show(run, "starting", 0, STARTUP_SECONDS, "");
        ServerProcess server = startServer(p, commands, dir, jfr);
        List<String> notes = new ArrayList<>();
        SyscallCounter syscalls = null;
        try {
            progress.phaseDone(STARTUP_SECONDS);
            // wrk connects anew for every run, so the measured window opens with fresh connections right
            // after the warm-up's have closed. A first short run makes that happen once before: the
            // first close and reconnect (and the JIT recompiling what they deoptimise) fall in the
            // warm-up, and the measured window sees the steady state.
            double cycle = p.warmup() >= 2 ? 1 : 0;
            if (cycle > 0) {
                wrkPhase(server, progress, run, "warming up (wrk)", cycle, wrk);
            }
            wrkPhase(server, progress, run, "warming up (wrk)", p.warmup() - cycle, wrk);
            ProcStat cpu0 = server.cpu();
            Instant t0 = Instant.now();
            WrkDriver.Report w = wrkPhase(server, progress, run, "measuring (wrk)", p.measure(), wrk);
            Instant t1 = Instant.now();
            ProcStat cpu1 = server.cpu();
            long n = w.requests();
            double syscallsPer = Double.NaN;
            long syscallWindowErrors = 0;
            syscalls = startCounting(server, dir, p, notes);
            if (syscalls != null) {
                WrkDriver.Report sw = wrkPhase(server, progress, run, "counting system calls (wrk)", syscallSeconds(p), wrk);
                syscallsPer = syscallsPer(syscalls, sw.requests(), notes);
                syscallWindowErrors = syscallWindowErrors(sw.errors() + sw.timeouts(), notes);
            }
            server.stop(Duration.ofSeconds(10));
            notes.addFirst("driven by wrk: replies counted, not checked byte for byte");
            double seconds = w.durationMicros() / 1e6;
            double cpuPer = n == 0 ? Double.NaN
                    : (cpu1.userNanosSince(cpu0, ticks()) + cpu1.systemNanosSince(cpu0, ticks())) / (double) n;
            double userPer = n == 0 ? Double.NaN : cpu1.userNanosSince(cpu0, ticks()) / (double) n;
            double alloc = allocation(p.server(), jfr, t0, t1, n, notes);
            return new RunResult(p.server(), p.mode(), p.round(), "wrk", seconds, n, n / seconds, w.p50() * 1000,
                    w.p99() * 1000, w.p999() * 1000, w.max() * 1000, cpuPer, userPer, alloc, syscallsPer,
                    w.errors() + syscallWindowErrors, w.timeouts(), notes);
        } catch (IOException e) {
            throw new Failure(p.label() + ": " + e.getMessage() + "\n  (server log: " + server.log() + ")");
        } finally {
            if (syscalls != null) {
                syscalls.close();
            }
            if (server.isAlive()) {
                server.stop(Duration.ofSeconds(10));
            }
        }
    }

    /**
     * One round of {@code --slices}: starts every server of the round (each paused with SIGSTOP once it
     * listens), warms each in turn as {@link #runWrk} does, then measures them in turns of one slice each,
     * {@code o.slices} times, every second turn in the reverse order (A B C, C B A, ...), so that a drift of the
     * machine's speed over the round, which on a VM moves a run's figures by 20-30 %, falls on every server
     * alike instead of on whichever ran later. Only the server being driven runs; the others are stopped, so
     * their JVMs' background threads take nothing from it. Then the system calls of each are counted in a
     * window of its own, and all are stopped. One {@link RunResult} per server, its slices added up.
     */
    private List<RunResult> runWrkSliced(List<Planned> round, int firstIndex, int planSize, ServerCommand commands,
                                         Path dir, WrkDriver wrk, Progress progress) throws Failure {
        int n = round.size();
        List<ServerProcess> servers = new ArrayList<>();
        List<SliceTotals> totals = new ArrayList<>();
        List<List<String>> notes = new ArrayList<>();
        String[] runs = new String[n];
        for (int i = 0; i < n; i++) {
            runs[i] = String.format(Locale.ROOT, "(%d/%d) %s", firstIndex + i + 1, planSize, round.get(i).label());
            totals.add(new SliceTotals());
            notes.add(new ArrayList<>());
        }
        Planned current = round.getFirst();
        try {
            for (int i = 0; i < n; i++) {
                current = round.get(i);
                progress.show(runs[i], "starting", 0, STARTUP_SECONDS, "");
                ServerProcess s = startServer(current, commands, dir, dir.resolve(runFileName(current) + ".jfr"));
                servers.add(s);
                s.pause();
                progress.phaseDone(STARTUP_SECONDS);
            }
            for (int i = 0; i < n; i++) {
                current = round.get(i);
                ServerProcess s = servers.get(i);
                s.resume();
                double cycle = current.warmup() >= 2 ? 1 : 0; // the first reconnect inside the warm-up, as in runWrk
                if (cycle > 0) {
                    wrkPhase(s, progress, runs[i], "warming up (wrk)", cycle, wrk);
                }
                wrkPhase(s, progress, runs[i], "warming up (wrk)", current.warmup() - cycle, wrk);
                s.pause();
            }
            long slice = o.sliceSeconds();
            double planned = current.measure() / o.slices; // what the plan counted per slice
            for (int k = 0; k < o.slices; k++) {
                for (int j = 0; j < n; j++) {
                    int i = k % 2 == 0 ? j : n - 1 - j;
                    current = round.get(i);
                    ServerProcess s = servers.get(i);
                    String phase = "measuring (wrk), slice " + (k + 1) + " of " + o.slices;
                    s.resume();
                    ProcStat cpu0 = s.cpu();
                    Instant t0 = Instant.now();
                    WrkDriver.Report w = wrkPhase(s, progress, runs[i], phase, slice, wrk);
                    Instant t1 = Instant.now();
                    ProcStat cpu1 = s.cpu();
                    s.pause();
                    progress.phaseDone(planned - slice);
                    totals.get(i).add(w, cpu1.userNanosSince(cpu0, ticks()), cpu1.systemNanosSince(cpu0, ticks()), t0, t1);
                }
            }
            long[] windowErrors = new long[n];
            double[] syscallsPer = new double[n];
            for (int i = 0; i < n; i++) {
                current = round.get(i);
                ServerProcess s = servers.get(i);
                syscallsPer[i] = Double.NaN;
                s.resume();
                SyscallCounter counter = startCounting(s, dir, current, notes.get(i));
                if (counter != null) {
                    try {
                        WrkDriver.Report sw = wrkPhase(s, progress, runs[i], "counting system calls (wrk)",
                                syscallSeconds(current), wrk);
                        syscallsPer[i] = syscallsPer(counter, sw.requests(), notes.get(i));
                        windowErrors[i] = syscallWindowErrors(sw.errors() + sw.timeouts(), notes.get(i));
                    } finally {
                        counter.close();
                    }
                }
                s.pause();
            }
            List<RunResult> results = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                current = round.get(i);
                servers.get(i).stop(Duration.ofSeconds(10)); // JFR writes its recording at exit
                SliceTotals t = totals.get(i);
                List<String> runNotes = notes.get(i);
                runNotes.addFirst(String.format(Locale.ROOT, "driven by wrk: replies counted, not checked byte for byte;"
                        + " measured in %d slices of %d s, interleaved with the round's other servers (paused"
                        + " meanwhile); latency percentiles of the median slice, max of all; CPU µs per request"
                        + " slice by slice: %s", t.slices(), slice, t.cpuPerSliceMicros()));
                double alloc = allocation(current.server(), dir.resolve(runFileName(current) + ".jfr"), t.first(),
                        t.last(), t.requests(), runNotes);
                double seconds = t.seconds();
                results.add(new RunResult(current.server(), current.mode(), current.round(), "wrk", seconds,
                        t.requests(), t.requests() / seconds, t.p50() * 1000, t.p99() * 1000, t.p999() * 1000,
                        t.max() * 1000, t.cpuNanosPerRequest(), t.userNanosPerRequest(), alloc, syscallsPer[i],
                        t.errors() + windowErrors[i], t.timeouts(), runNotes));
            }
            return results;
        } catch (IOException e) {
            throw new Failure(current.label() + ": " + e.getMessage() + (servers.isEmpty() ? ""
                    : "\n  (server logs: " + dir.resolve("logs") + ")"));
        } finally {
            for (ServerProcess s : servers) {
                if (s.isAlive()) {
                    s.stop(Duration.ofSeconds(10));
                }
            }
        }
    }

    /** Runs wrk for one phase in the background, redrawing the bar; fails at once if the server dies. */
    private WrkDriver.Report wrkPhase(ServerProcess server, Progress progress, String run, String phase, double seconds,
                                      WrkDriver wrk) throws Failure, IOException {
        java.util.concurrent.CompletableFuture<WrkDriver.Report> f = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return wrk.run(server.port(), o.connections, seconds, o.timeoutMillis);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        long start = System.nanoTime();
        try {
            while (true) {
                try {
                    WrkDriver.Report r = f.get(MONITOR_MILLIS, java.util.concurrent.TimeUnit.MILLISECONDS);
                    checkAlive(server);
                    progress.phaseDone(seconds);
                    return r;
                } catch (java.util.concurrent.TimeoutException e) {
                    checkAlive(server);
                    progress.show(run, phase, (System.nanoTime() - start) / 1e9, seconds, "");
                }
            }
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof java.io.UncheckedIOException u) {
                throw u.getCause();
            }
            throw new IOException("wrk: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failure("interrupted");
        }
    }

    /** Waits out a phase, redrawing the bar; fails at once if the server dies. */
    private void watch(ServerProcess server, LoadGenerator g, Progress progress, String run, String phase,
                       double seconds) throws Failure {
        long start = System.nanoTime();
        long end = start + (long) (seconds * 1e9);
        long lastReplies = g.snapshot().replies();
        long lastT = start;
        String status = "";
        while (true) {
            long now = System.nanoTime();
            if (now >= end) {
                break;
            }
            try {
                Thread.sleep(Math.min(MONITOR_MILLIS, Math.max(1, (end - now) / 1_000_000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new Failure("interrupted");
            }
            checkAlive(server);
            LoadGenerator.Snapshot s = g.snapshot();
            long t = System.nanoTime();
            if (t - lastT >= 500_000_000L) {
                status = ResultTable.rate((s.replies() - lastReplies) * 1e9 / (t - lastT)) + " req/s"
                        + (s.errors() + s.timeouts() > 0 ? ", " + (s.errors() + s.timeouts()) + " ERRORS" : "");
                lastReplies = s.replies();
                lastT = t;
            }
            progress.show(run, phase, (t - start) / 1e9, seconds, status);
            if (s.openConnections() == 0 && s.errors() + s.timeouts() > 0) {
                break; // every connection failed: nothing more to measure
            }
        }
        progress.phaseDone(seconds);
    }

    private static void checkAlive(ServerProcess server) throws Failure {
        if (!server.isAlive()) {
            throw new Failure(server.deathNotice());
        }
    }

    /**
     * How long the server's system calls are counted, in a window of their own right after the measured one, under
     * the same load: the tracepoint perf counts them with makes every system call of the server take the kernel's
     * slower, traced path, which would bill a server with more system calls for more CPU in the measured window.
     * Half the measured window, from 1 to 5 s: system calls per request hardly vary over a steady run.
     */
    static double syscallSeconds(Planned p) {
        return Math.max(1, Math.min(5, p.measure() / 2));
    }

    /**
     * Attaches a {@link SyscallCounter} to the server and starts it, right after the measured window; null when
     * system calls are not counted in this run, or when perf fails for this server (the notes then say why).
     */
    private SyscallCounter startCounting(ServerProcess server, Path dir, Planned p, List<String> notes) {
        if (syscallsUnavailable != null) {
            return null;
        }
        SyscallCounter c = null;
        try {
            c = SyscallCounter.attach(server.pid(), dir, runFileName(p));
            c.enable();
            return c;
        } catch (IOException e) {
            if (c != null) {
                c.close();
            }
            notes.add("system calls not counted: " + e.getMessage());
            return null;
        }
    }

    /** The errors of the system-call window: counted with the run's, never hidden; a note says where they came from. */
    private static long syscallWindowErrors(long errors, List<String> notes) {
        if (errors > 0) {
            notes.add(errors + " error(s) or timeout(s) while counting system calls, after the measured window"
                    + " (counted as errors)");
        }
        return errors;
    }

    /**
     * Stops {@code counter} at the end of its window and returns its system calls per request, or NaN; the
     * counter's perf has exited then, and the caller closes it.
     */
    private static double syscallsPer(SyscallCounter counter, long requests, List<String> notes) {
        if (counter == null) {
            return Double.NaN;
        }
        try {
            long n = counter.disable();
            if (requests > 0) {
                notes.add(String.format(Locale.ROOT, "system calls: %,d over %,d requests (in the window after the"
                        + " measured one)", n, requests));
            }
            return requests == 0 ? Double.NaN : n / (double) requests;
        } catch (IOException e) {
            notes.add("system calls not counted: " + e.getMessage());
            return Double.NaN;
        }
    }

    /**
     * A polling server's busy nanoseconds per {@code unit} in the window ({@link BusyTimeReader}), or NaN:
     * over {@code count} of them, or, when {@code count} is negative, over the datagrams its workers read.
     */
    private static double busyPer(String unit, long count, Path jfr, Instant t0, Instant t1, List<String> notes) {
        try {
            BusyTimeReader.Busy busy = BusyTimeReader.between(jfr, t0, t1);
            long n = count < 0 ? busy.reads() : count;
            double per = n == 0 ? Double.NaN : busy.busyNanos() / (double) n;
            notes.add(String.format(Locale.ROOT, "server busy time: %.3f s over %,d %ss: %.3f µs/%s,"
                    + " capacity %,.0f %ss/s per core", busy.busyNanos() / 1e9, n, unit, per / 1000, unit, 1e9 / per, unit));
            return per;
        } catch (IOException e) {
            notes.add("busy time unknown: " + e.getMessage());
            return Double.NaN;
        }
    }

    private double allocation(String server, Path jfr, Instant t0, Instant t1, long replies, List<String> notes) {
        if (!o.allocation || replies == 0 || CServers.isC(server)) { // a C server has no Java heap
            return Double.NaN;
        }
        try {
            if (!Files.exists(jfr)) {
                notes.add("no JFR recording: allocation unknown");
                return Double.NaN;
            }
            AllocationReader.Allocation a = AllocationReader.allocatedBetween(jfr, t0, t1);
            double perRequest = a.bytes() / (double) replies;
            if (perRequest >= 1) {
                notes.add(String.format(Locale.ROOT, "allocation: %.1f B/req, most by thread '%s' (%.1f B/req)",
                        perRequest, a.topThread(), a.topBytes() / (double) replies));
            }
            return perRequest;
        } catch (IOException e) {
            notes.add("allocation unknown: " + e.getMessage());
            return Double.NaN;
        } finally {
            try {
                Files.deleteIfExists(jfr); // read once; the figures are in results.json
            } catch (IOException ignored) {
                // a leftover recording is harmless
            }
        }
    }

    private static long ticks;

    private static long ticks() {
        if (ticks == 0) {
            ticks = ProcStat.ticksPerSecond();
        }
        return ticks;
    }

    /**
     * Pins this JVM, all its threads and those it starts later, to {@code cpu}: {@code taskset -a} sets the
     * affinity of every thread it finds. A thread that exits between taskset's listing and its call makes it
     * fail with ESRCH, so a failure is retried a few times before it counts.
     */
    private void pinSelf(int cpu) throws Failure {
        long pid = ProcessHandle.current().pid();
        String text = "";
        for (int attempt = 0; attempt < 5; attempt++) {
            try {
                Process p = new ProcessBuilder("taskset", "-a", "-p", "-c", Integer.toString(cpu), Long.toString(pid))
                        .redirectErrorStream(true).start();
                text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
                if (p.waitFor() == 0) {
                    return;
                }
            } catch (IOException e) {
                throw new Failure("cannot pin the load generator: taskset: " + e.getMessage()
                        + " (install util-linux, or run with --no-pin)");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new Failure("interrupted");
            }
        }
        String[] lines = text.split("\n");
        throw new Failure("cannot pin the load generator to CPU " + cpu + ": " + lines[lines.length - 1]);
    }

    private static List<RunResult> best(List<RunResult> results, List<String> servers, List<BenchOptions.Mode> modes) {
        List<RunResult> best = new ArrayList<>();
        for (BenchOptions.Mode m : modes) {
            for (String s : servers) {
                RunResult b = null;
                for (RunResult r : results) {
                    if (r.mode() == m && r.server().equals(s)) {
                        b = RunResult.better(b, r);
                    }
                }
                if (b != null) {
                    best.add(b);
                }
            }
        }
        return best;
    }

    private String heading(BenchOptions.Mode m) {
        String load = switch (m) {
            case PINGPONG -> "ping-pong: 1 connection, 1 message of " + o.messageSize + " B in flight";
            case ECHO -> "echo of " + o.messageSize + " B: " + o.connections + " connections" + loop();
            case UDP -> "UDP echo of " + o.messageSize + " B datagrams: " + o.flows + " flows, "
                    + (o.rate > 0 ? "one step at " + ResultTable.rate(o.rate) + "/s" : "steps of " + BenchOptions.fmt(o.stepSeconds)
                    + " s from " + ResultTable.rate(o.rateStart) + "/s, x" + o.rateFactor) + "; req/s = datagrams echoed/s"
                    + " with < 0.1 % loss";
            case HTTP -> "HTTP \"Hello, World!\": " + o.connections + " connections" + loop()
                    + (o.driver == BenchOptions.Driver.WRK ? ", driven by wrk -t1" : "");
        };
        return load + "; " + o.workers + " server worker(s); best of " + o.rounds + " run(s)";
    }

    private String loop() {
        String s = o.pipeline > 1 ? ", " + o.pipeline + " pipelined" : "";
        return s + (o.rate > 0 ? ", open loop at " + ResultTable.rate(o.rate) + " req/s" : ", closed loop");
    }

    private Map<String, Object> settings(Integer serverCpu, List<Planned> plan, String clientName) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("workers", o.workers);
        s.put("connections", o.connections);
        s.put("pipeline", o.pipeline);
        s.put("warmupSeconds", plan.getFirst().warmup());
        // udp runs measure in steps (udpStepSeconds); their planned time is an estimate, not a setting
        s.put("measureSeconds", plan.stream().filter(p -> p.mode() != BenchOptions.Mode.UDP).findFirst()
                .map(Planned::measure).orElse(null));
        s.put("rounds", o.rounds);
        s.put("slices", o.slices);
        s.put("httpRequestBytes", Workload.http(o.requestSize).requestSize());
        s.put("messageBytes", o.messageSize);
        s.put("rate", o.rate);
        s.put("pinned", serverCpu != null);
        s.put("serverCpu", serverCpu == null ? null : serverCpu);
        s.put("clientCpu", serverCpu == null ? null : o.clientCpu);
        s.put("clientStack", clientName);
        s.put("clientWorkers", o.clientWorkers);
        s.put("driver", o.driver.name().toLowerCase(Locale.ROOT));
        s.put("syscalls", syscallsUnavailable == null ? "perf stat -e " + SyscallCounter.EVENT : "n/a: " + syscallsUnavailable);
        if (o.modes.contains(BenchOptions.Mode.UDP)) {
            s.put("udpFlows", o.flows);
            s.put("udpStepSeconds", o.stepSeconds);
            s.put("udpRateStart", o.rate > 0 ? o.rate : o.rateStart);
            s.put("udpRateFactor", o.rate > 0 ? 1 : o.rateFactor);
            s.put("udpMaxLoss", UdpStep.MAX_LOSS);
            s.put("udpDpdkLink", "net_memif, server " + MemifPair.SERVER_IP + ", load generator " + MemifPair.CLIENT_IP);
        }
        return s;
    }

    private static String seconds(double s) {
        return BenchOptions.fmt(s) + " s";
    }
}
