package dev.isthmus.stack.buffer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class OutboundChainTest {
    private final Arena arena = Arena.ofConfined();
    private final BufferPool pool = new BufferPool(arena, 512, 64);
    private final OutboundChain out = new OutboundChain(pool);

    @AfterEach
    void close() {
        arena.close();
    }

    private static byte[] pattern(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 31 + seed);
        }
        return b;
    }

    /** What gather hands out, concatenated. */
    private byte[] gathered() {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        out.gather((i, buf, seg, off, len) -> bos.writeBytes(seg.asSlice(off, len).toArray(ValueLayout.JAVA_BYTE)), 1024);
        return bos.toByteArray();
    }

    @Test
    void writesSpanBuffersAndGatherInOrder() {
        byte[] a = pattern(700, 1);
        byte[] b = pattern(100, 2);
        out.write(a, 0, a.length);
        out.write(MemorySegment.ofArray(b));
        ByteBuffer direct = ByteBuffer.allocateDirect(600).put(pattern(600, 3)).flip();
        out.write(direct);
        assertEquals(0, direct.remaining());
        assertEquals(1400, out.pendingBytes());
        assertEquals(3, pool.inUse());
        ByteBuffer expected = ByteBuffer.allocate(1400).put(a).put(b).put(pattern(600, 3));
        assertArrayEquals(expected.array(), gathered());
    }

    @Test
    void partialConsumeKeepsTheRest() {
        byte[] a = pattern(1300, 7);
        out.write(ByteBuffer.wrap(a));
        out.consumed(600);
        assertEquals(700, out.pendingBytes());
        assertEquals(2, pool.inUse(), "the first buffer is sent and released");
        byte[] rest = new byte[700];
        System.arraycopy(a, 600, rest, 0, 700);
        assertArrayEquals(rest, gathered());
        out.consumed(700);
        assertEquals(0, out.pendingBytes());
        assertEquals(0, pool.inUse());
        assertThrows(IllegalArgumentException.class, () -> out.consumed(1));
    }

    @Test
    void gatherIntoByteBuffersSetsPositionAndLimit() {
        out.write(pattern(1000, 5), 0, 1000);
        out.consumed(10);
        ByteBuffer[] iov = new ByteBuffer[8];
        int n = out.gather(iov);
        assertEquals(2, n);
        assertEquals(10, iov[0].position());
        assertEquals(512, iov[0].limit());
        assertEquals(0, iov[1].position());
        assertEquals(488, iov[1].limit());
        ByteBuffer[] one = new ByteBuffer[1];
        assertEquals(1, out.gather(one));
    }

    @Test
    void gatherRespectsMaxPieces() {
        out.write(pattern(2000, 1), 0, 2000);
        List<Integer> lengths = new ArrayList<>();
        assertEquals(2, out.gather((i, buf, seg, off, len) -> lengths.add(len), 2));
        assertEquals(List.of(512, 512), lengths);
    }

    @Test
    void reserveAndCommit() {
        out.write(pattern(500, 1), 0, 500);
        MemorySegment r = out.reserve(100);
        assertEquals(100, r.byteSize());
        assertEquals(2, pool.inUse(), "12 bytes left in the tail are too few: a new buffer");
        r.fill((byte) 9);
        out.commit(40);
        assertEquals(540, out.pendingBytes());
        byte[] g = gathered();
        assertEquals(540, g.length);
        assertEquals(9, g[539]);
        assertThrows(IllegalStateException.class, () -> out.commit(1), "commit without reserve");
        out.reserve(10);
        assertThrows(IllegalArgumentException.class, () -> out.commit(11));
        assertThrows(IllegalArgumentException.class, () -> out.reserve(513));
    }

    @Test
    void commitZeroLeavesNoEmptyPiece() {
        out.reserve(512);
        out.commit(0);
        assertEquals(0, out.pendingBytes());
        assertEquals(0, out.gather(new ByteBuffer[4]));
        out.write(new byte[]{1, 2, 3}, 0, 3);
        assertEquals(1, out.gather(new ByteBuffer[4]));
        out.consumed(3);
        assertEquals(0, pool.inUse());
    }

    @Test
    void discardReturnsDroppedBytesAndReleases() {
        out.write(pattern(1500, 1), 0, 1500);
        out.consumed(100);
        assertEquals(1400, out.discard());
        assertEquals(0, pool.inUse());
        assertEquals(0, out.pendingBytes());
        assertEquals(0, out.discard());
    }

    private static byte[] slice(byte[] a, int from, int to) {
        return java.util.Arrays.copyOfRange(a, from, to);
    }

    private byte[] gatheredByteBuffers() {
        ByteBuffer[] views = new ByteBuffer[16];
        int n = out.gather(views);
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        for (int i = 0; i < n; i++) {
            byte[] b = new byte[views[i].remaining()];
            views[i].duplicate().get(b);
            bos.writeBytes(b);
        }
        return bos.toByteArray();
    }

    @Test
    void sentBytesStayUntilAcknowledgedAndGatherStartsAtTheSentCursor() {
        byte[] a = pattern(1300, 5); // three 512-byte buffers: 512 + 512 + 276
        out.write(a, 0, a.length);
        out.sent(600);
        assertEquals(1300, out.pendingBytes(), "sent is not released");
        assertEquals(600, out.unacknowledgedBytes());
        assertEquals(700, out.unsentBytes());
        assertArrayEquals(slice(a, 600, 1300), gathered(), "gather starts after what was sent");
        assertArrayEquals(slice(a, 600, 1300), gatheredByteBuffers());
        assertEquals(3, pool.inUse());
        out.acknowledged(512);
        assertEquals(2, pool.inUse(), "the first buffer, all acknowledged, went back");
        assertEquals(788, out.pendingBytes());
        assertArrayEquals(slice(a, 600, 1300), gathered());
        // Sent up to the very end of the second buffer, then more written after.
        out.sent(424);
        assertArrayEquals(slice(a, 1024, 1300), gathered());
        byte[] b = pattern(400, 9);
        out.write(b, 0, b.length);
        out.sent(276);
        assertArrayEquals(b, gathered(), "the cursor crosses into buffers appended later");
        assertEquals(0, gathered().length - b.length);
        assertThrows(IllegalArgumentException.class, () -> out.sent(401));
        assertThrows(IllegalArgumentException.class, () -> out.acknowledged(1300 - 512 + 1));
        assertThrows(IllegalStateException.class, () -> out.consumed(1), "consumed mixes with sent/acknowledged");
        out.acknowledged(1300 - 512);
        assertEquals(0, out.unacknowledgedBytes());
        assertEquals(400, out.pendingBytes());
        out.consumed(400);
        assertEquals(0, pool.inUse());
    }

    @Test
    void rewindResendsFromTheFirstUnacknowledgedByteWithoutACopy() {
        byte[] a = pattern(1000, 3);
        out.write(a, 0, a.length);
        List<Long> firstAddresses = new ArrayList<>();
        out.gather((i, buf, seg, off, len) -> firstAddresses.add(seg.address() + off), 8);
        out.sent(700);
        out.acknowledged(100);
        assertEquals(600, out.rewindToAcknowledged());
        assertEquals(0, out.unacknowledgedBytes());
        assertEquals(900, out.unsentBytes());
        assertArrayEquals(slice(a, 100, 1000), gathered(), "everything not acknowledged goes again");
        List<Long> again = new ArrayList<>();
        out.gather((i, buf, seg, off, len) -> again.add(seg.address() + off), 8);
        assertEquals(firstAddresses.getFirst() + 100, again.getFirst(), "from the same memory");
        out.sent(900);
        out.acknowledged(900);
        assertEquals(0, out.pendingBytes());
        assertEquals(0, pool.inUse());
    }

    @Test
    void discardForgetsTheSentCursor() {
        byte[] a = pattern(800, 4);
        out.write(a, 0, a.length);
        out.sent(300);
        assertEquals(800, out.discard());
        assertEquals(0, out.unacknowledgedBytes());
        assertEquals(0, pool.inUse());
        out.write(a, 0, 10);
        assertArrayEquals(slice(a, 0, 10), gathered());
    }
}
