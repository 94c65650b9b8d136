package dev.isthmus.epoll;

import dev.isthmus.ffi.posix.iovec;
import dev.isthmus.ffi.posix.uio_h;
import dev.isthmus.stack.buffer.PooledBuffer;
import dev.isthmus.stack.buffer.SegmentSink;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A worker's preallocated {@code struct iovec[IOV_MAX]} for writev(2), filled from an outbound chain
 * without allocating: the base is written as a raw address, so no MemorySegment is made per piece.
 */
final class IovecArray implements SegmentSink {
    static final int CAPACITY = uio_h.IOV_MAX;
    private static final long STRIDE = iovec.sizeof();

    final MemorySegment segment;
    /** Bytes described by the last fill. */
    long bytes;

    IovecArray(Arena arena) {
        this.segment = iovec.allocateArray(CAPACITY, arena);
    }

    @Override
    public void piece(int index, PooledBuffer buffer, MemorySegment seg, long offset, int length) {
        long at = index * STRIDE;
        segment.set(ValueLayout.JAVA_LONG, at + iovec.iov_base$OFFSET, seg.address() + offset);
        segment.set(ValueLayout.JAVA_LONG, at + iovec.iov_len$OFFSET, length);
        bytes += length;
    }
}
