package dev.isthmus.tests.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The command line that starts one server under test: our Serve launcher for an Isthmus stack (on the
 * module path through the scripts' argument file, else on this JVM's class path), or
 * {@link dev.isthmus.tests.bench.netty.NettyServer} for {@code netty-*}, or one of the unmodified java.nio
 * servers of {@link NioServers} (those ending in {@code -isthmus} with our providers' system properties), or a C server built by
 * {@link CServers} for {@code c-*}; pinned with {@code taskset}
 * when asked, and recording allocation with JFR when asked.
 */
final class ServerCommand {

    static final String SERVE_MAIN = "dev.isthmus.stack.cli.Serve";
    static final String NETTY_MAIN = "dev.isthmus.tests.bench.netty.NettyServer";

    private final Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    private final Path serveArgFile;
    private final Integer cpu;
    private final Path jfrSettings;
    private final List<String> extraJvmOptions;
    private final Map<String, Path> cServers;

    /**
     * @param serveArgFile a java {@code @argfile} with the options that launch Serve on the module path, or null
     * @param cpu          the CPU to pin the server to, or null
     * @param jfrSettings  the JFR settings to record allocation with, or null
     * @param cServers     the C servers' executables by name ({@link CServers#build}), empty unless asked for
     */
    ServerCommand(Path serveArgFile, Integer cpu, Path jfrSettings, String extraJvmOptions, Map<String, Path> cServers) {
        this.serveArgFile = serveArgFile;
        this.cpu = cpu;
        this.jfrSettings = jfrSettings;
        this.extraJvmOptions = extraJvmOptions.isBlank() ? List.of() : List.of(extraJvmOptions.trim().split("\\s+"));
        this.cServers = Map.copyOf(cServers);
    }

    /** The command for {@code server} ({@code epoll}, {@code netty-io_uring}, ...) serving {@code app}. */
    List<String> command(String label, Workload.App app, int port, int workers, Path jfrFile) {
        return command(label, app, "127.0.0.1", port, workers, jfrFile, List.of());
    }

    /**
     * The same, listening on {@code host}, with {@code serveArguments} added to an Isthmus stack's Serve
     * command line (the dpdk stack's device and address: {@code --property dpdk.port=...}).
     */
    List<String> command(String label, Workload.App app, String host, int port, int workers, Path jfrFile,
                         List<String> serveArguments) {
        ServerSpec spec;
        try {
            spec = ServerSpec.parse(label);
        } catch (BenchOptions.UsageException e) {
            throw new IllegalArgumentException(e.getMessage(), e); // checked when the run was planned
        }
        String server = spec.base();
        List<String> c = new ArrayList<>();
        if (cpu != null) {
            c.addAll(List.of("taskset", "-c", cpu.toString()));
        }
        if (spec.c()) { // one thread, no JVM: workers, JFR and JVM options do not apply
            Path exe = cServers.get(server);
            if (exe == null) {
                throw new IllegalStateException("C server " + server + " was not built");
            }
            c.addAll(List.of(exe.toString(), "--app", app.argument(), "--host", "127.0.0.1", "--port",
                    Integer.toString(port)));
            return c;
        }
        c.add(java.toString());
        c.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
        if (jfrSettings != null) {
            c.add("-XX:StartFlightRecording=filename=" + jfrFile + ",settings=" + jfrSettings + ",dumponexit=true");
            c.add("-Xlog:jfr+startup=off"); // JFR's "Started recording" note would only clutter the log
        }
        c.addAll(extraJvmOptions);
        boolean netty = server.startsWith(BenchOptions.NETTY_PREFIX);
        if (netty || NioServers.isNio(server)) {
            if (NioServers.onIsthmus(server)) {
                // the same server, unmodified, on our providers: the one-line switch users make
                c.addAll(NioServers.providerProperties());
            }
            c.addAll(List.of("--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path")));
            if (netty) {
                c.addAll(List.of(NETTY_MAIN, "--transport",
                        NioServers.jdkPeer(server).substring(BenchOptions.NETTY_PREFIX.length())));
            } else {
                c.add(NioServers.mainClass(server));
            }
        } else if (spec.build() != null) {
            c.add("@" + spec.build());
            c.addAll(List.of("--stack", server));
        } else if (serveArgFile != null) {
            c.add("@" + serveArgFile);
            c.addAll(List.of("--stack", server));
        } else {
            c.addAll(List.of("--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                    SERVE_MAIN, "--stack", server));
        }
        c.addAll(spec.serveArguments());
        c.addAll(serveArguments);
        c.addAll(List.of("--app", app.argument(), "--host", host, "--port", Integer.toString(port),
                "--workers", Integer.toString(workers)));
        return c;
    }
}
