package dev.isthmus.stack.buffer;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

/**
 * One fixed-size buffer of a {@link BufferPool}. The object is created once, with its buffer, and reused
 * for the life of the pool: the bytes {@code [readIndex, writeIndex)} are the valid data. It links into
 * a chain through {@link #next} (intrusive, so chains allocate nothing). Not thread-safe.
 */
public final class PooledBuffer {
    private final BufferPool pool;
    private final int id;
    private final MemorySegment segment;
    // MemorySegment.asByteBuffer allocates a new view on each call; nio backends read and write
    // through this one view, made once when the buffer is carved.
    private final ByteBuffer byteBuffer;
    // A read-only view made once, so that handing a chunk to the application costs one slice, not two objects.
    private final MemorySegment readOnly;
    int readIndex;
    int writeIndex;
    PooledBuffer next;
    boolean free;

    PooledBuffer(BufferPool pool, int id, MemorySegment segment) {
        this.pool = pool;
        this.id = id;
        this.segment = segment;
        this.byteBuffer = segment.asByteBuffer();
        this.readOnly = segment.asReadOnly();
    }

    /** A read-only view of the whole buffer. */
    public MemorySegment readOnlySegment() {
        return readOnly;
    }

    /** The pool it came from. */
    public BufferPool pool() {
        return pool;
    }

    /** 0 .. pool capacity - 1, stable for the life of the pool: usable as an io_uring buffer id. */
    public int id() {
        return id;
    }

    /** The whole buffer, {@link #capacity()} bytes. */
    public MemorySegment segment() {
        return segment;
    }

    /**
     * The cached {@link ByteBuffer} view of the whole buffer. Its position and limit belong to whoever
     * holds the buffer at the moment (a read into it, a gathered write from it).
     */
    public ByteBuffer byteBuffer() {
        return byteBuffer;
    }

    public int capacity() {
        return (int) segment.byteSize();
    }

    public int readIndex() {
        return readIndex;
    }

    public int writeIndex() {
        return writeIndex;
    }

    public int readableBytes() {
        return writeIndex - readIndex;
    }

    public int writableBytes() {
        return capacity() - writeIndex;
    }

    /** Sets both indices; fails unless {@code 0 <= read <= write <= capacity}. */
    public void setIndex(int read, int write) {
        if (read < 0 || read > write || write > capacity()) {
            throw new IndexOutOfBoundsException("need 0 <= readIndex <= writeIndex <= " + capacity()
                    + ", was " + read + " and " + write);
        }
        readIndex = read;
        writeIndex = write;
    }

    /** Marks {@code n} more bytes after {@link #writeIndex()} as valid (after a read into the buffer). */
    public void advanceWrite(int n) {
        setIndex(readIndex, writeIndex + n);
    }

    /** The next buffer in the chain this one is in, or null. */
    public PooledBuffer next() {
        return next;
    }

    /** Returns the buffer to its pool; the caller must not touch it afterwards. */
    public void release() {
        pool.release(this);
    }

    @Override
    public String toString() {
        return "PooledBuffer[id=" + id + ", read=" + readIndex + ", write=" + writeIndex + ", cap=" + capacity() + "]";
    }
}
