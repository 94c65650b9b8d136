package dev.isthmus.stack.spi;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class BackendCountersTest {

    @Test
    void countersAreIndexesRegisteredBeforeTheWorkerRuns() throws Exception {
        BackendCounters c = new BackendCounters();
        int rx = c.register("rxBursts");
        int rt = c.register("retransmits");
        assertEquals(Map.of(), c.snapshot(), "nothing to read before the worker started");
        assertThrows(IllegalArgumentException.class, () -> c.register("rxBursts"));
        c.seal();
        assertThrows(IllegalStateException.class, () -> c.register("late"));
        c.add(rx, 3);
        c.add(rt, 1);
        c.add(rx, 2);
        Map<String, Long>[] seen = new Map[1];
        Thread reader = new Thread(() -> seen[0] = c.snapshot());
        reader.start();
        reader.join();
        assertEquals(List.of("rxBursts", "retransmits"), List.copyOf(seen[0].keySet()), "registration order");
        assertEquals(5L, seen[0].get("rxBursts"));
        assertEquals(1L, seen[0].get("retransmits"));
        assertThrows(UnsupportedOperationException.class, () -> seen[0].put("x", 1L));
    }
}
