package dev.isthmus.tests.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The text table the harness prints: one row per server, the best of its runs. */
public final class ResultTable {

    private static final String[] HEAD = {"stack", "req/s", "p50", "p99", "p99.9", "CPU s/1M req", "of which user",
            "alloc B/req", "syscalls/req", "errors"};

    private ResultTable() {
    }

    /** The table for one mode's best runs. */
    public static String render(List<RunResult> rows) {
        List<String[]> cells = new ArrayList<>();
        cells.add(HEAD);
        for (RunResult r : rows) {
            cells.add(new String[]{r.server(), rate(r.requestsPerSecond()), latency(r.p50Nanos()), latency(r.p99Nanos()),
                    latency(r.p999Nanos()), cpu(r.cpuNanosPerRequest()), cpu(r.userNanosPerRequest()),
                    alloc(r.allocBytesPerRequest()), syscalls(r.syscallsPerRequest()), errors(r)});
        }
        int[] width = widths(cells);
        StringBuilder sb = new StringBuilder();
        for (int r = 0; r < cells.size(); r++) {
            String[] row = cells.get(r);
            for (int i = 0; i < row.length; i++) {
                String pad = " ".repeat(width[i] - row[i].length());
                sb.append(i == 0 ? row[i] + pad : pad + row[i]); // names left, numbers right
                sb.append(i + 1 < row.length ? "  " : "\n");
            }
            if (r == 0) {
                for (int i = 0; i < row.length; i++) {
                    sb.append("-".repeat(width[i])).append(i + 1 < row.length ? "  " : "\n");
                }
            }
        }
        return sb.toString();
    }

    /** The width of each column: its longest cell. */
    static int[] widths(List<String[]> cells) {
        int[] width = new int[cells.get(0).length];
        for (String[] row : cells) {
            for (int i = 0; i < row.length; i++) {
                width[i] = Math.max(width[i], row[i].length());
            }
        }
        return width;
    }

    /** 123,456 */
    public static String rate(double perSecond) {
        return String.format(Locale.ROOT, "%,d", Math.round(perSecond));
    }

    /** Nanoseconds as µs below 10 ms, else ms. */
    public static String latency(long nanos) {
        if (nanos < 0) {
            return "-";
        }
        if (nanos < 10_000_000) {
            double us = nanos / 1000.0;
            return us < 100 ? String.format(Locale.ROOT, "%.1f µs", us) : String.format(Locale.ROOT, "%.0f µs", us);
        }
        return String.format(Locale.ROOT, "%.1f ms", nanos / 1e6);
    }

    /** CPU seconds per million requests = CPU microseconds per request. */
    public static String cpu(double nanosPerRequest) {
        return Double.isNaN(nanosPerRequest) ? "-" : String.format(Locale.ROOT, "%.2f", nanosPerRequest / 1000.0);
    }

    static String alloc(double bytes) {
        if (Double.isNaN(bytes)) {
            return "-";
        }
        return bytes < 10 ? String.format(Locale.ROOT, "%.1f", bytes) : String.format(Locale.ROOT, "%.0f", bytes);
    }

    /** System calls per request, or n/a when they were not counted (no perf, not permitted, --no-syscalls). */
    static String syscalls(double perRequest) {
        return Double.isNaN(perRequest) ? "n/a" : String.format(Locale.ROOT, "%.2f", perRequest);
    }

    private static String errors(RunResult r) {
        if (r.clean()) {
            return "0";
        }
        List<String> parts = new ArrayList<>();
        if (r.errors() > 0) {
            parts.add(r.errors() + " ERRORS");
        }
        if (r.timeouts() > 0) {
            parts.add(r.timeouts() + " TIMEOUTS");
        }
        return String.join(", ", parts);
    }
}
