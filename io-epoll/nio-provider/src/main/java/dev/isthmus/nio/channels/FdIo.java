package dev.isthmus.nio.channels;

import dev.isthmus.ffi.posix.errno_h;
import dev.isthmus.ffi.posix.iovec;
import dev.isthmus.ffi.posix.uio_h;
import dev.isthmus.ffi.posix.unistd_h;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

/**
 * read(2), write(2), readv(2) and writev(2) on a non-blocking descriptor between it and ByteBuffers: a direct
 * buffer is passed to the kernel as it is; a heap buffer goes through the thread's bounce buffer (at most
 * {@link ThreadIo#BOUNCE_BYTES} per call; the kernel never sees heap memory, so the GC may move the array at
 * any time). Each returns bytes moved, or {@code -errno}; the buffers' positions advance by the bytes moved, and
 * {@link ThreadIo#offered} holds how many bytes the call offered the kernel, so that a caller can tell a short
 * transfer (the socket's queue or buffer ran out) from one cut by the bounce buffer or the iovec limit.
 * The calls are linked critical: the descriptors of this provider are always O_NONBLOCK.
 */
final class FdIo {
    static final long EAGAIN = -errno_h.EAGAIN;

    private FdIo() {
    }

    private static long offered(ThreadIo io, int cnt) {
        long sum = 0;
        for (int i = 0; i < cnt; i++) {
            sum += iovec.iov_len(iovec.asSlice(io.iov, i));
        }
        return sum;
    }

    static long read(ThreadIo io, int fd, ByteBuffer dst) {
        int pos = dst.position();
        int rem = dst.limit() - pos;
        if (dst.isDirect()) {
            io.offered = rem;
            long n = unistd_h.read$critical(io.state(), fd, MemorySegment.ofBuffer(dst), rem);
            if (n < 0) {
                return -io.errno();
            }
            dst.position(pos + (int) n);
            return n;
        }
        int len = Math.min(rem, ThreadIo.BOUNCE_BYTES);
        io.offered = len;
        long n = unistd_h.read$critical(io.state(), fd, io.bounce, len);
        if (n < 0) {
            return -io.errno();
        }
        io.copyFromBounce(0, dst, (int) n);
        dst.position(pos + (int) n);
        return n;
    }

    static long write(ThreadIo io, int fd, ByteBuffer src) {
        int pos = src.position();
        int rem = src.limit() - pos;
        long n;
        if (src.isDirect()) {
            io.offered = rem;
            n = unistd_h.write$critical(io.state(), fd, MemorySegment.ofBuffer(src), rem);
        } else {
            int len = Math.min(rem, ThreadIo.BOUNCE_BYTES);
            io.copyToBounce(src, 0, len);
            io.offered = len;
            n = unistd_h.write$critical(io.state(), fd, io.bounce, len);
        }
        if (n < 0) {
            return -io.errno();
        }
        src.position(pos + (int) n);
        return n;
    }

    /**
     * readv(2) into {@code dsts[offset..offset+length)}: direct buffers in place, heap buffers through slices of
     * the bounce buffer (the total of the heap parts is bounded by its size, so the call may fill less than
     * asked, which a scattering read is allowed to do).
     */
    static long readv(ThreadIo io, int fd, ByteBuffer[] dsts, int offset, int length) {
        int cnt = fillIov(io, dsts, offset, length, false);
        if (cnt == 0) {
            return 0;
        }
        io.offered = offered(io, cnt);
        long n = uio_h.readv$critical(io.state(), fd, io.iov, cnt);
        if (n < 0) {
            return -io.errno();
        }
        long left = n;
        long bounceAt = 0;
        for (int i = offset; i < offset + length && left > 0; i++) {
            ByteBuffer b = dsts[i];
            int rem = b.remaining();
            if (rem == 0) {
                continue;
            }
            int take = (int) Math.min(rem, left);
            if (!b.isDirect()) {
                long room = ThreadIo.BOUNCE_BYTES - bounceAt;
                take = (int) Math.min(take, room);
                io.copyFromBounce(bounceAt, b, take);
                bounceAt += Math.min(rem, room);
            }
            b.position(b.position() + take);
            left -= take;
        }
        return n;
    }

    /** writev(2) from {@code srcs[offset..offset+length)}; heap parts copied into the bounce buffer first. */
    static long writev(ThreadIo io, int fd, ByteBuffer[] srcs, int offset, int length) {
        int cnt = fillIov(io, srcs, offset, length, true);
        if (cnt == 0) {
            return 0;
        }
        io.offered = offered(io, cnt);
        long n = uio_h.writev$critical(io.state(), fd, io.iov, cnt);
        if (n < 0) {
            return -io.errno();
        }
        long left = n;
        for (int i = offset; i < offset + length && left > 0; i++) {
            ByteBuffer b = srcs[i];
            int take = (int) Math.min(b.remaining(), left);
            b.position(b.position() + take);
            left -= take;
        }
        return n;
    }

    /**
     * Fills {@code io.iov} for readv(2)/writev(2) from the non-empty buffers of {@code bufs[offset..offset+length)}:
     * direct buffers in place, heap buffers through consecutive slices of the bounce buffer, stopping when the
     * iovec array or the bounce buffer is full. With {@code copyIn} (writev) the heap parts are copied into their
     * bounce slices. Returns the number of iovec entries filled.
     */
    private static int fillIov(ThreadIo io, ByteBuffer[] bufs, int offset, int length, boolean copyIn) {
        int cnt = 0;
        long bounceUsed = 0;
        for (int i = offset; i < offset + length && cnt < ThreadIo.IOV_ENTRIES; i++) {
            ByteBuffer b = bufs[i];
            int rem = b.remaining();
            if (rem == 0) {
                continue;
            }
            MemorySegment e = iovec.asSlice(io.iov, cnt);
            if (b.isDirect()) {
                iovec.iov_base(e, MemorySegment.ofBuffer(b));
                iovec.iov_len(e, rem);
            } else {
                long room = ThreadIo.BOUNCE_BYTES - bounceUsed;
                if (room == 0) {
                    break;
                }
                long len = Math.min(rem, room);
                if (copyIn) {
                    io.copyToBounce(b, bounceUsed, (int) len);
                }
                iovec.iov_base(e, io.bounce.asSlice(bounceUsed, len));
                iovec.iov_len(e, len);
                bounceUsed += len;
            }
            cnt++;
        }
        return cnt;
    }
}
