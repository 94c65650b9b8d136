package dev.isthmus.tests.bench;

import jdk.jfr.Event;
import jdk.jfr.Name;
import jdk.jfr.Recording;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BusyTimeReaderTest {

    /** The fields of the stacks' worker event that the reader uses, under its name. */
    @Name(BusyTimeReader.EVENT)
    static final class WorkerEventShape extends Event {
        long reads;
        String backend;
    }

    private static void emit(long reads, String backend) {
        WorkerEventShape e = new WorkerEventShape();
        e.reads = reads;
        e.backend = backend;
        e.commit();
    }

    @Test
    void readsOneCounterOutOfTheBackendList() {
        String backend = "rxFrames=10, busyNanosX=7, busyNanos=1234, drop.TX_QUEUE_FULL=0";
        assertEquals(1234, BusyTimeReader.counter(backend, "busyNanos"));
        assertEquals(10, BusyTimeReader.counter(backend, "rxFrames"));
        assertEquals(-1, BusyTimeReader.counter(backend, "busy"));
        assertEquals(-1, BusyTimeReader.counter("", "busyNanos"));
        assertEquals(-1, BusyTimeReader.counter(null, "busyNanos"));
    }

    @Test
    void sumsBusyTimeAndReadsOfTheEventsInsideTheWindow(@TempDir Path dir) throws Exception {
        Path jfr = dir.resolve("w.jfr");
        Instant before;
        Instant from;
        Instant to;
        try (Recording r = new Recording()) {
            r.enable(BusyTimeReader.EVENT);
            r.start();
            emit(1_000, "busyNanos=999999, rxFrames=1000"); // before the window
            before = Instant.now();
            Thread.sleep(20);
            from = Instant.now();
            emit(400, "rxFrames=400, busyNanos=200000");
            emit(600, "rxFrames=600, busyNanos=400000");
            to = Instant.now();
            Thread.sleep(20);
            emit(5, "busyNanos=5");
            r.stop();
            r.dump(jfr);
        }
        BusyTimeReader.Busy b = BusyTimeReader.between(jfr, from, to);
        assertEquals(600_000, b.busyNanos());
        assertEquals(1_000, b.reads());
        assertEquals(600.0, b.nanosPerRead(), 1e-9);
        assertTrue(BusyTimeReader.between(jfr, before.minusSeconds(10), to).busyNanos() > 600_000);
    }

    @Test
    void aStackWithoutTheCounterOrAWindowWithoutEventsIsAnError(@TempDir Path dir) throws Exception {
        Path jfr = dir.resolve("k.jfr");
        Instant t;
        try (Recording r = new Recording()) {
            r.enable(BusyTimeReader.EVENT);
            r.start();
            emit(10, "rxFrames=10"); // a kernel stack reports no busy time
            t = Instant.now();
            r.stop();
            r.dump(jfr);
        }
        IOException none = assertThrows(IOException.class, () -> BusyTimeReader.between(jfr, t.minusSeconds(60), t));
        assertTrue(none.getMessage().contains("does not measure its busy time"), none.getMessage());
        IOException empty = assertThrows(IOException.class,
                () -> BusyTimeReader.between(jfr, t.plusSeconds(60), t.plusSeconds(120)));
        assertTrue(empty.getMessage().contains("no isthmus.Worker event"), empty.getMessage());
    }
}
