package dev.isthmus.tests.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * chart.svg, written by hand: for each mode, the servers' requests per second as bars (left), the server's
 * CPU time per request (middle: on a machine of few cores, where the load generator takes as much CPU as
 * the server, req/s and latency move with the generator, and this is the figure that separates the
 * stacks), and their p50 / p99 / p99.9 latency as bars on a logarithmic scale (right). Servers with errors
 * are marked.
 */
public final class SvgChart {

    private static final int WIDTH = 1380;
    private static final int ROW = 30;
    private static final int LEFT_LABEL = 150;  // right edge of the stack names, throughput panel
    private static final int LEFT_BARS = 160;
    private static final int LEFT_WIDTH = 280;
    private static final int CPU_BARS = 530;
    private static final int CPU_WIDTH = 160;
    // room for the longest CPU label ("370.96 µs, 11.09 sc", ~130 px) left of the longest names
    // ("jdk-httpserver-isthmus", ~150 px, right-aligned at RIGHT_LABEL)
    private static final int RIGHT_LABEL = 990;
    private static final int RIGHT_BARS = 1000;
    private static final int RIGHT_WIDTH = 340;
    private static final String[] LATENCY_COLOURS = {"#4c9be8", "#f0a030", "#d9534f"};
    private static final String[] LATENCY_NAMES = {"p50", "p99", "p99.9"};

    private SvgChart() {
    }

