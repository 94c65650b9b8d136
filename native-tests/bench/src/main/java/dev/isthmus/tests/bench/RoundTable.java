package dev.isthmus.tests.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Every round of an A B A B run, beside the best-run table: on a machine whose speed drifts from minute to
 * minute, a difference means something only when it holds round after round. One row per round (req/s,
 * server CPU µs per request and p99 of each server), a median row, and then, for each other server, the
 * first server's CPU per request against it round by round, and each other Isthmus stack's against the C
 * server of its interface ({@code --vs c}): runs of the same round are minutes apart at most, so that ratio
 * is the figure least moved by the drift.
 */
final class RoundTable {

    private RoundTable() {
    }

    /** The table for one mode; empty for a single round (the best-run table already says it all). */
    static String render(List<RunResult> results, List<String> servers, int rounds) {
        if (rounds < 2 || results.isEmpty()) {
            return "";
        }
        List<String[]> cells = new ArrayList<>();
        String[] head = new String[servers.size() + 1];
        head[0] = "round";
        for (int i = 0; i < servers.size(); i++) {
            head[i + 1] = servers.get(i);
        }
        cells.add(head);
        for (int round = 1; round <= rounds; round++) {
            String[] row = new String[servers.size() + 1];
            row[0] = Integer.toString(round);
            for (int i = 0; i < servers.size(); i++) {
                RunResult r = find(results, servers.get(i), round);
                row[i + 1] = r == null ? "-" : ResultTable.rate(r.requestsPerSecond()) + " / "
                        + ResultTable.cpu(r.cpuNanosPerRequest()) + " / " + ResultTable.latency(r.p99Nanos());
            }
            cells.add(row);
        }
        String[] median = new String[servers.size() + 1];
        median[0] = "median";
        for (int i = 0; i < servers.size(); i++) {
            String s = servers.get(i);
            median[i + 1] = ResultTable.rate(median(results, s, rounds, RunResult::requestsPerSecond)) + " / "
                    + ResultTable.cpu(median(results, s, rounds, RunResult::cpuNanosPerRequest)) + " / "
                    + ResultTable.latency((long) median(results, s, rounds, r -> (double) r.p99Nanos()));
        }
        cells.add(median);
        StringBuilder sb = new StringBuilder("every round: req/s / server CPU µs per request / p99\n");
        sb.append(layout(cells));
        String first = servers.get(0);
        for (String other : servers.subList(1, servers.size())) {
            sb.append(pairLine(results, first, other, rounds));
        }
        // --vs c: every other stack against the C server of its own interface too (epoll against c-epoll)
        for (String s : servers.subList(1, servers.size())) {
            String c = CServers.PREFIX + s;
            if (CServers.names().contains(c) && servers.contains(c)) {
                sb.append(pairLine(results, s, c, rounds));
            }
        }
        return sb.toString();
    }

    /** {@code a}'s CPU per request against {@code b}'s, round by round, and the median; empty with no round of both. */
    private static String pairLine(List<RunResult> results, String a, String b, int rounds) {
        List<Double> change = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            RunResult ra = find(results, a, round);
            RunResult rb = find(results, b, round);
            if (ra != null && rb != null && ra.cpuNanosPerRequest() > 0 && rb.cpuNanosPerRequest() > 0) {
                change.add((ra.cpuNanosPerRequest() / rb.cpuNanosPerRequest() - 1) * 100);
            }
        }
        if (change.isEmpty()) {
            return "";
        }
        StringBuilder each = new StringBuilder();
        for (double c : change) {
            each.append(each.isEmpty() ? "" : ", ").append(percent(c));
        }
        return a + " CPU per request against " + b + ", round by round: " + each + " (median "
                + percent(median(change)) + ")\n";
    }

    static RunResult find(List<RunResult> results, String server, int round) {
        for (RunResult r : results) {
            if (r.server().equals(server) && r.round() == round) {
                return r;
            }
        }
        return null;
    }

    private static double median(List<RunResult> results, String server, int rounds,
                                 java.util.function.ToDoubleFunction<RunResult> f) {
        List<Double> v = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            RunResult r = find(results, server, round);
            if (r != null && !Double.isNaN(f.applyAsDouble(r))) {
                v.add(f.applyAsDouble(r));
            }
        }
        return v.isEmpty() ? Double.NaN : median(v);
    }

    static double median(List<Double> values) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }

    private static String percent(double p) {
        return String.format(Locale.ROOT, "%+.1f %%", p);
    }

    private static String layout(List<String[]> cells) {
        int[] width = ResultTable.widths(cells);
        StringBuilder sb = new StringBuilder();
        for (String[] row : cells) {
            for (int i = 0; i < row.length; i++) {
                sb.append(row[i]);
                // left-aligned; the last column is not padded, so no line ends in spaces
                sb.append(i + 1 < row.length ? " ".repeat(width[i] - row[i].length() + 2) : "\n");
            }
        }
        return sb.toString();
    }
}
