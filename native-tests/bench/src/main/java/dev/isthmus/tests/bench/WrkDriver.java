package dev.isthmus.tests.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Drives an HTTP server with {@code wrk} instead of the built-in generator ({@code --driver wrk}), for
 * figures comparable with what others publish. wrk does not check reply bytes: it counts socket errors,
 * timeouts and non-2xx/3xx statuses, which the table shows as errors. A small Lua {@code done()} hook
 * prints the totals and the p50/p99/p99.9 latencies that wrk's own summary leaves out.
 *
 * <p>With {@code --pipeline N} the script's {@code request()} returns N requests in one string, so each
 * write carries N requests. wrk parses that string once at start-up, expects N replies per write, counts
 * every reply in {@code summary.requests} and writes the next batch when the N-th has come; it records
 * one latency per batch, the time to its last reply.
 */
final class WrkDriver {

    private static final String SCRIPT = """
            done = function(summary, latency, requests)
              io.write(string.format("ISTHMUS requests=%d duration_us=%d errors=%d timeouts=%d p50=%d p99=%d p999=%d max=%d\\n",
                summary.requests, summary.duration,
                summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.status,
                summary.errors.timeout,
                latency:percentile(50), latency:percentile(99), latency:percentile(99.9), latency.max))
            end
            """;

    /** What wrk reported. Latencies in microseconds. */
    record Report(long requests, long durationMicros, long errors, long timeouts, long p50, long p99, long p999, long max) {
    }

    /** N requests per write: built once in {@code init} (wrk.format adds wrk's Host header). */
    private static final String PIPELINE = """
            init = function(args)
              local batch = {}
              for i = 1, %d do
                batch[i] = wrk.format(nil, "/")
              end
              pipelined = table.concat(batch)
            end
            request = function()
              return pipelined
            end
            """;

    private final Path script;

    /** Writes the Lua script for {@code pipeline} requests per write into {@code dir}. */
    WrkDriver(Path dir, int pipeline) throws IOException {
        if (pipeline < 1) {
            throw new IllegalArgumentException("pipeline must be at least 1, was " + pipeline);
        }
        this.script = dir.resolve("wrk-report.lua");
        Files.writeString(script, script(pipeline), StandardCharsets.UTF_8);
    }

    /** The Lua script: the report hook, and with {@code pipeline > 1} the batch of requests. */
    static String script(int pipeline) {
        return pipeline == 1 ? SCRIPT : SCRIPT + String.format(java.util.Locale.ROOT, PIPELINE, pipeline);
    }

    /** Whether wrk is on the PATH. */
    static boolean installed() {
        try {
            Process p = new ProcessBuilder("wrk", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            p.waitFor(5, TimeUnit.SECONDS);
            return true;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Runs {@code wrk -t1} for {@code seconds} against the server; blocks until it is done. */
    Report run(int port, int connections, double seconds, long timeoutMillis) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("wrk", "-t1", "-c" + connections,
                "-d" + Math.max(1, Math.round(seconds)) + "s", "--timeout", Math.max(1, timeoutMillis / 1000) + "s",
                "-s", script.toString(), "http://127.0.0.1:" + port + "/"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        ServerProcess.track(p); // stopped with the servers if the harness ends first
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int status = p.waitFor();
            if (status != 0) {
                throw new IOException("wrk exited with status " + status + ": " + out.strip());
            }
            return parse(out);
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while wrk ran", e);
        } finally {
            p.destroyForcibly();
            ServerProcess.untrack(p);
        }
    }

    /** Finds the ISTHMUS line in wrk's output. */
    static Report parse(String output) throws IOException {
        for (String line : output.split("\n")) {
            if (line.startsWith("ISTHMUS ")) {
                Map<String, Long> v = new TreeMap<>();
                for (String kv : line.substring(8).trim().split(" ")) {
                    int eq = kv.indexOf('=');
                    try {
                        v.put(kv.substring(0, eq), Long.parseLong(kv.substring(eq + 1)));
                    } catch (RuntimeException e) {
                        throw new IOException("cannot read wrk's report line: " + line);
                    }
                }
                try {
                    return new Report(v.get("requests"), v.get("duration_us"), v.get("errors"), v.get("timeouts"),
                            v.get("p50"), v.get("p99"), v.get("p999"), v.get("max"));
                } catch (NullPointerException e) {
                    throw new IOException("wrk's report line lacks a field: " + line);
                }
            }
        }
        throw new IOException("wrk printed no report; its output:\n" + output.strip());
    }
}
