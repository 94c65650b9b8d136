package dev.isthmus.stack.buffer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InboundChainTest {
    private final Arena arena = Arena.ofConfined();
    private final BufferPool pool = new BufferPool(arena, 512, 64);

    @AfterEach
    void close() {
        arena.close();
    }

    private PooledBuffer filled(String s) {
        PooledBuffer b = pool.allocate();
        byte[] bytes = s.getBytes(StandardCharsets.US_ASCII);
        MemorySegment.copy(bytes, 0, b.segment(), ValueLayout.JAVA_BYTE, 0, bytes.length);
        b.advanceWrite(bytes.length);
        return b;
    }

    private InboundChain chainOf(String... parts) {
        InboundChain c = new InboundChain();
        for (String p : parts) {
            c.append(filled(p));
        }
        return c;
    }

    @Test
    void readsAcrossBufferBoundaries() {
        InboundChain c = chainOf("GET / HT", "TP/1.1\r", "\n\r\n");
        assertEquals(18, c.readableBytes());
        assertEquals('T', c.getByte(8));
        assertEquals(15, c.indexOf((byte) '\n', 0));
        assertEquals(17, c.indexOf((byte) '\n', 16));
        assertEquals(-1, c.indexOf((byte) 'Z', 0));
        byte[] all = new byte[18];
        c.copyTo(0, all, 0, 18);
        assertEquals("GET / HTTP/1.1\r\n\r\n", new String(all, StandardCharsets.US_ASCII));
        MemorySegment dst = arena.allocate(6);
        c.copyTo(6, dst, 0, 6);
        assertArrayEquals("HTTP/1".getBytes(StandardCharsets.US_ASCII), dst.toArray(ValueLayout.JAVA_BYTE));
    }

    @Test
    void skipReleasesConsumedBuffersOnly() {
        InboundChain c = chainOf("abc", "def", "ghi");
        assertEquals(3, pool.inUse());
        c.skip(4);
        assertEquals(2, pool.inUse());
        assertEquals('e', c.getByte(0));
        assertEquals(5, c.readableBytes());
        assertEquals('e', c.readByte());
        assertEquals('f', c.readByte());
        assertEquals(1, pool.inUse());
        c.skip(3);
        assertEquals(0, pool.inUse());
        assertEquals(0, c.readableBytes());
        assertEquals(0, c.firstChunk().byteSize());
    }

    @Test
    void firstChunkIsAReadOnlyViewOfTheHead() {
        InboundChain c = chainOf("hello", "world");
        c.skip(1);
        MemorySegment first = c.firstChunk();
        assertEquals(4, first.byteSize());
        assertTrue(first.isReadOnly());
        assertEquals('e', first.get(ValueLayout.JAVA_BYTE, 0));
        c.skip(2);
        assertEquals('e', first.get(ValueLayout.JAVA_BYTE, 0), "a view handed out does not move");
    }

    @Test
    void firstChunkIsTheSameObjectWhileTheHeadsBoundsStayAndANewOneWhenTheyMove() {
        InboundChain c = chainOf("hello", "world");
        MemorySegment a = c.firstChunk();
        assertSame(a, c.firstChunk(), "no new view per call at the same bounds");
        c.skip(2);
        MemorySegment b = c.firstChunk();
        assertNotSame(a, b);
        assertEquals(3, b.byteSize());
        assertEquals('l', b.get(ValueLayout.JAVA_BYTE, 0));
        assertEquals(5, a.byteSize(), "the earlier view keeps its bounds");
        c.skip(3);
        assertEquals('w', c.firstChunk().get(ValueLayout.JAVA_BYTE, 0));
        assertSame(c.firstChunk(), c.firstChunk());
    }

    @Test
    void boundsAreChecked() {
        InboundChain c = chainOf("abc");
        assertThrows(IndexOutOfBoundsException.class, () -> c.getByte(3));
        assertThrows(IndexOutOfBoundsException.class, () -> c.skip(4));
        assertThrows(IndexOutOfBoundsException.class, () -> c.copyTo(1, new byte[8], 0, 3));
        assertThrows(IndexOutOfBoundsException.class, () -> c.copyTo(0, new byte[2], 0, 3));
        assertEquals(3, c.readableBytes());
    }

    @Test
    void emptyBuffersAreReleasedAndReleaseAllFreesEverything() {
        InboundChain c = new InboundChain();
        c.append(pool.allocate());
        assertEquals(0, pool.inUse());
        c.append(filled("x"));
        c.append(filled("y"));
        c.releaseAll();
        assertEquals(0, pool.inUse());
        assertEquals(0, c.readableBytes());
    }
}
