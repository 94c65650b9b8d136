package dev.isthmus.stack.buffer;

import dev.isthmus.stack.Inbound;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * The read side of a connection: received chunks linked head to tail and read as one stream, after
 * Netpoll's LinkBuffer. The backend {@link #append appends} each chunk (a pool buffer, an mbuf); the
 * application reads and {@link #skip skips}; a chunk is {@link InboundChunk#release() released} to its
 * owner as soon as all its bytes are consumed, or by {@link #releaseAll()}.
 * Single-threaded (the connection's worker).
 */
public final class InboundChain implements Inbound {
    private static final MemorySegment EMPTY = MemorySegment.ofArray(new byte[0]).asReadOnly();
    private InboundChunk head;
    private InboundChunk tail;

    /** An empty chain. */
    public InboundChain() {
    }
    private long readable;

    /** Adds a chunk holding received bytes {@code [readIndex, writeIndex)}; an empty one is released at once. */
    public void append(InboundChunk b) {
        if (b.readableBytes() == 0) {
            b.release();
            return;
        }
        b.nextChunk = null;
        if (tail == null) {
            head = b;
        } else {
            tail.nextChunk = b;
        }
        tail = b;
        readable += b.readableBytes();
    }

    /** Releases every buffer, consumed or not. */
    public void releaseAll() {
        InboundChunk b = head;
        head = tail = null;
        readable = 0;
        while (b != null) {
            InboundChunk n = b.nextChunk;
            b.nextChunk = null;
            b.release();
            b = n;
        }
    }

    @Override
    public long readableBytes() {
        return readable;
    }

    @Override
    public byte getByte(long index) {
        checkRange(index, 1);
        InboundChunk b = head;
        long i = index;
        while (i >= b.readableBytes()) {
            i -= b.readableBytes();
            b = b.nextChunk;
        }
        return b.segment().get(ValueLayout.JAVA_BYTE, b.readIndex + i);
    }

    @Override
    public long indexOf(byte value, long from) {
        if (from < 0) {
            throw new IndexOutOfBoundsException("from must be >= 0, was " + from);
        }
        long base = 0;
        for (InboundChunk b = head; b != null; b = b.nextChunk) {
            int len = b.readableBytes();
            if (from < base + len) {
                long at = indexIn(b.segment(), b.readIndex + Math.max(0, from - base), b.writeIndex, value);
                if (at >= 0) {
                    return base + (at - b.readIndex);
                }
            }
            base += len;
        }
        return -1;
    }

    private static final ValueLayout.OfLong WORD = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;

    /**
     * The offset of the first {@code value} in {@code s[from, end)}, or -1: eight bytes per step (a request's
     * line ends are what a server looks for most). XOR with {@code value} in every byte turns a match into a
     * zero byte, and {@code (x - 0x01..01) & ~x & 0x80..80} sets the high bit of every zero byte; it may set
     * it in a byte above a zero byte too (the borrow), never below one, so in little-endian order the lowest
     * set bit is the first match (the "haszero" bit trick, Hacker's Delight §6-1).
     */
    static long indexIn(MemorySegment s, long from, long end, byte value) {
        long pattern = (value & 0xffL) * ONES;
        long i = from;
        for (; i <= end - Long.BYTES; i += Long.BYTES) {
            long x = s.get(WORD, i) ^ pattern;
            long found = (x - ONES) & ~x & HIGHS;
            if (found != 0) {
                return i + (Long.numberOfTrailingZeros(found) >>> 3);
            }
        }
        for (; i < end; i++) {
            if (s.get(ValueLayout.JAVA_BYTE, i) == value) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public MemorySegment firstChunk() {
        if (head == null) {
            return EMPTY;
        }
        return head.readableView();
    }

    @Override
    public void copyTo(long index, MemorySegment dst, long dstOffset, long length) {
        Objects.requireNonNull(dst, "dst");
        checkRange(index, length);
        InboundChunk b = head;
        long i = index;
        while (length > 0) {
            int len = b.readableBytes();
            if (i >= len) {
                i -= len;
            } else {
                long n = Math.min(len - i, length);
                MemorySegment.copy(b.segment(), b.readIndex + i, dst, dstOffset, n);
                dstOffset += n;
                length -= n;
                i = 0;
            }
            b = b.nextChunk;
        }
    }

    @Override
    public void copyTo(long index, byte[] dst, int dstOffset, int length) {
        Objects.checkFromIndexSize(dstOffset, length, dst.length);
        checkRange(index, length);
        InboundChunk b = head;
        long i = index;
        while (length > 0) {
            int len = b.readableBytes();
            if (i >= len) {
                i -= len;
            } else {
                int n = (int) Math.min(len - i, length);
                MemorySegment.copy(b.segment(), ValueLayout.JAVA_BYTE, b.readIndex + i, dst, dstOffset, n);
                dstOffset += n;
                length -= n;
                i = 0;
            }
            b = b.nextChunk;
        }
    }

    @Override
    public void skip(long n) {
        checkRange(0, n);
        readable -= n;
        while (n > 0) {
            InboundChunk b = head;
            int len = b.readableBytes();
            if (n < len) {
                b.readIndex += (int) n;
                return;
            }
            n -= len;
            head = b.nextChunk;
            if (head == null) {
                tail = null;
            }
            b.nextChunk = null;
            b.release();
        }
    }

    private void checkRange(long index, long length) {
        if (index < 0 || length < 0 || index + length > readable) {
            throw new IndexOutOfBoundsException("bytes [" + index + ", " + (index + length) + ") asked for, "
                    + readable + " readable");
        }
    }
}
