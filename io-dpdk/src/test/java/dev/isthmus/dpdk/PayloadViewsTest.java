package dev.isthmus.dpdk;

import dev.isthmus.dpdk.port.Mbufs;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

/** Views are exact (address, length) and made once per pair; payloads outside the mbufs are sliced. */
class PayloadViewsTest {
    @Test
    void oneViewPerAddressAndLength() {
        PayloadViews v = new PayloadViews(2047);
        long base = 0x7f00_0000_0000L + 170; // a payload's offset in an mbuf data room
        long stride = 2368; // sizeof(mbuf) + headroom + data room, as in a pool
        MemorySegment[] first = new MemorySegment[2047];
        for (int i = 0; i < 2047; i++) {
            first[i] = v.view(Mbufs.ALL, base + i * stride, 64);
            assertEquals(base + i * stride, first[i].address());
            assertEquals(64, first[i].byteSize());
        }
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < 2047; i++) {
                assertSame(first[i], v.view(Mbufs.ALL, base + i * stride, 64), "mbuf " + i);
            }
        }
        assertEquals(2047, v.made(), "one view per mbuf");
        MemorySegment other = v.view(Mbufs.ALL, base, 65);
        assertEquals(65, other.byteSize());
        assertNotSame(first[0], other);
        MemorySegment heap = MemorySegment.ofArray(new byte[100]);
        MemorySegment slice = v.view(heap, 10, 20);
        assertEquals(20, slice.byteSize());
        assertEquals(10, slice.address());
    }
}
