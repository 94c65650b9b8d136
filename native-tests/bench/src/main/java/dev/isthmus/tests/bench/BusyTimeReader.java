package dev.isthmus.tests.bench;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;

/**
 * A polling server's cost per packet. A dpdk worker polls its rx queue without sleeping, so /proc shows
 * its core at 100 % whatever the load; what it spends on the packets is the time of the polls that found
 * work, which the worker counts itself (backend counter {@code busyNanos}) and reports, with the
 * datagrams it read ({@code reads}), in the periodic {@code isthmus.Worker} JFR event. This sums both
 * over the events recorded inside a window: busy time per datagram is their ratio, so a window that
 * cuts an event's period in two changes both sums alike.
 */
final class BusyTimeReader {
    static final String EVENT = "isthmus.Worker";
    static final String COUNTER = "busyNanos";

    private BusyTimeReader() {
    }

    /**
     * Busy nanoseconds and datagrams read over the window, summed over all workers.
     *
     * @param busyNanos the workers' busy time
     * @param reads     what they read (datagrams, for UDP)
     */
    record Busy(long busyNanos, long reads) {
        double nanosPerRead() {
            return reads == 0 ? Double.NaN : busyNanos / (double) reads;
        }
    }

    /** The sums over the {@value #EVENT} events that end inside [{@code from}, {@code to}]. */
    static Busy between(Path jfr, Instant from, Instant to) throws IOException {
        long busy = 0;
        long reads = 0;
        boolean counted = false;
        try (RecordingFile f = new RecordingFile(jfr)) {
            while (f.hasMoreEvents()) {
                RecordedEvent e = f.readEvent();
                if (!e.getEventType().getName().equals(EVENT) || e.getStartTime().isBefore(from)
                        || e.getStartTime().isAfter(to)) {
                    continue;
                }
                long b = counter(e.getString("backend"), COUNTER);
                if (b < 0) {
                    throw new IOException("the server's " + EVENT + " events carry no " + COUNTER
                            + " counter: the stack does not measure its busy time");
                }
                busy += b;
                reads += e.getLong("reads");
                counted = true;
            }
        }
        if (!counted) {
            throw new IOException("the JFR recording has no " + EVENT + " event inside the measured window");
        }
        return new Busy(busy, reads);
    }

    /** The value of {@code name} in the event's "name=delta, name=delta" list, or -1 if it is not there. */
    static long counter(String backend, String name) {
        if (backend == null) {
            return -1;
        }
        for (String pair : backend.split(", ")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.regionMatches(0, name, 0, name.length()) && eq == name.length()) {
                return Long.parseLong(pair.substring(eq + 1).trim());
            }
        }
        return -1;
    }
}
