package dev.isthmus.tests.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * Issue 16's verdict, round by round: each server on our java.nio providers ({@code jetty-isthmus}) against the
 * same server on the JDK's ({@code jetty}), in requests per second, CPU per request and system calls per request
 * (the goal: more or as many requests per second, less CPU, fewer system calls); and Netty's nio transport on our
 * provider against Netty's epoll transport in CPU per request (the moonshot: within {@value #MOONSHOT}×). Runs of
 * the same round are minutes apart at most, so, as in {@link RoundTable}, the per-round ratio is the figure least
 * moved by a machine whose speed drifts.
 */
final class ProviderPairs {

    /** The moonshot: Netty's nio transport on our provider within this many times netty-epoll's CPU per request. */
    static final double MOONSHOT = 1.10;
    private static final String NIO_ON_OURS = BenchOptions.NETTY_PREFIX + "nio" + NioServers.ISTHMUS_SUFFIX;
    private static final String NETTY_EPOLL = BenchOptions.NETTY_PREFIX + "epoll";

    private ProviderPairs() {
    }

    /** The lines for one mode's runs: one per pair present in {@code servers}; empty when there is none. */
    static String render(List<RunResult> results, List<String> servers, int rounds) {
        StringBuilder sb = new StringBuilder();
        for (String ours : servers) {
            String jdk = NioServers.jdkPeer(ours);
            if (!NioServers.onIsthmus(ours) || !servers.contains(jdk)) {
                continue;
            }
            List<String> parts = new ArrayList<>();
            change(results, ours, jdk, rounds, "req/s", RunResult::requestsPerSecond, parts);
            change(results, ours, jdk, rounds, "CPU/req", RunResult::cpuNanosPerRequest, parts);
            change(results, ours, jdk, rounds, "syscalls/req", RunResult::syscallsPerRequest, parts);
            if (!parts.isEmpty()) {
                sb.append(ours).append(" against ").append(jdk).append(", round by round: ")
                        .append(String.join("; ", parts)).append('\n');
            }
        }
        if (servers.contains(NIO_ON_OURS) && servers.contains(NETTY_EPOLL)) {
            List<Double> ratio = ratios(results, NIO_ON_OURS, NETTY_EPOLL, rounds, RunResult::cpuNanosPerRequest);
            if (!ratio.isEmpty()) {
                StringBuilder each = new StringBuilder();
                for (double r : ratio) {
                    each.append(each.isEmpty() ? "" : ", ").append(String.format(Locale.ROOT, "%.2fx", r));
                }
                double median = RoundTable.median(ratio);
                sb.append(NIO_ON_OURS).append(" CPU per request over ").append(NETTY_EPOLL).append("'s, round by round: ")
                        .append(each).append(String.format(Locale.ROOT, " (median %.2fx; moonshot: within %.2fx: %s)%n",
                                median, MOONSHOT, median <= MOONSHOT ? "met" : "not met"));
            }
        }
        return sb.toString();
    }

    /** {@code ours} over {@code jdk} - 1 in {@code what}, each round where both have the figure, and the median. */
    private static void change(List<RunResult> results, String ours, String jdk, int rounds, String what,
                               ToDoubleFunction<RunResult> f, List<String> parts) {
        List<Double> ratio = ratios(results, ours, jdk, rounds, f);
        if (ratio.isEmpty()) {
            return;
        }
        StringBuilder each = new StringBuilder();
        for (double r : ratio) {
            each.append(each.isEmpty() ? "" : ", ").append(percent(r));
        }
        parts.add(what + " " + each + (ratio.size() > 1 ? " (median " + percent(RoundTable.median(ratio)) + ")" : ""));
    }

    private static List<Double> ratios(List<RunResult> results, String a, String b, int rounds, ToDoubleFunction<RunResult> f) {
        List<Double> ratio = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            RunResult ra = RoundTable.find(results, a, round);
            RunResult rb = RoundTable.find(results, b, round);
            if (ra != null && rb != null && f.applyAsDouble(ra) > 0 && f.applyAsDouble(rb) > 0) {
                ratio.add(f.applyAsDouble(ra) / f.applyAsDouble(rb));
            }
        }
        return ratio;
    }

    private static String percent(double ratio) {
        return String.format(Locale.ROOT, "%+.1f %%", (ratio - 1) * 100);
    }
}
