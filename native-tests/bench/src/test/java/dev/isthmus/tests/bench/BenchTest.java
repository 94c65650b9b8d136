package dev.isthmus.tests.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The harness end to end, in this JVM: a short real run against the nio stack (servers started on this
 * JVM's class path), and the bad inputs that must end a run with a message, a non-zero status and no
 * server process left behind. No timing asserts: only that the figures exist and the replies were right.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class BenchTest {

    /** The output of one harness run. */
    record Outcome(int status, String out, String err) {
    }

    private static Outcome bench(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            status = Bench.run(args, o, e);
        }
        return new Outcome(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static void assertNoServerLeft() {
        List<ProcessHandle> left = ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).toList();
        assertTrue(left.isEmpty(), "server processes left behind: "
                + left.stream().map(p -> p.pid() + " " + p.info().commandLine().orElse("?")).toList());
    }

    @Test
    void shortRunAgainstNioPrintsTheTableAndWritesJsonAndSvg(@TempDir Path dir) throws Exception {
        Outcome r = bench("--stacks", "nio", "--mode", "http,pingpong", "--warmup", "1", "--duration", "2",
                "--rounds", "1", "--connections", "8", "--no-pin", "--out", dir.toString());
        assertEquals(0, r.status(), r.out() + r.err());
        assertTrue(r.out().contains("stack") && r.out().contains("req/s") && r.out().contains("p99.9"), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("nio ") && l.trim().endsWith(" 0")),
                "a nio row with 0 errors: " + r.out());
        Path json = Path.of(r.out().lines().filter(l -> l.startsWith("results: ")).findFirst().orElseThrow()
                .substring("results: ".length()).trim());
        Path svg = json.resolveSibling("chart.svg");
        assertTrue(json.startsWith(dir), json.toString());
        String j = Files.readString(json);
        assertTrue(j.contains("\"server\": \"nio\", \"mode\": \"http\""), j);
        assertTrue(j.contains("\"server\": \"nio\", \"mode\": \"pingpong\""), j);
        assertTrue(j.contains("\"errors\": 0, \"timeouts\": 0"), j);
        assertTrue(Files.readString(svg).startsWith("<?xml"), "chart.svg written");
        try (Stream<Path> jfr = Files.list(json.getParent())) {
            assertTrue(jfr.noneMatch(p -> p.toString().endsWith(".jfr")), "recordings read and removed");
        }
        assertNoServerLeft();
    }

    /**
     * {@code --mode udp} end to end over loopback: the udp-echo example in a server process per stack, two
     * workers (two ports, the flows spread over both), one fixed low rate (nothing here measures speed):
     * 500/s, so that even a server scheduled out for a few hundred milliseconds on a busy machine does not
     * overflow its socket buffer (about 270 such datagrams with Linux's default rmem) and lose one.
     */
    @Test
    void udpRunAgainstNioAndEpollEchoesEveryDatagram(@TempDir Path dir) throws Exception {
        Outcome r = bench("--stacks", "nio,epoll", "--mode", "udp", "--workers", "2", "--flows", "4", "--rate", "500",
                "--warmup", "0.5", "--step-seconds", "1", "--rounds", "1", "--no-pin", "--out", dir.toString());
        assertEquals(0, r.status(), r.out() + r.err());
        assertTrue(r.out().contains("UDP echo of 64 B datagrams: 4 flows"), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("nio ") && l.trim().endsWith(" 0")), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("epoll ") && l.trim().endsWith(" 0")), r.out());
        Path json = Path.of(r.out().lines().filter(l -> l.startsWith("results: ")).findFirst().orElseThrow()
                .substring("results: ".length()).trim());
        String j = Files.readString(json);
        assertTrue(j.contains("\"server\": \"nio\", \"mode\": \"udp\""), j);
        assertTrue(j.contains("\"server\": \"epoll\", \"mode\": \"udp\""), j);
        assertTrue(j.contains("step 500/s: sent 500, echoed 500, lost 0 (0.000 %)"), j);
        assertTrue(j.contains("\"udpFlows\": 4"), j);
        String logs = Files.readString(json.resolveSibling("logs").resolve("epoll-udp-1.log"));
        assertTrue(logs.contains("udp ports: "), logs);
        assertNoServerLeft();
    }

    /**
     * dpdk over the net_memif pair the harness sets up: the server process on the server side, the load
     * generator's dpdk stack in this JVM (its EAL) on the client side; one fixed low rate. Needs DPDK 22.11
     * with its memif driver, as CI installs it.
     */
    @Test
    void udpRunAgainstDpdkOverMemif(@TempDir Path dir) throws Exception {
        Outcome r = bench("--stacks", "dpdk", "--mode", "udp", "--flows", "4", "--rate", "500",
                "--warmup", "1", "--step-seconds", "1", "--rounds", "1", "--no-pin", "--out", dir.toString());
        assertEquals(0, r.status(), r.out() + r.err());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("dpdk ") && l.trim().endsWith(" 0")), r.out());
        assertTrue(r.out().contains("dpdk: its worker polls"), r.out());
        Path json = Path.of(r.out().lines().filter(l -> l.startsWith("results: ")).findFirst().orElseThrow()
                .substring("results: ".length()).trim());
        String j = Files.readString(json);
        assertTrue(j.contains("\"server\": \"dpdk\", \"mode\": \"udp\""), j);
        assertTrue(j.contains("sent 500, echoed 500, lost 0 (0.000 %)"), j);
        String log = Files.readString(json.resolveSibling("logs").resolve("dpdk-udp-1.log"));
        assertTrue(log.contains("role=server") && log.contains("listening on 198.18.0.2:"), log);
        try (Stream<Path> sockets = Files.list(Path.of("/tmp"))) {
            assertTrue(sockets.noneMatch(p -> p.getFileName().toString().startsWith("isthmus-bench-memif-"
                    + ProcessHandle.current().pid() + "-")), "the memif socket is removed");
        }
        assertNoServerLeft();
    }

    @Test
    void udpModeRefusesTheNettyAndCServers(@TempDir Path dir) {
        Outcome r = bench("--stacks", "nio", "--vs", "netty", "--mode", "udp", "--no-pin", "--out", dir.toString());
        assertEquals(2, r.status(), r.out() + r.err());
        assertTrue(r.err().contains("--mode udp runs the Isthmus stacks' udp-echo example only"), r.err());
        assertNoServerLeft();
    }

    @Test
    void theJavaNioServersNeedWrkAndHttp(@TempDir Path dir) {
        Outcome builtin = bench("--stacks", "jetty,jetty-isthmus", "--mode", "http", "--no-pin", "--out", dir.toString());
        assertEquals(2, builtin.status(), builtin.out() + builtin.err());
        assertTrue(builtin.err().contains("jetty, jetty-isthmus send headers of their own") && builtin.err().contains("--driver wrk"),
                builtin.err());
        Outcome echo = bench("--vs", "nio", "--stacks", "nio", "--mode", "echo", "--no-pin", "--out", dir.toString());
        assertEquals(2, echo.status(), echo.out() + echo.err());
        assertTrue(echo.err().contains("tomcat-nio2-isthmus serve HTTP only: add --mode http"), echo.err());
        assertNoServerLeft();
    }

    /**
     * One of the unmodified java.nio servers on the JDK's provider and on ours, through the whole harness with
     * wrk (installed here and in CI, .ci/run): both serve without an error, the pair line compares them, and each
     * row has its system calls per request where perf may count them here, n/a with the reason where not.
     */
    @Test
    void jettyOnTheJdksProviderAndOnOursThroughTheHarness(@TempDir Path dir) {
        Outcome r = bench("--stacks", "jetty,jetty-isthmus", "--driver", "wrk", "--mode", "http", "--warmup", "1",
                "--duration", "2", "--rounds", "1", "--connections", "8", "--no-pin", "--no-alloc", "--out", dir.toString());
        assertEquals(0, r.status(), r.out() + r.err());
        String syscalls = SyscallCounter.unavailable(dir);
        for (String server : List.of("jetty", "jetty-isthmus")) {
            String row = r.out().lines().filter(l -> l.startsWith(server + " ")).findFirst().orElseThrow();
            assertTrue(row.trim().endsWith(" 0"), "no errors: " + row);
            String[] cells = row.trim().split("\\s{2,}");
            String perRequest = cells[cells.length - 2];
            if (syscalls == null) {
                assertTrue(perRequest.matches("\\d+\\.\\d\\d") && Double.parseDouble(perRequest) > 0, row);
            } else {
                assertEquals("n/a", perRequest, row);
                assertTrue(r.out().contains("system calls: n/a: " + syscalls), r.out());
            }
        }
        assertTrue(r.out().contains("jetty-isthmus against jetty, round by round: req/s "), r.out());
        Path json = Path.of(r.out().lines().filter(l -> l.startsWith("results: ")).findFirst().orElseThrow()
                .substring("results: ".length()).trim());
        try {
            String j = Files.readString(json);
            // counted in a window of their own after the measured one, so the CPU figures are taken without perf:
            // each server's note, once in "runs" and once in "best"
            long notes = j.split("requests \\(in the window after the measured one\\)", -1).length - 1;
            assertEquals(syscalls == null ? 4 : 0, notes, "perf here: " + (syscalls == null ? "counts" : syscalls) + "\n" + j);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        Path logs = Path.of(r.out().lines().filter(l -> l.startsWith("server logs: ")).findFirst().orElseThrow()
                .substring("server logs: ".length()).trim());
        try {
            assertTrue(Files.readString(logs.resolve("jetty-http-1.log")).contains("provider sun.nio.ch."));
            assertTrue(Files.readString(logs.resolve("jetty-isthmus-http-1.log"))
                    .contains("provider dev.isthmus.nio.channels.IsthmusSelectorProvider"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        assertNoServerLeft();
    }

    /**
     * {@code --slices}: both servers of the round run at once and are measured in turns, the second turn in the
     * reverse order (the progress lines show the order), each server's row adds up its slices, and no server is
     * left behind (a paused one included).
     */
    @Test
    void slicesMeasureTheServersOfARoundInAlternatingTurns(@TempDir Path dir) throws Exception {
        Outcome r = bench("--stacks", "nio,epoll", "--driver", "wrk", "--mode", "http", "--slices", "2", "--warmup", "1",
                "--duration", "2", "--rounds", "1", "--connections", "8", "--no-pin", "--no-alloc", "--no-syscalls",
                "--out", dir.toString());
        assertEquals(0, r.status(), r.out() + r.err());
        assertTrue(r.out().contains("interleaved: each round starts its 2 servers at once, warms each, then measures"
                + " them in turn, 2 slices of 1 s each"), r.out());
        List<String> turns = r.out().lines().filter(l -> l.contains("measuring (wrk), slice"))
                .map(l -> l.substring(l.indexOf('(', l.indexOf(']'))).trim()).toList();
        assertEquals(List.of("(1/2) nio http measuring (wrk), slice 1 of 2", "(2/2) epoll http measuring (wrk), slice 1 of 2",
                "(2/2) epoll http measuring (wrk), slice 2 of 2", "(1/2) nio http measuring (wrk), slice 2 of 2"), turns);
        for (String server : List.of("nio", "epoll")) {
            String row = r.out().lines().filter(l -> l.startsWith(server + " ")).findFirst().orElseThrow();
            assertTrue(row.trim().endsWith(" 0"), "no errors: " + row);
        }
        Path json = Path.of(r.out().lines().filter(l -> l.startsWith("results: ")).findFirst().orElseThrow()
                .substring("results: ".length()).trim());
        String j = Files.readString(json);
        assertEquals(4, j.split("measured in 2 slices of 1 s, interleaved", -1).length - 1, j); // 2 runs + 2 best
        assertTrue(j.contains("\"slices\": 2"), "the settings record the slices: " + j);
        assertNoServerLeft();
    }

    @Test
    void slicesRefuseTheDpdkStack(@TempDir Path dir) {
        Outcome r = bench("--stacks", "dpdk", "--driver", "wrk", "--mode", "http", "--slices", "2", "--duration", "2",
                "--no-pin", "--out", dir.toString());
        assertEquals(2, r.status(), r.out() + r.err());
        assertTrue(r.err().contains("--slices: wrk cannot reach the dpdk stack"), r.err());
    }

    @Test
    void unknownStackIsAUsageError(@TempDir Path dir) {
        Outcome r = bench("--stacks", "nio,carrier-pigeon", "--no-pin", "--out", dir.toString());
        assertEquals(2, r.status(), r.out() + r.err());
        assertTrue(r.err().contains("unknown stack 'carrier-pigeon'; known: ") && r.err().contains("nio"), r.err());
        assertNoServerLeft();
    }

    @Test
    void portInUseEndsTheRun(@TempDir Path dir) throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Outcome r = bench("--stacks", "nio", "--mode", "http", "--port", Integer.toString(taken.getLocalPort()),
                    "--warmup", "1", "--duration", "1", "--rounds", "1", "--no-pin", "--no-alloc", "--out", dir.toString());
            assertEquals(1, r.status(), r.out() + r.err());
            assertTrue(r.err().contains("server nio did not start") && r.err().contains("in use"), r.err());
        }
        assertNoServerLeft();
    }

    /** Whether a server log under {@code dir} says the server listens. */
    private static boolean listening(Path dir) throws java.io.IOException {
        try (var files = java.nio.file.Files.walk(dir)) {
            return files.filter(f -> f.toString().endsWith(".log")).anyMatch(f -> {
                try {
                    return java.nio.file.Files.readString(f).contains("listening on ");
                } catch (java.io.IOException e) {
                    return false;
                }
            });
        }
    }

    @Test
    void serverThatDiesMidRunEndsTheRun(@TempDir Path dir) throws Exception {
        CompletableFuture<Outcome> run = CompletableFuture.supplyAsync(() -> bench("--stacks", "nio", "--mode", "http",
                "--warmup", "30", "--duration", "1", "--rounds", "1", "--connections", "4", "--no-pin", "--no-alloc",
                "--out", dir.toString()));
        ProcessHandle server = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
        while (server == null && System.nanoTime() < deadline && !run.isDone()) {
            server = ProcessHandle.current().descendants()
                    .filter(p -> p.info().commandLine().orElse("").contains("cli.Serve")).findFirst().orElse(null);
            Thread.sleep(100);
        }
        assertTrue(server != null, "the server started");
        // Kill it once it serves: it says so in its log (a fixed sleep lost the race on a loaded machine,
        // where a JVM may take more than a second to start listening).
        while (System.nanoTime() < deadline && !listening(dir)) {
            Thread.sleep(100);
        }
        Thread.sleep(500); // let it take load
        server.destroyForcibly();
        Outcome r = run.get(60, TimeUnit.SECONDS);
        assertEquals(1, r.status(), r.out() + r.err());
        assertTrue(r.err().contains("server nio (pid " + server.pid() + ") exited with status 137 during the run"),
                r.err());
        assertNoServerLeft();
    }
}
