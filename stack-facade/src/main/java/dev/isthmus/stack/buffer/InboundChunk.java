package dev.isthmus.stack.buffer;

import java.lang.foreign.MemorySegment;

/**
 * Received bytes {@code [readIndex, writeIndex)} of a segment that someone else owns, and the way to
 * give it back: a pool buffer (a {@link PooledBuffer} returns to its {@link BufferPool}), a DPDK mbuf
 * (returns to its mempool), a test backend's slab. An {@link InboundChain} links chunks, hands their
 * bytes to the application as views without copying, and calls {@link #release()} once a chunk's bytes
 * are all consumed or the connection closes, exactly once per {@link InboundChain#append}.
 *
 * <p>The object is the owner's to recycle: an implementation keeps one per piece of memory for life,
 * so receiving allocates nothing. Not thread-safe (the connection's worker).
 */
public abstract class InboundChunk {
    private final MemorySegment segment;
    // A read-only view made once, so that handing a chunk to the application costs one slice, not two objects.
    private final MemorySegment readOnly;
    int readIndex;
    int writeIndex;
    // The last view of the unread bytes and its bounds: the application's onData takes a MemorySegment,
    // which escapes (the JIT cannot remove the slice), and a chunk meets the same bounds again and again
    // (a 64-byte echo in an mbuf, a request at the start of a pool buffer).
    private MemorySegment view;
    private int viewAt = -1;
    private int viewLength;
    /** The next chunk in the inbound chain this one is in, or null. */
    InboundChunk nextChunk;

    /** A chunk over {@code segment} (its whole life), both indices at 0. */
    protected InboundChunk(MemorySegment segment) {
        this.segment = segment;
        this.readOnly = segment.asReadOnly();
    }

    /** Gives the memory back to its owner; the caller must not touch the chunk afterwards. */
    public abstract void release();

    /** The whole segment, {@link #capacity()} bytes. */
    public final MemorySegment segment() {
        return segment;
    }

    /** A read-only view of the whole segment. */
    public final MemorySegment readOnlySegment() {
        return readOnly;
    }

    /**
     * A read-only view of the unread bytes {@code [readIndex, writeIndex)}: the same object again while
     * those bounds are the ones of the last call, so handing a chunk to the application allocates nothing
     * at a steady size.
     */
    public final MemorySegment readableView() {
        int at = readIndex;
        int length = writeIndex - at;
        if (at != viewAt || length != viewLength) {
            view = readOnly.asSlice(at, length);
            viewAt = at;
            viewLength = length;
        }
        return view;
    }

    /** Returns the segment's size in bytes. */
    public final int capacity() {
        return (int) segment.byteSize();
    }

    /** Returns where the unread bytes start. */
    public final int readIndex() {
        return readIndex;
    }

    /** Returns where the unread bytes end (and the next write lands). */
    public final int writeIndex() {
        return writeIndex;
    }

    /** Returns bytes written and not yet read. */
    public final int readableBytes() {
        return writeIndex - readIndex;
    }

    /** Returns room left after {@link #writeIndex()}. */
    public final int writableBytes() {
        return capacity() - writeIndex;
    }

    /** Sets both indices; fails unless {@code 0 <= read <= write <= capacity}. */
    public final void setIndex(int read, int write) {
        if (read < 0 || read > write || write > capacity()) {
            throw new IndexOutOfBoundsException("need 0 <= readIndex <= writeIndex <= " + capacity()
                    + ", was " + read + " and " + write);
        }
        readIndex = read;
        writeIndex = write;
    }

    /** Marks {@code n} more bytes after {@link #writeIndex()} as valid (after a read into the segment). */
    public final void advanceWrite(int n) {
        setIndex(readIndex, writeIndex + n);
    }
}
