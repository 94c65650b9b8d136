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

    /**
     * indexOf looks eight bytes at a time: the match at every position of a word and of the tail, after
     * every start offset, among neighbours that trip a careless bit trick (the value with its high bit
     * set, the value plus one just above a match, where the borrow of the zero-byte test lands), for a
     * value with the high bit set and for zero too; always the first match, always what a byte loop finds.
     */
    @Test
    void indexOfFindsTheFirstMatchWordByWordAsAByteLoopWould() {
        for (byte value : new byte[] {'\n', 0, (byte) 0xff, (byte) 0x80}) {
            byte[] fillers = {(byte) (value ^ 0x80), (byte) (value + 1), (byte) (value - 1), 'a', (byte) 0xff, 0};
            for (int len = 0; len <= 40; len++) {
                for (int readIndex = 0; readIndex <= 9; readIndex++) {
                    for (int match = -1; match < len; match++) {
                        byte[] bytes = new byte[readIndex + len];
                        for (int i = 0; i < bytes.length; i++) {
                            byte f = fillers[(i * 7 + len) % fillers.length];
                            bytes[i] = f == value ? (byte) (value + 2) : f;
                        }
                        if (match >= 0) {
                            bytes[readIndex + match] = value;
                            if (match + 1 < len) {
                                bytes[readIndex + match + 1] = value; // a second match right after the first
                            }
                        }
                        PooledBuffer b = pool.allocate();
                        MemorySegment.copy(bytes, 0, b.segment(), ValueLayout.JAVA_BYTE, 0, bytes.length);
                        b.setIndex(readIndex, bytes.length);
                        InboundChain c = new InboundChain();
                        c.append(b);
                        for (int from = 0; from <= len; from++) {
                            long expected = -1;
                            for (int i = from; i < len; i++) {
                                if (bytes[readIndex + i] == value) {
                                    expected = i;
                                    break;
                                }
                            }
                            assertEquals(expected, c.indexOf(value, from),
                                    "value " + value + ", length " + len + ", readIndex " + readIndex + ", from " + from);
                        }
                        c.releaseAll();
                    }
                }
            }
        }
        assertEquals(0, pool.inUse());
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
