package dev.isthmus.tests.bench;

import java.util.List;

/**
 * The figures of one measured run of one server.
 *
 * @param server                 the server's name: an Isthmus stack ({@code epoll}) or {@code netty-epoll}
 * @param mode                   what was measured
 * @param round                  1-based: which of the alternating rounds
 * @param driver                 the load generator that measured it
 * @param seconds                length of the measured window
 * @param replies                replies received and checked in the window
 * @param requestsPerSecond      replies / seconds
 * @param p50Nanos               latency percentiles in nanoseconds
 * @param p99Nanos               -
 * @param p999Nanos              -
 * @param maxNanos               -
 * @param cpuNanosPerRequest     server user+system CPU time over the window / replies (numerically also the
 *                               CPU seconds per million requests, in microseconds); NaN if unknown
 * @param userNanosPerRequest    of which user time
 * @param allocBytesPerRequest   Java heap bytes the server allocated over the window / replies; NaN if unknown
 * @param syscallsPerRequest     system calls the server entered over the window ({@link SyscallCounter}) / replies;
 *                               NaN if not counted
 * @param errors                 wrong replies and connections lost
 * @param timeouts               replies that did not come in time
 * @param notes                  error messages and remarks
 */
public record RunResult(String server, BenchOptions.Mode mode, int round, String driver, double seconds,
                        long replies, double requestsPerSecond, long p50Nanos, long p99Nanos, long p999Nanos,
                        long maxNanos, double cpuNanosPerRequest, double userNanosPerRequest,
                        double allocBytesPerRequest, double syscallsPerRequest, long errors, long timeouts, List<String> notes) {

    public RunResult {
        notes = List.copyOf(notes);
    }

    /** Whether every request of the window was answered correctly. */
    public boolean clean() {
        return errors == 0 && timeouts == 0;
    }

    /** The better of two runs of the same server: a clean one over one with errors, then the higher rate. */
    public static RunResult better(RunResult a, RunResult b) {
        if (a == null) {
            return b;
        }
        if (a.clean() != b.clean()) {
            return a.clean() ? a : b;
        }
        return b.requestsPerSecond > a.requestsPerSecond ? b : a;
    }
}
