package dev.isthmus.nio.channels;

import dev.isthmus.ffi.Errno;
import dev.isthmus.ffi.posix.errno_h;
import dev.isthmus.ffi.posix.eventfd_h;
import dev.isthmus.ffi.uring.__kernel_timespec;
import dev.isthmus.linux.socket.LinuxSocket;
import dev.isthmus.uring.StandaloneRing;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.AsynchronousServerSocketChannel;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.spi.AsynchronousChannelProvider;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An {@link AsyncGroup} on one io_uring instance ({@link StandaloneRing}, the io-uring module's ring). Channels
 * submit their accepts, connects, reads (recv, readv) and writes (send, writev) as requests ({@link UringOp}) and
 * the operations complete from the requests' CQEs; a time-out is an IORING_OP_LINK_TIMEOUT linked to its request,
 * so the operation ends only once the kernel has let go of its buffers; close and a cancelled Future send
 * IORING_OP_ASYNC_CANCEL.
 *
 * <p>One internal daemon thread, the ring thread, sets the ring up, fills every SQE, enters and reaps: with
 * IORING_SETUP_SINGLE_ISSUER|DEFER_TASKRUN it is the ring's only submitter, and requests never belong to a pool
 * thread that may exit while they are in flight (the kernel cancels a task's requests when it exits). Other
 * threads hand requests over through a queue and wake the ring thread, only when it waits, by writing an eventfd
 * that has an IORING_OP_READ in the ring. The ring thread never runs application code: completions are handed to the
 * pool ({@link AsyncGroup#finish}).
 *
 * <p>Termination: once the last channel has closed (their requests cancelled), the ring thread cancels its eventfd
 * read, waits for every request's completion, then closes the ring, the eventfd and the memory the requests used.
 */
final class UringChannelGroup extends AsyncGroup {
    private static final int ENTRIES = 256;
    /** Heap bytes a request moves at most (a shorter read or write is allowed), plus room for an iovec array. */
    static final int LARGE_DATA = 16 * 1024;
    static final int IOV_MAX = 64;
    static final long IOV_BYTES = IOV_MAX * 16L;
    /** timespec at 0, sockaddr at {@link #SMALL_ADDR}. */
    static final long SMALL_ADDR = 64;
    private static final long SMALL_SIZE = 256;

    private final int wakeFd;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment wakeBuf;
    private final NativeBlocks smallBlocks = new NativeBlocks(arena, SMALL_SIZE);
    private final NativeBlocks largeBlocks = new NativeBlocks(arena, IOV_BYTES + LARGE_DATA);
    private final ConcurrentLinkedQueue<UringOp> submissions = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<UringOp> cancels = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean sleeping = new AtomicBoolean();
    private final OpSlots slots = new OpSlots();
    private final CountDownLatch started = new CountDownLatch(1);
    private final Thread loop;
    private volatile boolean stopping;
    private volatile long submitted;
    private IOException startFailure;
    // the ring thread's
    private StandaloneRing ring;
    private long wakeUserData;

    UringChannelGroup(AsynchronousChannelProvider provider, ExecutorService executor) throws IOException {
        super(provider, executor);
        ThreadIo io = ThreadIo.current();
        int ev = eventfd_h.eventfd(io.state(), 0, eventfd_h.EFD_NONBLOCK | eventfd_h.EFD_CLOEXEC);
        if (ev < 0) {
            int e = io.errno();
            arena.close();
            throw Errno.exception("eventfd", e);
        }
        wakeFd = ev;
        wakeBuf = arena.allocate(8, 8);
        loop = GroupPools.daemon("isthmus-aio-uring").newThread(this::run);
        loop.start();
        boolean interrupted = false;
        while (true) {
            try {
                started.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (startFailure != null) {
            throw startFailure;
        }
    }

    @Override
    AsynchronousSocketChannel openSocket() throws IOException {
        return new UringSocketChannel(provider(), this);
    }

    @Override
    AsynchronousServerSocketChannel openServerSocket() throws IOException {
        return new UringServerSocketChannel(provider(), this);
    }

    /** Nothing to add: a channel's descriptor reaches the ring with each request. */
    @Override
    void attach(Member m) {
    }

    /** SQEs the ring has handed to the kernel so far (proof, in tests, that this backend carries the I/O). */
    long submitted() {
        return submitted;
    }

    // --- from any thread ---------------------------------------------------------------------------------

    /** Hands a request to the ring thread; its initiator holds a use of the channel's descriptor. */
    void submit(UringOp op) {
        submissions.add(op);
        wake();
    }

    /** Asks the kernel to cancel {@code op} (close, a cancelled Future); its completion then ends it. */
    void cancel(UringOp op) {
        op.cancelRequested = true;
        cancels.add(op);
        wake();
    }

    private void wake() {
        if (Thread.currentThread() != loop && sleeping.compareAndSet(true, false)) {
            eventfd_h.eventfd_write(ThreadIo.current().state(), wakeFd, 1L);
        }
    }

    @Override
    void stopLoop() {
        stopping = true;
        sleeping.set(true); // make the next wake() write the eventfd whatever the ring thread is doing
        wake();
    }

    // --- the ring thread ---------------------------------------------------------------------------------

    /** A small block for the request being prepared (the ring thread). */
    MemorySegment small(UringOp op) {
        if (op.small == null) {
            op.small = smallBlocks.take();
        }
        return op.small;
    }

    /** A large block for the request being prepared (the ring thread). */
    MemorySegment large(UringOp op) {
        if (op.large == null) {
            op.large = largeBlocks.take();
        }
        return op.large;
    }

    private void run() {
        try {
            ring = StandaloneRing.open(ENTRIES);
        } catch (IOException | RuntimeException | Error e) {
            startFailure = e instanceof IOException io ? io : new IOException("io_uring setup failed: " + e, e);
            LinuxSocket.closeQuietly(ThreadIo.current().state(), wakeFd);
            arena.close();
            started.countDown();
            return;
        }
        started.countDown();
        boolean wakeCancelled = false;
        try {
            armWake();
            while (true) {
                drainQueues();
                if (stopping) {
                    if (!wakeCancelled && wakeUserData != 0) {
                        ring.cancel(ring.sqe(), wakeUserData, OpSlots.KIND_CANCEL);
                        wakeCancelled = true;
                    }
                    if (slots.inUse() == 0 && wakeUserData == 0) {
                        break;
                    }
                }
                sleeping.set(true);
                if (!submissions.isEmpty() || !cancels.isEmpty()) {
                    sleeping.set(false);
                    continue;
                }
                ring.submitAndWait(1);
                sleeping.set(false);
                submitted = ring.submitted();
                do {
                    ring.reap(this::completed);
                } while (ring.overflowed() && enterForOverflow());
            }
        } catch (IOException | RuntimeException | Error e) {
            // the ring is unusable: report it; pending operations cannot be completed safely (the kernel may hold
            // their buffers), so the group does not terminate
            Thread.currentThread().getUncaughtExceptionHandler().uncaughtException(Thread.currentThread(), e);
            return;
        }
        ring.close();
        LinuxSocket.closeQuietly(ThreadIo.current().state(), wakeFd);
        arena.close();
        loopStopped();
    }

    private boolean enterForOverflow() {
        try {
            ring.submitAndWait(0);
            return true;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private void armWake() throws IOException {
        wakeUserData = OpSlots.KIND_WAKE | 1;
        ring.read(ring.sqe(), wakeFd, wakeBuf.address(), 8, wakeUserData);
    }

    private void drainQueues() throws IOException {
        UringOp op;
        while ((op = submissions.poll()) != null) {
            submitOne(op);
        }
        while ((op = cancels.poll()) != null) {
            if (op.userData != 0) {
                ring.cancel(ring.sqe(), op.userData, OpSlots.KIND_CANCEL);
            }
        }
    }

    private void submitOne(UringOp op) throws IOException {
        if (!op.channel.isOpen()) { // closed before its request reached the ring: nothing is in the kernel
            finish(op, -errno_h.ECANCELED);
            return;
        }
        ring.reserve(op.timeoutNanos > 0 ? 2 : 1); // a request and its link timeout go in the same submission
        long sqe = ring.sqe();
        long ud = slots.add(op);
        try {
            op.prepare(this, ring, sqe, ud);
        } catch (IOException | RuntimeException e) {
            slots.remove(ud);
            ring.nop(sqe, OpSlots.KIND_CANCEL); // the SQE is claimed; its completion is ignored
            finishFailed(op, e);
            return;
        }
        op.userData = ud;
        if (op.timeoutNanos > 0) {
            MemorySegment ts = small(op);
            __kernel_timespec.tv_sec(ts, op.timeoutNanos / 1_000_000_000L);
            __kernel_timespec.tv_nsec(ts, op.timeoutNanos % 1_000_000_000L);
            ring.link(sqe);
            ring.linkTimeout(ring.sqe(), ts.address(), OpSlots.KIND_TIMEOUT | ud);
        }
    }

    private void completed(long userData, int res, int flags) {
        long kind = userData & OpSlots.KIND_MASK;
        if (kind == OpSlots.KIND_WAKE) {
            if (!stopping) {
                try {
                    armWake();
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            } else {
                wakeUserData = 0;
            }
            return;
        }
        if (kind != OpSlots.KIND_OP) {
            return;
        }
        UringOp op = slots.remove(userData);
        if (op != null) {
            op.userData = 0;
            op.cqeFlags = flags;
            finish(op, res);
        }
    }

    /** Completes {@code op}, then releases its blocks and its use of the descriptor. */
    private void finish(UringOp op, int res) {
        try {
            op.complete(this, res);
        } catch (RuntimeException | Error e) {
            Thread.currentThread().getUncaughtExceptionHandler().uncaughtException(Thread.currentThread(), e);
        } finally {
            release(op);
        }
    }

    private void finishFailed(UringOp op, Exception e) {
        op.failure = e;
        finish(op, -errno_h.EINVAL);
    }

    private void release(UringOp op) {
        smallBlocks.give(op.small);
        largeBlocks.give(op.large);
        op.small = null;
        op.large = null;
        op.use.exitQuietly(op.channel);
    }
}
