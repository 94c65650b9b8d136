package dev.isthmus.tests.bench;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One server's measured slices of an interleaved round ({@code --slices}), added up: requests, wrk's time
 * and the server's CPU time are sums over the slices, so the round's figure per request is the same ratio
 * one long window would give. Latency percentiles of separate wrk runs cannot be merged: the round reports
 * each percentile of the median slice (for that percentile) and the highest maximum. Not the highest p99:
 * the first requests after a server is resumed wait while its threads catch up (a JVM's timers and JFR
 * after a second stopped), an artefact of the pausing that would otherwise decide the column. Not
 * thread-safe: the harness's main thread fills it.
 */
final class SliceTotals {

    private long requests;
    private long durationMicros;
    private long errors;
    private long timeouts;
    private long userNanos;
    private long systemNanos;
    private final List<Long> p50s = new ArrayList<>();
    private final List<Long> p99s = new ArrayList<>();
    private final List<Long> p999s = new ArrayList<>();
    private long max;
    /** Each slice's CPU nanoseconds per request, in order, for the run's notes. */
    private final List<Double> cpuPerSlice = new ArrayList<>();
    private Instant first;
    private Instant last;

    /** Adds one slice: wrk's report, the server's CPU time around it, and when the slice began and ended. */
    void add(WrkDriver.Report r, long userNanos, long systemNanos, Instant start, Instant end) {
        requests += r.requests();
        durationMicros += r.durationMicros();
        errors += r.errors();
        timeouts += r.timeouts();
        this.userNanos += userNanos;
        this.systemNanos += systemNanos;
        p50s.add(r.p50());
        p99s.add(r.p99());
        p999s.add(r.p999());
        max = Math.max(max, r.max());
        cpuPerSlice.add(r.requests() == 0 ? Double.NaN : (userNanos + systemNanos) / (double) r.requests());
        if (first == null) {
            first = start;
        }
        last = end;
    }

    /** Each slice's server CPU per request in µs, in the order run: "8.12, 8.30, ..." (a slow slice shows). */
    String cpuPerSliceMicros() {
        return String.join(", ", cpuPerSlice.stream().map(c -> String.format(java.util.Locale.ROOT, "%.2f", c / 1000)).toList());
    }

    int slices() {
        return p50s.size();
    }

    long requests() {
        return requests;
    }

    /** wrk's measured time summed over the slices, in seconds. */
    double seconds() {
        return durationMicros / 1e6;
    }

    long errors() {
        return errors;
    }

    long timeouts() {
        return timeouts;
    }

    /** User plus system CPU nanoseconds per request over all slices; NaN before any request. */
    double cpuNanosPerRequest() {
        return requests == 0 ? Double.NaN : (userNanos + systemNanos) / (double) requests;
    }

    /** User CPU nanoseconds per request over all slices; NaN before any request. */
    double userNanosPerRequest() {
        return requests == 0 ? Double.NaN : userNanos / (double) requests;
    }

    /** The median slice's p50 latency, microseconds as wrk gives them. */
    long p50() {
        return median(p50s);
    }

    /** The median slice's p99. */
    long p99() {
        return median(p99s);
    }

    /** The median slice's p99.9. */
    long p999() {
        return median(p999s);
    }

    /** The highest latency of any slice. */
    long max() {
        return max;
    }

    /** The middle value; of an even count the lower middle one; 0 when empty. */
    static long median(List<Long> values) {
        if (values.isEmpty()) {
            return 0;
        }
        List<Long> sorted = values.stream().sorted().toList();
        return sorted.get((sorted.size() - 1) / 2);
    }

    /** When the first slice began and the last one ended (the server was paused between its slices). */
    Instant first() {
        return first;
    }

    Instant last() {
        return last;
    }
}
