package dev.isthmus.tests.bench;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReportTest {

    private static final Machine MACHINE = new Machine(2, "Test \"CPU\" <x>", "6.1.0", "JDK 25");

    private static RunResult run(String server, BenchOptions.Mode mode, double rate, long errors) {
        return new RunResult(server, mode, 1, "builtin", 10, (long) (rate * 10), rate, 300_000, 4_000_000,
                7_500_000, 9_000_000, 6_400, 900, errors > 0 ? Double.NaN : 0.5, errors > 0 ? Double.NaN : 3.25, errors, 0,
                errors > 0 ? List.of("wrong reply: \"HTTP/1.1 500\"\r\n") : List.of());
    }

    @Test
    void jsonEscapesStringsAndWritesNullForUnknowns() {
        List<RunResult> runs = List.of(run("epoll", BenchOptions.Mode.HTTP, 150_000, 0),
                run("netty-epoll", BenchOptions.Mode.HTTP, 140_000, 3));
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("connections", 64);
        settings.put("pinned", true);
        settings.put("serverCpu", null);
        String json = JsonReport.render(MACHINE, "scripts/bench --vs netty", "20260101-000000", settings, runs, runs);
        assertTrue(json.contains("\"cpuModel\": \"Test \\\"CPU\\\" <x>\""), json);
        assertTrue(json.contains("\"settings\": {\"connections\": 64, \"pinned\": true, \"serverCpu\": null}"), json);
        assertTrue(json.contains("\"requestsPerSecond\": 150000"), json);
        assertTrue(json.contains("\"cpuMicrosPerRequest\": 6.400"), json);
        assertTrue(json.contains("\"allocBytesPerRequest\": null"), json); // NaN is not JSON
        assertTrue(json.contains("\"syscallsPerRequest\": 3.250"), json);
        assertTrue(json.contains("\"syscallsPerRequest\": null"), json); // not counted
        assertTrue(json.contains("\"notes\": [\"wrong reply: \\\"HTTP/1.1 500\\\"\\r\\n\"]"), json);
        assertTrue(json.contains("\"p99Micros\": 4000"), json);
        assertEquals(json.chars().filter(c -> c == '{').count(), json.chars().filter(c -> c == '}').count());
        assertEquals(json.chars().filter(c -> c == '[').count(), json.chars().filter(c -> c == ']').count());
    }

    @Test
    void svgIsWellFormedAndHasABarPerServer() throws Exception {
        List<RunResult> best = List.of(run("io_uring", BenchOptions.Mode.HTTP, 150_000, 0),
                run("nio & <friends>", BenchOptions.Mode.HTTP, 75_000, 2),
                run("epoll", BenchOptions.Mode.PINGPONG, 18_000, 0));
        String svg = SvgChart.render("title", MACHINE.describe(), best);
        Document d = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
        assertEquals("svg", d.getDocumentElement().getNodeName());
        // Per server: one throughput bar, one CPU bar and three latency bars, each with a <title>.
        assertEquals(best.size() * 5, d.getElementsByTagName("title").getLength());
        assertTrue(svg.contains("nio &amp; &lt;friends&gt; (errors!)"), svg);
        assertTrue(svg.contains("150,000"), svg);
        assertTrue(svg.contains("6.40 µs CPU per request, 3.25 system calls per request"), svg); // beside req/s and latency
        assertTrue(svg.contains("6.40 µs, 3.25 sc<"), svg);
    }

    @Test
    void tableShowsErrorsAndUnits() {
        String t = ResultTable.render(List.of(run("epoll", BenchOptions.Mode.HTTP, 150_000, 0),
                run("nio", BenchOptions.Mode.HTTP, 75_000, 2)));
        String[] lines = t.split("\n");
        assertEquals(4, lines.length, t);
        assertTrue(lines[0].startsWith("stack"), t);
        assertTrue(lines[2].contains("150,000") && lines[2].contains("300 µs") && lines[2].contains("4000 µs")
                && lines[2].contains("6.40") && lines[2].contains("0.90") && lines[2].contains("3.25"), t);
        assertTrue(lines[0].contains("syscalls/req"), t);
        // not counted (no perf, not permitted, --no-syscalls): n/a, never a number
        assertTrue(lines[3].contains("2 ERRORS") && lines[3].contains(" - ") && lines[3].contains(" n/a "), t);
    }

    @Test
    void betterRunIsTheCleanOneThenTheFaster() {
        RunResult fastWithErrors = run("a", BenchOptions.Mode.HTTP, 200_000, 1);
        RunResult slowClean = run("a", BenchOptions.Mode.HTTP, 100_000, 0);
        RunResult fastClean = run("a", BenchOptions.Mode.HTTP, 120_000, 0);
        assertEquals(slowClean, RunResult.better(fastWithErrors, slowClean));
        assertEquals(slowClean, RunResult.better(slowClean, fastWithErrors));
        assertEquals(fastClean, RunResult.better(slowClean, fastClean));
    }
}
