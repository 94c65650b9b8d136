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
 * without allocating: the base is written as a raw address, so no MemorySegment is made per piece. It
 * also keeps the first piece's buffer and offset, so that a flush of one piece can be a write(2).
 */
final class IovecArray implements SegmentSink {
    static final int CAPACITY = uio_h.IOV_MAX;
    private static final long STRIDE = iovec.sizeof();

    final MemorySegment segment;
    /** Bytes described by the last fill. */
    long bytes;
    /** The buffer segment of the last fill's first piece, and where that piece starts in it. */
    MemorySegment first;
    long firstOffset;

    IovecArray(Arena arena) {
        this.segment = iovec.allocateArray(CAPACITY, arena);
    }

    @Override
    public void piece(int index, PooledBuffer buffer, MemorySegment seg, long offset, int length) {
        if (index == 0) {
            first = seg;
            firstOffset = offset;
        }
        long at = index * STRIDE;
        segment.set(ValueLayout.JAVA_LONG, at + iovec.iov_base$OFFSET, seg.address() + offset);
        segment.set(ValueLayout.JAVA_LONG, at + iovec.iov_len$OFFSET, length);
        bytes += length;
    }
}
