package dev.isthmus.dpdk.port;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The hand-over ring: bounded, in order, every entry once, across two threads. */
@Timeout(60)
class MbufRingTest {
    @Test
    void fullEmptyAndOrder() {
        MbufRing r = new MbufRing(4);
        for (long i = 1; i <= 4; i++) {
            assertTrue(r.offer(i * 64));
        }
        assertFalse(r.offer(5 * 64), "full");
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(ValueLayout.JAVA_LONG, 8);
            assertEquals(3, r.drain(out, 3));
            assertEquals(64, out.getAtIndex(ValueLayout.JAVA_LONG, 0));
            assertEquals(192, out.getAtIndex(ValueLayout.JAVA_LONG, 2));
            assertTrue(r.offer(5 * 64));
            assertEquals(2, r.drain(out, 8));
            assertEquals(256, out.getAtIndex(ValueLayout.JAVA_LONG, 0));
            assertEquals(320, out.getAtIndex(ValueLayout.JAVA_LONG, 1));
            assertEquals(0, r.drain(out, 8));
        }
        assertThrows(IllegalArgumentException.class, () -> new MbufRing(6));
    }

    @Test
    void oneProducerOneConsumerSeeEveryEntryInOrder() throws Exception {
        MbufRing r = new MbufRing(64);
        long n = 2_000_000;
        Thread producer = new Thread(() -> {
            for (long i = 1; i <= n; i++) {
                while (!r.offer(i)) {
                    Thread.onSpinWait();
                }
            }
        });
        producer.start();
        long expect = 1;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(ValueLayout.JAVA_LONG, 32);
            while (expect <= n) {
                int k = r.drain(out, 32);
                for (int i = 0; i < k; i++) {
                    assertEquals(expect++, out.getAtIndex(ValueLayout.JAVA_LONG, i));
                }
            }
        }
        producer.join();
        assertEquals(0, r.size());
    }
}
