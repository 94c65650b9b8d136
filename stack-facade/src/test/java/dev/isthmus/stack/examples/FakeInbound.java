package dev.isthmus.stack.examples;

import dev.isthmus.stack.Inbound;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

/**
 * An {@link Inbound} over a byte array, for tests: {@link #append} plays the bytes the kernel delivered,
 * the handler consumes from the front. Reading and skipping allocate nothing.
 */
final class FakeInbound implements Inbound {
    private byte[] buf = new byte[64];
    private int start;
    private int end;

    FakeInbound append(byte[] src, int off, int len) {
        if (end + len > buf.length) {
            int live = end - start;
            byte[] nb = live + len > buf.length ? new byte[Math.max(buf.length * 2, live + len)] : buf;
            System.arraycopy(buf, start, nb, 0, live);
            buf = nb;
            start = 0;
            end = live;
        }
        System.arraycopy(src, off, buf, end, len);
        end += len;
        return this;
    }

    FakeInbound append(byte[] src) {
        return append(src, 0, src.length);
    }

    /** Forgets everything, keeping the array. */
    void clear() {
        start = 0;
        end = 0;
    }

    @Override
    public long readableBytes() {
        return end - start;
    }

    @Override
    public byte getByte(long index) {
        check(index, 1);
        return buf[start + (int) index];
    }

    @Override
    public long indexOf(byte value, long from) {
        if (from < 0) {
            throw new IndexOutOfBoundsException("from " + from);
        }
        for (long i = from; i < end - start; i++) {
            if (buf[start + (int) i] == value) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public MemorySegment firstChunk() {
        return MemorySegment.ofArray(Arrays.copyOfRange(buf, start, end)).asReadOnly();
    }

    @Override
    public void copyTo(long index, MemorySegment dst, long dstOffset, long length) {
        check(index, length);
        MemorySegment.copy(buf, start + (int) index, dst, ValueLayout.JAVA_BYTE, dstOffset, (int) length);
    }

    @Override
    public void copyTo(long index, byte[] dst, int dstOffset, int length) {
        check(index, length);
        System.arraycopy(buf, start + (int) index, dst, dstOffset, length);
    }

    @Override
    public void skip(long n) {
        check(0, n);
        start += (int) n;
    }

    private void check(long index, long length) {
        if (index < 0 || length < 0 || index + length > end - start) {
            throw new IndexOutOfBoundsException("index " + index + " length " + length + " readable " + (end - start));
        }
    }
}
