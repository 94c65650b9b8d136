package dev.isthmus.stack.buffer;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BufferPoolTest {

    @Test
    void allocatesDistinctBuffersAndCountsThem() {
        try (Arena arena = Arena.ofConfined()) {
            BufferPool pool = new BufferPool(arena, 1024, 100);
            Set<Integer> ids = new HashSet<>();
            PooledBuffer[] bs = new PooledBuffer[10];
            for (int i = 0; i < bs.length; i++) {
                bs[i] = pool.allocate();
                assertEquals(1024, bs[i].capacity());
                assertEquals(1024, bs[i].byteBuffer().capacity());
                assertTrue(ids.add(bs[i].id()));
                assertSame(bs[i], pool.byId(bs[i].id()));
            }
            assertEquals(10, pool.inUse());
            for (PooledBuffer b : bs) {
                b.release();
            }
            assertEquals(0, pool.inUse());
        }
    }

    @Test
    void reusesTheMostRecentlyReleasedBufferAndResetsIndices() {
        try (Arena arena = Arena.ofConfined()) {
            BufferPool pool = new BufferPool(arena, 512, 10);
            PooledBuffer a = pool.allocate();
            PooledBuffer b = pool.allocate();
            a.setIndex(3, 7);
            a.release();
            PooledBuffer c = pool.allocate();
            assertSame(a, c);
            assertEquals(0, c.readIndex());
            assertEquals(0, c.writeIndex());
            assertNotSame(b, c);
        }
    }

    @Test
    void doubleReleaseThrows() {
        try (Arena arena = Arena.ofConfined()) {
            BufferPool pool = new BufferPool(arena, 512, 10);
            PooledBuffer a = pool.allocate();
            a.release();
            IllegalStateException e = assertThrows(IllegalStateException.class, a::release);
            assertTrue(e.getMessage().contains("twice"), e.getMessage());
            assertEquals(0, pool.inUse());
        }
    }

    @Test
    void growsBySlabsUpToTheLimit() {
        try (Arena arena = Arena.ofConfined()) {
            // 1 MiB slabs of 512 KiB buffers: two buffers per slab.
            BufferPool pool = new BufferPool(arena, 512 * 1024, 3);
            pool.allocate();
            assertEquals(2, pool.created());
            pool.allocate();
            pool.allocate();
            assertEquals(3, pool.created());
            IllegalStateException e = assertThrows(IllegalStateException.class, pool::allocate);
            assertTrue(e.getMessage().contains("exhausted"), e.getMessage());
        }
    }

    @Test
    void rejectsForeignBuffers() {
        try (Arena arena = Arena.ofConfined()) {
            BufferPool p1 = new BufferPool(arena, 512, 4);
            BufferPool p2 = new BufferPool(arena, 512, 4);
            PooledBuffer b = p1.allocate();
            assertThrows(IllegalArgumentException.class, () -> p2.release(b));
        }
    }

    @Test
    void rejectsBadIndices() {
        try (Arena arena = Arena.ofConfined()) {
            PooledBuffer b = new BufferPool(arena, 512, 4).allocate();
            assertThrows(IndexOutOfBoundsException.class, () -> b.setIndex(5, 4));
            assertThrows(IndexOutOfBoundsException.class, () -> b.setIndex(0, 513));
        }
    }
}
