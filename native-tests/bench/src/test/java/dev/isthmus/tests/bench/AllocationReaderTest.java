package dev.isthmus.tests.bench;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class AllocationReaderTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private static AllocationReader.Sample s(long thread, String name, long millis, long allocated) {
        return new AllocationReader.Sample(thread, name, T0.plusMillis(millis), allocated);
    }

    @Test
    void interpolatesEachThreadAtTheWindowEndsAndSkipsJfrThreads() throws IOException {
        List<AllocationReader.Sample> samples = List.of(
                s(1, "worker-0", 0, 1000), s(1, "worker-0", 1000, 2000), s(1, "worker-0", 2000, 4000),
                s(2, "main", 0, 500), s(2, "main", 2000, 500),
                s(3, "JFR Periodic Tasks", 0, 0), s(3, "JFR Periodic Tasks", 2000, 1_000_000));
        // Window 500 ms .. 1500 ms: worker-0 goes from 1500 to 3000 (linear between samples), main stays.
        AllocationReader.Allocation a = AllocationReader.allocatedBetween(samples, T0.plusMillis(500), T0.plusMillis(1500));
        assertEquals(1500, a.bytes());
        assertEquals("worker-0", a.topThread());
        assertEquals(1500, a.topBytes());
    }

    @Test
    void aWindowWithNoSampleInsideCannotBeMeasured() {
        List<AllocationReader.Sample> samples = List.of(s(1, "w", 0, 0), s(1, "w", 10_000, 100));
        IOException e = assertThrows(IOException.class,
                () -> AllocationReader.allocatedBetween(samples, T0.plusMillis(2000), T0.plusMillis(3000)));
        assertEquals("the JFR recording has no allocation sample inside the measured window", e.getMessage());
    }
}
