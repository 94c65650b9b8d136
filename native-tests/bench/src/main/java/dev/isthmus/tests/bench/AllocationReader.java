package dev.isthmus.tests.bench;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Bytes a server allocated on the Java heap during the measured window, from the
 * {@code jdk.ThreadAllocationStatistics} events of its JFR recording: each event is one thread's running
 * total of allocated bytes at one instant. Each thread's total is interpolated linearly at the window's
 * start and end, and the differences are summed over the threads, except JFR's own.
 */
public final class AllocationReader {

    /** How often the servers sample their threads' allocation totals. */
    static final String PERIOD = "100 ms";

    private AllocationReader() {
    }

    /**
     * The JFR settings the servers run with: the allocation totals and the workers' periodic event (a polling
     * stack's busy time, {@link BusyTimeReader}), every {@link #PERIOD}.
     */
    public static Path writeSettings(Path dir) throws IOException {
        Path p = dir.resolve("allocation.jfc");
        Files.writeString(p, """
                <?xml version="1.0" encoding="UTF-8"?>
                <configuration version="2.0" label="isthmus-bench" description="per-thread allocated bytes and the isthmus workers' counters">
                  <event name="jdk.ThreadAllocationStatistics">
                    <setting name="enabled">true</setting>
                    <setting name="period">%s</setting>
                  </event>
                  <event name="isthmus.Worker">
                    <setting name="enabled">true</setting>
                    <setting name="period">%s</setting>
                  </event>
                </configuration>
                """.formatted(PERIOD, PERIOD), StandardCharsets.UTF_8);
        return p;
    }

    /** One thread's running total at one instant. */
    record Sample(long thread, String threadName, Instant time, long allocated) {
    }

    /**
     * What a window allocated: the total, and the thread that allocated most, by its name.
     *
     * @param bytes     bytes allocated by all threads (JFR's excepted)
     * @param topThread the name of the thread that allocated most, or "" when none allocated
     * @param topBytes  what it allocated
     */
    public record Allocation(long bytes, String topThread, long topBytes) {
    }

    /** Bytes allocated from {@code from} to {@code to} in the recording {@code jfr}. */
    public static Allocation allocatedBetween(Path jfr, Instant from, Instant to) throws IOException {
        List<Sample> samples = new ArrayList<>();
        try (RecordingFile f = new RecordingFile(jfr)) {
            while (f.hasMoreEvents()) {
                RecordedEvent e = f.readEvent();
                if (!e.getEventType().getName().equals("jdk.ThreadAllocationStatistics")) {
                    continue;
                }
                RecordedThread t = e.getThread("thread");
                long id = t == null ? -1 : t.getId();
                String name = t == null ? "" : t.getJavaName();
                samples.add(new Sample(id, name == null ? "" : name, e.getStartTime(), e.getLong("allocated")));
            }
        }
        return allocatedBetween(samples, from, to);
    }

    /**
     * The sum over threads of (total at {@code to}) - (total at {@code from}).
     *
     * @throws IOException if no sample falls inside the window: the recording cannot tell
     */
    static Allocation allocatedBetween(List<Sample> samples, Instant from, Instant to) throws IOException {
        Map<Long, List<Sample>> byThread = new HashMap<>();
        boolean inside = false;
        for (Sample s : samples) {
            if (s.threadName().startsWith("JFR ")) {
                continue; // the recorder's own threads are not the server's
            }
            byThread.computeIfAbsent(s.thread(), k -> new ArrayList<>()).add(s);
            inside |= !s.time().isBefore(from) && !s.time().isAfter(to);
        }
        if (!inside) {
            throw new IOException("the JFR recording has no allocation sample inside the measured window");
        }
        long sum = 0;
        String top = "";
        long topBytes = 0;
        for (List<Sample> list : byThread.values()) {
            list.sort((a, b) -> a.time().compareTo(b.time()));
            long bytes = (long) Math.max(0, at(list, to) - at(list, from));
            sum += bytes;
            if (bytes > topBytes) {
                topBytes = bytes;
                top = list.getFirst().threadName();
            }
        }
        return new Allocation(sum, top, topBytes);
    }

    /** The thread's total at {@code t}: interpolated between samples, held flat outside them. */
    private static double at(List<Sample> list, Instant t) {
        Sample prev = null;
        for (Sample s : list) {
            if (!s.time().isBefore(t)) {
                if (prev == null) {
                    return s.allocated();
                }
                double span = nanos(prev.time(), s.time());
                double part = span == 0 ? 1 : nanos(prev.time(), t) / span;
                return prev.allocated() + part * (s.allocated() - prev.allocated());
            }
            prev = s;
        }
        return prev == null ? 0 : prev.allocated();
    }

    private static double nanos(Instant a, Instant b) {
        return (b.getEpochSecond() - a.getEpochSecond()) * 1e9 + (b.getNano() - a.getNano());
    }
}
