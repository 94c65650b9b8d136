package dev.isthmus.stack;

import java.lang.foreign.MemorySegment;

/**
 * The received, not yet consumed bytes of a connection: a chain of pooled native buffers read as one
 * stream, after Netpoll's LinkBuffer. Positions are relative to the first unconsumed byte. Valid only
 * inside {@link ConnectionHandler#onData}; nothing here allocates.
 */
public interface Inbound {

    /** Bytes available. */
    long readableBytes();

    /** The byte at {@code index} (0 = first unconsumed) without consuming it. */
    byte getByte(long index);

    /** The index of the first {@code value} at or after {@code from}, or -1. */
    long indexOf(byte value, long from);

    /**
     * The first contiguous run of unconsumed bytes, as a read-only view into pool memory (zero copy);
     * empty when nothing is readable. Consuming does not move a view already handed out.
     */
    MemorySegment firstChunk();

    /** Copies {@code length} bytes from {@code index} into {@code dst} at {@code dstOffset}, without consuming. */
    void copyTo(long index, MemorySegment dst, long dstOffset, long length);

    /** Copies {@code length} bytes from {@code index} into {@code dst[dstOffset..]}, without consuming. */
    void copyTo(long index, byte[] dst, int dstOffset, int length);

    /** Consumes {@code n} bytes; their buffers return to the pool once fully consumed. */
    void skip(long n);

    /** Reads and consumes one byte. */
    default byte readByte() {
        byte b = getByte(0);
        skip(1);
        return b;
    }
}
