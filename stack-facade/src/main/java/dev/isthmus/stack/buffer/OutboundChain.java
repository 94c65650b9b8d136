package dev.isthmus.stack.buffer;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * The write side of a connection: bytes accepted by {@code write} are copied into pooled buffers
 * linked head to tail. The backend {@link #gather gathers} the pending pieces for one writev / one SQE
 * chain and reports what the kernel took with {@link #consumed(long)}; buffers go back to the pool as
 * soon as they are sent. Single-threaded (the connection's worker).
 */
public final class OutboundChain {
    private final BufferPool pool;
    private PooledBuffer head;
    private PooledBuffer tail;
    private long pending;
    /** Size handed out by the last {@link #reserve}, or -1 when no reservation is open. */
    private int reserved = -1;

    public OutboundChain(BufferPool pool) {
        this.pool = Objects.requireNonNull(pool, "pool");
    }

    /** Bytes written and not yet {@link #consumed}. */
    public long pendingBytes() {
        return pending;
    }

    /** Copies all of {@code src}. */
    public void write(MemorySegment src) {
        Objects.requireNonNull(src, "src");
        reserved = -1;
        long off = 0;
        long left = src.byteSize();
        while (left > 0) {
            PooledBuffer t = tailWithSpace(1);
            int n = (int) Math.min(left, t.writableBytes());
            MemorySegment.copy(src, off, t.segment(), t.writeIndex, n);
            t.writeIndex += n;
            off += n;
            left -= n;
            pending += n;
        }
    }

    /** Copies {@code src[off, off+len)}. */
    public void write(byte[] src, int off, int len) {
        Objects.checkFromIndexSize(off, len, src.length);
        reserved = -1;
        while (len > 0) {
            PooledBuffer t = tailWithSpace(1);
            int n = Math.min(len, t.writableBytes());
            MemorySegment.copy(src, off, t.segment(), ValueLayout.JAVA_BYTE, t.writeIndex, n);
            t.writeIndex += n;
            off += n;
            len -= n;
            pending += n;
        }
    }

    /** Copies {@code src}'s remaining bytes and advances its position. */
    public void write(ByteBuffer src) {
        Objects.requireNonNull(src, "src");
        reserved = -1;
        if (src.hasArray()) {
            int len = src.remaining();
            write(src.array(), src.arrayOffset() + src.position(), len);
            src.position(src.position() + len);
            return;
        }
        // A direct or read-only buffer: copy through the cached view (MemorySegment.ofBuffer allocates).
        int limit = src.limit();
        try {
            while (src.hasRemaining()) {
                PooledBuffer t = tailWithSpace(1);
                int n = Math.min(src.remaining(), t.writableBytes());
                ByteBuffer view = t.byteBuffer();
                view.limit(t.writeIndex + n).position(t.writeIndex);
                src.limit(src.position() + n);
                view.put(src);
                src.limit(limit);
                t.writeIndex += n;
                pending += n;
            }
        } finally {
            src.limit(limit);
        }
    }

    /**
     * Writable native memory of {@code size} bytes at the end of the chain, valid until the next call
     * on this chain; {@link #commit(int)} what was filled.
     */
    public MemorySegment reserve(int size) {
        if (size < 0 || size > pool.bufferSize()) {
            throw new IllegalArgumentException("reserve size must be 0.." + pool.bufferSize()
                    + " (the buffer size), was " + size);
        }
        PooledBuffer t = tailWithSpace(size);
        reserved = size;
        return t.segment().asSlice(t.writeIndex, size);
    }

    /** Appends the first {@code used} bytes of the last {@link #reserve(int)}. */
    public void commit(int used) {
        if (reserved < 0) {
            throw new IllegalStateException("commit without a reserve (or after another write)");
        }
        if (used < 0 || used > reserved) {
            throw new IllegalArgumentException("commit must be 0.." + reserved + " (the reserved size), was " + used);
        }
        tail.writeIndex += used;
        pending += used;
        reserved = -1;
    }

    /**
     * Hands the pending pieces, in order, to {@code sink}: at most {@code maxPieces}, skipping empty
     * buffers. Returns the number of pieces given. Allocates nothing.
     */
    public int gather(SegmentSink sink, int maxPieces) {
        int i = 0;
        for (PooledBuffer b = head; b != null && i < maxPieces; b = b.next) {
            int len = b.readableBytes();
            if (len > 0) {
                sink.piece(i++, b, b.segment(), b.readIndex, len);
            }
        }
        return i;
    }

    /**
     * Fills {@code dst[0..]} with the buffers' cached {@link ByteBuffer} views, position and limit set
     * to the pending bytes, for {@code GatheringByteChannel.write(dst, 0, n)}; returns n.
     */
    public int gather(ByteBuffer[] dst) {
        int i = 0;
        for (PooledBuffer b = head; b != null && i < dst.length; b = b.next) {
            int len = b.readableBytes();
            if (len > 0) {
                ByteBuffer v = b.byteBuffer();
                v.limit(b.writeIndex).position(b.readIndex);
                dst[i++] = v;
            }
        }
        return i;
    }

    /** The kernel took the first {@code n} pending bytes; releases the buffers that are now sent. */
    public void consumed(long n) {
        if (n < 0 || n > pending) {
            throw new IllegalArgumentException("consumed must be 0.." + pending + " (pending), was " + n);
        }
        pending -= n;
        while (head != null) {
            PooledBuffer b = head;
            int len = b.readableBytes();
            if (n < len) {
                b.readIndex += (int) n;
                return;
            }
            n -= len;
            if (b == tail && reserved >= 0) {
                // An open reservation points into this buffer: keep it, empty.
                b.readIndex = b.writeIndex;
                return;
            }
            head = b.next;
            if (head == null) {
                tail = null;
            }
            b.next = null;
            b.release();
        }
    }

    /** Drops everything pending and releases every buffer; returns how many bytes were dropped. */
    public long discard() {
        long dropped = pending;
        PooledBuffer b = head;
        head = tail = null;
        pending = 0;
        reserved = -1;
        while (b != null) {
            PooledBuffer n = b.next;
            b.next = null;
            b.release();
            b = n;
        }
        return dropped;
    }

    private PooledBuffer tailWithSpace(int min) {
        PooledBuffer t = tail;
        if (t == null || t.writableBytes() < min || t.writableBytes() == 0) {
            PooledBuffer b = pool.allocate();
            if (t == null) {
                head = b;
            } else {
                t.next = b;
            }
            tail = b;
            t = b;
        }
        return t;
    }
}
