package dev.isthmus.tests.bench;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProviderPairsTest {

    private static RunResult run(String server, int round, double rate, double cpuNanos, double syscalls) {
        return new RunResult(server, BenchOptions.Mode.HTTP, round, "wrk", 10, (long) (rate * 10), rate, 200_000,
                1_000_000, 2_000_000, 3_000_000, cpuNanos, cpuNanos / 2, 100, syscalls, 0, 0, List.of());
    }

    @Test
    void eachPairRoundByRoundAndTheMoonshot() {
        List<RunResult> runs = List.of(
                run("jetty", 1, 100_000, 10_000, 4), run("jetty-isthmus", 1, 110_000, 8_000, 2),
                run("netty-nio", 1, 150_000, 9_000, Double.NaN), run("netty-nio-isthmus", 1, 160_000, 7_700, 1.5),
                run("netty-epoll", 1, 170_000, 7_000, 1.2),
                run("jetty", 2, 90_000, 11_000, 4), run("jetty-isthmus", 2, 90_000, 9_900, 3),
                run("netty-nio", 2, 140_000, 10_000, Double.NaN), run("netty-nio-isthmus", 2, 150_000, 7_000, 1.5),
                run("netty-epoll", 2, 160_000, 7_000, 1.2));
        String t = ProviderPairs.render(runs, List.of("jetty", "jetty-isthmus", "netty-nio", "netty-nio-isthmus",
                "netty-epoll"), 2);
        String[] lines = t.split("\n");
        assertEquals(3, lines.length, t);
        // 110/100 - 1 = +10 %, 90/90 - 1 = 0 %; 8/10 - 1 = -20 %, 9.9/11 - 1 = -10 %; 2/4 - 1 = -50 %, 3/4 - 1 = -25 %
        assertEquals("jetty-isthmus against jetty, round by round: req/s +10.0 %, +0.0 % (median +5.0 %);"
                + " CPU/req -20.0 %, -10.0 % (median -15.0 %); syscalls/req -50.0 %, -25.0 % (median -37.5 %)", lines[0]);
        // the JDK's side has no system call count: that part is left out, not made up
        assertTrue(lines[1].startsWith("netty-nio-isthmus against netty-nio, round by round: req/s") && !lines[1].contains("syscalls"), t);
        // 7.7/7 = 1.10, 7/7 = 1.00; median 1.05
        assertEquals("netty-nio-isthmus CPU per request over netty-epoll's, round by round: 1.10x, 1.00x"
                + " (median 1.05x; moonshot: within 1.10x: met)", lines[2]);
    }

    @Test
    void nothingWithoutAPair() {
        assertEquals("", ProviderPairs.render(List.of(run("jetty-isthmus", 1, 1, 1, 1), run("epoll", 1, 1, 1, 1)),
                List.of("jetty-isthmus", "epoll"), 1));
    }
}
