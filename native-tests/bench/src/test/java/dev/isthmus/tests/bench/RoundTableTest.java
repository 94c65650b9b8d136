package dev.isthmus.tests.bench;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RoundTableTest {

    private static RunResult run(String server, int round, double rate, double cpuNanos, long p99) {
        return new RunResult(server, BenchOptions.Mode.HTTP, round, "wrk", 8, (long) (rate * 8), rate, 200_000,
                p99, 2 * p99, 3 * p99, cpuNanos, 500, 0.2, 4.5, 0, 0, List.of());
    }

    @Test
    void everyRoundAMedianAndTheFirstServerAgainstEachOther() {
        List<RunResult> runs = List.of(
                run("io_uring", 1, 160_000, 5_100, 2_000_000), run("netty-io_uring", 1, 158_000, 6_000, 4_000_000),
                run("io_uring", 2, 130_000, 6_600, 3_000_000), run("netty-io_uring", 2, 129_000, 7_500, 4_400_000),
                run("io_uring", 3, 165_000, 5_400, 700_000), run("netty-io_uring", 3, 163_000, 6_000, 4_200_000));
        String t = RoundTable.render(runs, List.of("io_uring", "netty-io_uring"), 3);
        assertTrue(t.contains("160,000 / 5.10 / 2000 µs"), t);
        assertTrue(t.contains("median  160,000 / 5.40 / 2000 µs  158,000 / 6.00 / 4200 µs"), t);
        // 5.1/6.0 - 1 = -15.0 %, 6.6/7.5 - 1 = -12.0 %, 5.4/6.0 - 1 = -10.0 %; median -12.0 %
        assertTrue(t.contains("io_uring CPU per request against netty-io_uring, round by round: -15.0 %, -12.0 %, -10.0 % (median -12.0 %)"), t);
    }

    @Test
    void withTheCServersEveryStackIsAlsoSetAgainstTheCServerOfItsInterface() {
        List<RunResult> runs = List.of(
                run("io_uring", 1, 1, 8_000, 1), run("epoll", 1, 1, 10_500, 1), run("c-io_uring", 1, 1, 8_800, 1),
                run("c-epoll", 1, 1, 10_000, 1),
                run("io_uring", 2, 1, 7_600, 1), run("epoll", 2, 1, 10_300, 1), run("c-io_uring", 2, 1, 8_000, 1),
                run("c-epoll", 2, 1, 10_300, 1));
        String t = RoundTable.render(runs, List.of("io_uring", "epoll", "c-io_uring", "c-epoll"), 2);
        assertTrue(t.contains("io_uring CPU per request against c-io_uring, round by round: -9.1 %, -5.0 %"), t);
        // not only the first server: epoll against c-epoll, 10.5/10.0 - 1 and 10.3/10.3 - 1
        assertTrue(t.contains("epoll CPU per request against c-epoll, round by round: +5.0 %, +0.0 % (median +2.5 %)"), t);
        assertEquals(2, t.split("against c-epoll", -1).length - 1, t); // io_uring's and epoll's, each once
    }

    @Test
    void nothingForASingleRound() {
        assertEquals("", RoundTable.render(List.of(run("epoll", 1, 1, 1, 1)), List.of("epoll"), 1));
    }

    @Test
    void medianOfAnEvenCountIsTheMeanOfTheMiddleTwo() {
        assertEquals(2.5, RoundTable.median(List.of(4.0, 1.0, 3.0, 2.0)));
    }
}
