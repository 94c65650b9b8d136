package dev.isthmus.stack.buffer;

import dev.isthmus.stack.Inbound;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Objects;

/**
 * The read side of a connection: received buffers linked head to tail and read as one stream, after
 * Netpoll's LinkBuffer. The backend {@link #append appends} each filled buffer; the application reads
 * and {@link #skip skips}; a buffer goes back to its pool as soon as all its bytes are consumed.
 * Single-threaded (the connection's worker).
 */
public final class InboundChain implements Inbound {
    private static final MemorySegment EMPTY = MemorySegment.ofArray(new byte[0]).asReadOnly();
    private PooledBuffer head;
    private PooledBuffer tail;
    private long readable;

    /** Adds a buffer holding received bytes {@code [readIndex, writeIndex)}; an empty one is released at once. */
    public void append(PooledBuffer b) {
        if (b.readableBytes() == 0) {
            b.release();
            return;
        }
        b.next = null;
        if (tail == null) {
            head = b;
        } else {
            tail.next = b;
        }
        tail = b;
        readable += b.readableBytes();
    }

    /** Releases every buffer, consumed or not. */
    public void releaseAll() {
        PooledBuffer b = head;
        head = tail = null;
        readable = 0;
        while (b != null) {
            PooledBuffer n = b.next;
            b.next = null;
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
        PooledBuffer b = head;
        long i = index;
        while (i >= b.readableBytes()) {
            i -= b.readableBytes();
            b = b.next;
        }
        return b.segment().get(ValueLayout.JAVA_BYTE, b.readIndex + i);
    }

    @Override
    public long indexOf(byte value, long from) {
        if (from < 0) {
            throw new IndexOutOfBoundsException("from must be >= 0, was " + from);
        }
        long base = 0;
        for (PooledBuffer b = head; b != null; b = b.next) {
            int len = b.readableBytes();
            if (from < base + len) {
                MemorySegment s = b.segment();
                for (long i = b.readIndex + Math.max(0, from - base), end = b.writeIndex; i < end; i++) {
                    if (s.get(ValueLayout.JAVA_BYTE, i) == value) {
                        return base + (i - b.readIndex);
                    }
                }
            }
            base += len;
        }
        return -1;
    }

    @Override
    public MemorySegment firstChunk() {
        if (head == null) {
            return EMPTY;
        }
        return head.readOnlySegment().asSlice(head.readIndex, head.readableBytes());
    }

    @Override
    public void copyTo(long index, MemorySegment dst, long dstOffset, long length) {
        Objects.requireNonNull(dst, "dst");
        checkRange(index, length);
        PooledBuffer b = head;
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
            b = b.next;
        }
    }

    @Override
    public void copyTo(long index, byte[] dst, int dstOffset, int length) {
        Objects.checkFromIndexSize(dstOffset, length, dst.length);
        checkRange(index, length);
        PooledBuffer b = head;
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
            b = b.next;
        }
    }

    @Override
    public void skip(long n) {
        checkRange(0, n);
        readable -= n;
        while (n > 0) {
            PooledBuffer b = head;
            int len = b.readableBytes();
            if (n < len) {
                b.readIndex += (int) n;
                return;
            }
            n -= len;
            head = b.next;
            if (head == null) {
                tail = null;
            }
            b.next = null;
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
