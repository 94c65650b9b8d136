package dev.isthmus.nio.channels;

import dev.isthmus.ffi.Errno;
import dev.isthmus.ffi.posix.errno_h;
import dev.isthmus.uring.StandaloneRing;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.Channel;

/**
 * One io_uring request of a channel ({@link UringSocketChannel}, {@link UringServerSocketChannel}), from the
 * initiating call to its completion. The initiating thread holds a use of the channel's descriptor ({@link FdUse})
 * and hands the request to the group; the ring thread fills its SQE ({@link #prepare}, with a linked
 * IORING_OP_LINK_TIMEOUT when {@link #timeoutNanos} is set), and completes it from its CQE ({@link #complete}),
 * after which the blocks it took go back and the use ends: the descriptor is never closed, nor a block reused, while
 * the kernel may still touch it.
 */
abstract class UringOp {
    /** The channel whose descriptor the request uses. */
    final Channel channel;
    final FdUse use;
    /** The operation the request carries out. */
    final AsyncResult<?, ?> result;
    /** 0: none. */
    final long timeoutNanos;
    /** Set (by close or a cancelled Future) before an IORING_OP_ASYNC_CANCEL is sent for this request. */
    volatile boolean cancelRequested;

    // the ring thread's
    /** Why the request could not be prepared (then it was never submitted), else null. */
    Throwable failure;
    /** The flags of the request's CQE (IORING_CQE_F_*), set before {@link #complete}; 0 if it had none. */
    int cqeFlags;
    /** The request's user_data while it is in the kernel, else 0. */
    long userData;
    /** A small block (timespec, sockaddr), taken in {@link #prepare} when needed. */
    MemorySegment small;
    /** A large block (heap bytes, iovec array), taken in {@link #prepare} when needed. */
    MemorySegment large;

    UringOp(Channel channel, FdUse use, AsyncResult<?, ?> result, long timeoutNanos) {
        this.channel = channel;
        this.use = use;
        this.result = result;
        this.timeoutNanos = timeoutNanos;
    }

    /** Fills the request's SQE (the ring thread); blocks it needs come from {@code g}. */
    abstract void prepare(UringChannelGroup g, StandaloneRing ring, long sqe, long userData) throws IOException;

    /**
     * The request's completion (the ring thread), its blocks still held: copy what the kernel wrote, then end the
     * operation. {@code res} is the CQE's result; -ECANCELED also when the request was never submitted because the
     * channel had closed.
     */
    abstract void complete(UringChannelGroup g, int res);

    /**
     * The failure a negative {@code res} stands for: the preparation's, AsynchronousCloseException once the channel
     * is closed (its requests are cancelled), else the errno of {@code call}.
     */
    final Throwable error(int res, String call) {
        if (failure != null) {
            return failure;
        }
        if (!channel.isOpen()) {
            return new AsynchronousCloseException();
        }
        return Errno.exception(call, -res);
    }

    /** Whether a failed result means the linked time-out fired (rather than close or cancel). */
    final boolean timedOut(int res) {
        return timeoutNanos > 0 && !cancelRequested && (res == -errno_h.ECANCELED || res == -errno_h.EINTR);
    }
}
