package dev.isthmus.stack.buffer;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

/**
 * One fixed-size buffer of a {@link BufferPool}. The object is created once, with its buffer, and reused
 * for the life of the pool: the bytes {@code [readIndex, writeIndex)} are the valid data. It links into
 * the pool's free stack or an outbound chain through {@link #next}, and into an inbound chain as an
 * {@link InboundChunk} (intrusive, so chains allocate nothing). Not thread-safe.
 */
public final class PooledBuffer extends InboundChunk {
    private final BufferPool pool;
    private final int id;
    // MemorySegment.asByteBuffer allocates a new view on each call; nio backends read and write
    // through this one view, made once when the buffer is carved.
    private final ByteBuffer byteBuffer;
    /** The next buffer on the pool's free stack or in an outbound chain. */
    PooledBuffer next;
    boolean free;

    PooledBuffer(BufferPool pool, int id, MemorySegment segment) {
        super(segment);
        this.pool = pool;
        this.id = id;
        this.byteBuffer = segment.asByteBuffer();
    }

    /** The pool it came from. */
    public BufferPool pool() {
        return pool;
    }

    /** 0 .. pool capacity - 1, stable for the life of the pool: usable as an io_uring buffer id. */
    public int id() {
        return id;
    }

    /**
     * The cached {@link ByteBuffer} view of the whole buffer. Its position and limit belong to whoever
     * holds the buffer at the moment (a read into it, a gathered write from it).
     */
    public ByteBuffer byteBuffer() {
        return byteBuffer;
    }

    /** The next buffer in the outbound chain this one is in, or null. */
    public PooledBuffer next() {
        return next;
    }

    /** Returns the buffer to its pool; the caller must not touch it afterwards. */
    @Override
    public void release() {
        pool.release(this);
    }

    @Override
    public String toString() {
        return "PooledBuffer[id=" + id + ", read=" + readIndex + ", write=" + writeIndex + ", cap=" + capacity() + "]";
    }
}
