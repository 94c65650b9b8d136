package dev.isthmus.tests.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The minimal C servers that {@code --vs c} runs beside our stacks, as a baseline no one weakened:
 * {@code c-epoll} (level-triggered epoll, one read per wake-up) and {@code c-io_uring} (liburing, multishot
 * accept and recv with a provided-buffer ring), both framing requests as {@code HttpRequestFramer} does and
 * answering every complete request of one read with one write. Their sources are in
 * {@code native-tests/bench/src/main/c} (start with the comment on top of each server); they are compiled here,
 * at bench time, with {@code gcc -O2} into the run's directory, and are never part of the library.
 */
final class CServers {

    /** The prefix of a C server's name in the stack list: {@code c-epoll}. */
    static final String PREFIX = "c-";
    /** The interfaces there is a C server for, each named after the stack it stands beside. */
    static final List<String> INTERFACES = List.of("io_uring", "epoll");

    private static final List<String> COMMON = List.of("server_common.c", "http_framer.c");
    private static final long TOOL_TIMEOUT_SECONDS = 120;

    /** How a tool ended: its exit status and its output (standard error included). */
    private record Ran(int status, String output) {
        boolean ok() {
            return status == 0;
        }
    }

    private CServers() {
    }

    /** Whether {@code name} ({@code c-epoll}) is one of the C servers. */
    static boolean isC(String name) {
        return name.startsWith(PREFIX);
    }

    /** Every C server's name, in the order they run. */
    static List<String> names() {
        return INTERFACES.stream().map(i -> PREFIX + i).toList();
    }

    /**
     * Compiles every C server from {@code sources} into {@code outDir}; returns each one's executable by
     * name. The gcc command lines go to {@code outDir/build.log}.
     *
     * @throws IOException with a message naming the package to install when gcc or liburing is missing,
     *                     or gcc's own output when a compilation fails
     */
    static Map<String, Path> build(Path sources, Path outDir) throws IOException {
        if (!Files.isRegularFile(sources.resolve("uring_server.c"))) {
            throw new IOException("--vs c: the C servers' sources are not in " + sources.toAbsolutePath()
                    + " (scripts/bench passes --c-sources; run it from a checkout)");
        }
        if (run(List.of("gcc", "--version")) == null) {
            throw new IOException("--vs c needs gcc to build the C servers: it is not on the PATH (apt-get install gcc)");
        }
        List<String> uring = uringFlags();
        Files.createDirectories(outDir);
        StringBuilder log = new StringBuilder();
        Map<String, Path> built = new LinkedHashMap<>();
        for (String i : INTERFACES) {
            String name = PREFIX + i;
            Path exe = outDir.resolve(name);
            boolean isUring = i.equals("io_uring");
            List<String> cmd = new ArrayList<>(List.of("gcc", "-O2", "-std=gnu11", "-Wall", "-Wextra",
                    "-o", exe.toString(), sources.resolve(isUring ? "uring_server.c" : "epoll_server.c").toString()));
            for (String c : COMMON) {
                cmd.add(sources.resolve(c).toString());
            }
            if (isUring) {
                cmd.addAll(uring);
            }
            log.append("$ ").append(String.join(" ", cmd)).append('\n');
            Ran r = run(cmd);
            if (r != null) {
                log.append(r.output());
            }
            Files.writeString(outDir.resolve("build.log"), log, StandardCharsets.UTF_8);
            if (r == null || !r.ok() || !Files.isExecutable(exe)) {
                throw new IOException("--vs c: gcc could not build " + name + ":\n  $ " + String.join(" ", cmd)
                        + (r == null ? "" : "\n" + r.output().strip()));
            }
            built.put(name, exe);
        }
        return built;
    }

    /** liburing's compiler and linker flags from pkg-config, else the plain {@code -luring} when its header is there. */
    private static List<String> uringFlags() throws IOException {
        Ran r = run(List.of("pkg-config", "--cflags", "--libs", "liburing"));
        if (r != null && r.ok()) {
            return r.output().isBlank() ? List.of("-luring") : List.of(r.output().strip().split("\\s+"));
        }
        if (Files.exists(Path.of("/usr/include/liburing.h"))) {
            return List.of("-luring");
        }
        throw new IOException("--vs c needs liburing to build c-io_uring: pkg-config finds no liburing and there is"
                + " no /usr/include/liburing.h (apt-get install liburing-dev pkg-config)");
    }

    /** Runs {@code cmd} to its end; null if it cannot be started (not installed). */
    private static Ran run(List<String> cmd) throws IOException {
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (IOException e) {
            return null;
        }
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(TOOL_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", cmd) + " took more than " + TOOL_TIMEOUT_SECONDS + " s");
            }
            return new Ran(p.exitValue(), out);
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + cmd.getFirst(), e);
        }
    }
}