    /** The SVG document for these best runs, titled with {@code title} and {@code subtitle}. */
    public static String render(String title, String subtitle, List<RunResult> best) {
        Map<BenchOptions.Mode, List<RunResult>> byMode = new LinkedHashMap<>();
        for (RunResult r : best) {
            byMode.computeIfAbsent(r.mode(), k -> new ArrayList<>()).add(r);
        }
        StringBuilder body = new StringBuilder();
        int y = 60;
        for (Map.Entry<BenchOptions.Mode, List<RunResult>> e : byMode.entrySet()) {
            y = section(body, y, e.getKey(), e.getValue());
        }
        int height = y + 20;
        StringBuilder sb = new StringBuilder();
        sb.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        sb.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(WIDTH).append("\" height=\"").append(height)
                .append("\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(height)
                .append("\" font-family=\"sans-serif\" font-size=\"12\">\n");
        sb.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        text(sb, 20, 24, "start", "font-size=\"16\" font-weight=\"bold\"", title);
        text(sb, 20, 42, "start", "fill=\"#555\"", subtitle);
        sb.append(body);
        sb.append("</svg>\n");
        return sb.toString();
    }

    private static int section(StringBuilder sb, int y, BenchOptions.Mode mode, List<RunResult> rows) {
        String what = switch (mode) {
            case HTTP -> "HTTP \"Hello, World!\"";
            case ECHO -> "echo";
            case PINGPONG -> "ping-pong (one message in flight)";
            case UDP -> "UDP echo, datagrams/s with < 0.1 % loss";
        };
        text(sb, 20, y + 14, "start", "font-size=\"14\" font-weight=\"bold\"", what);
        text(sb, LEFT_BARS, y + 32, "start", "fill=\"#555\"", "requests per second");
        text(sb, CPU_BARS, y + 32, "start", "fill=\"#555\"", "server CPU µs per request, system calls (sc) per request");
        text(sb, RIGHT_BARS, y + 32, "start", "fill=\"#555\"", "latency (log scale)");
        for (int i = 0; i < LATENCY_NAMES.length; i++) {
            int lx = RIGHT_BARS + 140 + i * 62;
            sb.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"10\" height=\"10\" fill=\"%s\"/>\n",
                    lx, y + 23, LATENCY_COLOURS[i]));
            text(sb, lx + 14, y + 32, "start", "", LATENCY_NAMES[i]);
        }
        int top = y + 42;
        double maxRate = rows.stream().mapToDouble(RunResult::requestsPerSecond).max().orElse(1);
        double maxCpu = rows.stream().mapToDouble(RunResult::cpuNanosPerRequest).filter(c -> !Double.isNaN(c))
                .max().orElse(0);
        long maxLatency = rows.stream().mapToLong(RunResult::p999Nanos).max().orElse(1000);
        double decades = Math.max(1, Math.ceil(Math.log10(Math.max(maxLatency, 1001) / 1000.0))); // from 1 µs
        for (int i = 0; i < rows.size(); i++) {
            RunResult r = rows.get(i);
            int ry = top + i * ROW;
            String name = r.server() + (r.clean() ? "" : " (errors!)");
            text(sb, LEFT_LABEL, ry + 17, "end", r.clean() ? "" : "fill=\"#c00\"", name);
            double w = maxRate <= 0 ? 0 : LEFT_WIDTH * r.requestsPerSecond() / maxRate;
            sb.append(String.format(Locale.ROOT,
                    "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"20\" fill=\"%s\"><title>%s</title></rect>\n",
                    LEFT_BARS, ry + 3, w, r.clean() ? "#5a8f3c" : "#c00", escape(ResultTable.rate(r.requestsPerSecond()) + " req/s")));
            text(sb, (int) (LEFT_BARS + w + 4), ry + 17, "start", "", ResultTable.rate(r.requestsPerSecond()));
            double cpu = r.cpuNanosPerRequest();
            double cw = Double.isNaN(cpu) || maxCpu <= 0 ? 0 : CPU_WIDTH * cpu / maxCpu;
            sb.append(String.format(Locale.ROOT,
                    "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"20\" fill=\"%s\"><title>%s</title></rect>\n",
                    CPU_BARS, ry + 3, cw, "#8a6bbf", escape(ResultTable.cpu(cpu) + " µs CPU per request"
                            + (Double.isNaN(r.syscallsPerRequest()) ? "" : ", " + ResultTable.syscalls(r.syscallsPerRequest())
                            + " system calls per request"))));
            text(sb, (int) (CPU_BARS + cw + 4), ry + 17, "start", "", ResultTable.cpu(cpu) + " µs"
                    + (Double.isNaN(r.syscallsPerRequest()) ? "" : ", " + ResultTable.syscalls(r.syscallsPerRequest()) + " sc"));
            text(sb, RIGHT_LABEL, ry + 17, "end", "", r.server());
            long[] lat = {r.p50Nanos(), r.p99Nanos(), r.p999Nanos()};
            for (int k = 0; k < 3; k++) {
                double lw = lat[k] <= 1000 ? 1 : RIGHT_WIDTH * Math.log10(lat[k] / 1000.0) / decades;
                sb.append(String.format(Locale.ROOT,
                        "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"6\" fill=\"%s\"><title>%s %s</title></rect>\n",
                        RIGHT_BARS, ry + 4 + k * 7, Math.max(1, lw), LATENCY_COLOURS[k], LATENCY_NAMES[k],
                        escape(ResultTable.latency(lat[k]))));
            }
            text(sb, (int) (RIGHT_BARS + Math.min(RIGHT_WIDTH, RIGHT_WIDTH * Math.log10(Math.max(lat[2], 1000) / 1000.0) / decades) + 4),
                    ry + 24, "start", "font-size=\"10\" fill=\"#555\"", ResultTable.latency(lat[2]));
        }
        int axis = top + rows.size() * ROW + 4;
        sb.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#888\"/>\n",
                RIGHT_BARS, axis, RIGHT_BARS + RIGHT_WIDTH, axis));
        for (int d = 0; d <= decades; d++) {
            int x = (int) (RIGHT_BARS + RIGHT_WIDTH * d / decades);
            sb.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#888\"/>\n",
                    x, axis, x, axis + 4));
            text(sb, x, axis + 16, "middle", "font-size=\"10\" fill=\"#555\"", ResultTable.latency((long) (1000 * Math.pow(10, d))));
        }
        return axis + 34;
    }

    private static void text(StringBuilder sb, int x, int y, String anchor, String attributes, String s) {
        sb.append("<text x=\"").append(x).append("\" y=\"").append(y).append("\" text-anchor=\"").append(anchor).append('"')
                .append(attributes.isEmpty() ? "" : " " + attributes).append('>').append(escape(s)).append("</text>\n");
    }

    /** XML text: the five predefined entities. */
    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;")
                .replace("'", "&apos;");
    }
}
