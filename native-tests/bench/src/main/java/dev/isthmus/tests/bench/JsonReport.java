package dev.isthmus.tests.bench;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * results.json: the machine, the settings, every run and the best run per server and mode. Written by
 * hand (the harness needs no JSON library): strings escaped per RFC 8259 §7, numbers that are not
 * finite written as null.
 */
public final class JsonReport {

    private JsonReport() {
    }

    /** The whole document. */
    public static String render(Machine machine, String command, String started, Map<String, Object> settings,
                                List<RunResult> runs, List<RunResult> best) {
        StringBuilder sb = new StringBuilder(4096);
        sb.append("{\n");
        sb.append("  \"tool\": \"isthmus bench harness\",\n");
        sb.append("  \"command\": ").append(string(command)).append(",\n");
        sb.append("  \"started\": ").append(string(started)).append(",\n");
        sb.append("  \"machine\": {\"cpus\": ").append(machine.cpus())
                .append(", \"cpuModel\": ").append(string(machine.cpuModel()))
                .append(", \"kernel\": ").append(string(machine.kernel()))
                .append(", \"jdk\": ").append(string(machine.jdk())).append("},\n");
        sb.append("  \"settings\": {");
        boolean first = true;
        for (Map.Entry<String, Object> e : settings.entrySet()) {
            sb.append(first ? "" : ", ").append(string(e.getKey())).append(": ").append(value(e.getValue()));
            first = false;
        }
        sb.append("},\n");
        sb.append("  \"runs\": ");
        runs(sb, runs);
        sb.append(",\n  \"best\": ");
        runs(sb, best);
        sb.append("\n}\n");
        return sb.toString();
    }

    private static void runs(StringBuilder sb, List<RunResult> runs) {
        sb.append('[');
        for (int i = 0; i < runs.size(); i++) {
            RunResult r = runs.get(i);
            sb.append(i == 0 ? "\n" : ",\n").append("    {")
                    .append("\"server\": ").append(string(r.server()))
                    .append(", \"mode\": ").append(string(r.mode().label()))
                    .append(", \"round\": ").append(r.round())
                    .append(", \"driver\": ").append(string(r.driver()))
                    .append(", \"seconds\": ").append(number(r.seconds()))
                    .append(", \"replies\": ").append(r.replies())
                    .append(", \"requestsPerSecond\": ").append(number(r.requestsPerSecond()))
                    .append(", \"p50Micros\": ").append(micros(r.p50Nanos()))
                    .append(", \"p99Micros\": ").append(micros(r.p99Nanos()))
                    .append(", \"p999Micros\": ").append(micros(r.p999Nanos()))
                    .append(", \"maxMicros\": ").append(micros(r.maxNanos()))
                    .append(", \"cpuMicrosPerRequest\": ").append(number(r.cpuNanosPerRequest() / 1000))
                    .append(", \"userMicrosPerRequest\": ").append(number(r.userNanosPerRequest() / 1000))
                    .append(", \"allocBytesPerRequest\": ").append(number(r.allocBytesPerRequest()))
                    .append(", \"syscallsPerRequest\": ").append(number(r.syscallsPerRequest()))
                    .append(", \"errors\": ").append(r.errors())
                    .append(", \"timeouts\": ").append(r.timeouts())
                    .append(", \"notes\": [");
            for (int j = 0; j < r.notes().size(); j++) {
                sb.append(j == 0 ? "" : ", ").append(string(r.notes().get(j)));
            }
            sb.append("]}");
        }
        sb.append(runs.isEmpty() ? "]" : "\n  ]");
    }

    private static String value(Object v) {
        if (v instanceof Number n) {
            return number(n.doubleValue());
        }
        if (v instanceof Boolean b) {
            return b.toString();
        }
        if (v instanceof List<?> l) {
            StringBuilder sb = new StringBuilder("[");
            for (int i = 0; i < l.size(); i++) {
                sb.append(i == 0 ? "" : ", ").append(value(l.get(i)));
            }
            return sb.append(']').toString();
        }
        return v == null ? "null" : string(v.toString());
    }

    private static String micros(long nanos) {
        return nanos < 0 ? "null" : number(nanos / 1000.0);
    }

    /** A JSON number, or null when not finite (JSON has no NaN). */
    static String number(double d) {
        if (!Double.isFinite(d)) {
            return "null";
        }
        if (d == Math.rint(d) && Math.abs(d) < 1e15) {
            return Long.toString((long) d);
        }
        return String.format(Locale.ROOT, "%.3f", d);
    }

    /** A JSON string: quotes, backslashes and control characters escaped. */
    static String string(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }
}
