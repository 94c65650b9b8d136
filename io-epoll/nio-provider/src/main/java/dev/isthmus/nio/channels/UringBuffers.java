package dev.isthmus.nio.channels;

import dev.isthmus.ffi.posix.iovec;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;

/**
 * How the ByteBuffers of an io_uring read or write reach the kernel, which keeps their addresses until the
 * completion: a direct buffer is passed in place (its request holds it, so it stays reachable); a heap buffer,
 * which the GC may move, goes through the request's large block ({@link UringChannelGroup#large}): copied in before
 * a write is submitted, copied out when a read completes. At most {@link UringChannelGroup#LARGE_DATA} heap bytes
 * and {@link UringChannelGroup#IOV_MAX} buffers per request; the operation then moves fewer bytes, as the contract
 * allows. The block holds the iovec array of a scatter/gather request, then the heap bytes.
 */
final class UringBuffers {
    private static final long DATA = UringChannelGroup.IOV_BYTES;
    private static final long IOV = iovec.sizeof();

    private UringBuffers() {
    }

    /** The address of a direct buffer's remaining bytes. */
    static long address(ByteBuffer direct) {
        return MemorySegment.ofBuffer(direct).address();
    }

    /** Bytes of {@code b} one request moves. */
    static int length(ByteBuffer b) {
        return b.isDirect() ? b.remaining() : Math.min(b.remaining(), UringChannelGroup.LARGE_DATA);
    }

    /** The address to read into or write from for one buffer; a heap buffer's bytes are copied in for a write. */
    static long single(ByteBuffer b, MemorySegment block, boolean copyIn) {
        if (b.isDirect()) {
            return address(b);
        }
        if (copyIn) {
            MemorySegment.copy(MemorySegment.ofBuffer(b), 0, block, DATA, length(b));
        }
        return block.address() + DATA;
    }

    /** After a read of {@code n} bytes into one buffer: copies a heap buffer's bytes out, advances the position. */
    static void singleDone(ByteBuffer b, MemorySegment block, int n, boolean copyOut) {
        if (copyOut && !b.isDirect()) {
            MemorySegment.copy(block, DATA, MemorySegment.ofBuffer(b), 0, n);
        }
        b.position(b.position() + n);
    }

    /** Fills the block's iovec array for {@code bufs[offset, offset+length)}; returns the entry count (at least 1). */
    static int vector(ByteBuffer[] bufs, int offset, int length, MemorySegment block, boolean copyIn) {
        long data = DATA;
        int cnt = 0;
        for (int i = offset; i < offset + length && cnt < UringChannelGroup.IOV_MAX; i++) {
            ByteBuffer b = bufs[i];
            int rem = b.remaining();
            if (rem == 0) {
                continue;
            }
            long addr;
            int n;
            if (b.isDirect()) {
                addr = address(b);
                n = rem;
            } else {
                n = (int) Math.min(rem, block.byteSize() - data);
                if (n == 0) {
                    break;
                }
                addr = block.address() + data;
                if (copyIn) {
                    MemorySegment.copy(MemorySegment.ofBuffer(b), 0, block, data, n);
                }
                data += n;
            }
            block.set(ValueLayout.JAVA_LONG, cnt * IOV + iovec.iov_base$OFFSET, addr);
            iovec.iov_len(iovec.asSlice(block, cnt), n);
            cnt++;
        }
        return cnt;
    }

    /** After {@code n} bytes moved through the iovec array {@link #vector} filled: copies heap bytes out, advances. */
    static void vectorDone(ByteBuffer[] bufs, int offset, int length, MemorySegment block, int cnt, long n, boolean copyOut) {
        long data = DATA;
        long left = n;
        int k = 0;
        for (int i = offset; i < offset + length && k < cnt && left > 0; i++) {
            ByteBuffer b = bufs[i];
            if (b.remaining() == 0) {
                continue;
            }
            long len = iovec.iov_len(iovec.asSlice(block, k));
            int take = (int) Math.min(left, len);
            if (!b.isDirect()) {
                if (copyOut) {
                    MemorySegment.copy(block, data, MemorySegment.ofBuffer(b), 0, take);
                }
                data += len;
            }
            b.position(b.position() + take);
            left -= take;
            k++;
        }
    }
}
