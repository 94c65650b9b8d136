package dev.isthmus.nio.channels;

import dev.isthmus.ffi.Errno;
import dev.isthmus.ffi.posix.eventfd_h;
import dev.isthmus.ffi.posix.poll_h;
import dev.isthmus.ffi.posix.pollfd;
import dev.isthmus.linux.socket.LinuxSocket;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.ref.Cleaner;
import java.nio.ByteBuffer;

/**
 * What one thread needs to make channel calls without allocating: the socket layer's {@link LinuxSocket.Scratch}
 * (errno capture, address, option value), a direct bounce buffer that heap ByteBuffers are copied through, an
 * iovec array for scatter/gather, and the thread's <em>waiter</em>: an eventfd plus a two-entry pollfd array, so
 * that a blocking call waits in poll(2) on (socket, eventfd) and close or interrupt from another thread can end
 * the wait by writing the eventfd (the JDK signals the thread instead; Java code cannot). A virtual thread
 * waits in {@link VirtualThreadPoller} instead, parked, so that it does not pin its carrier.
 *
 * <p>One per thread through a ThreadLocal; the memory is an automatic arena, released when the thread and this
 * object are gone; the eventfd is closed then by a Cleaner.
 */
final class ThreadIo {
    /** Bounce buffer size: a heap buffer is read or written at most this much per system call. */
    static final int BOUNCE_BYTES = 64 * 1024;
    /** iovec entries kept per thread; a longer gather is cut to this many (the call then moves fewer bytes). */
    static final int IOV_ENTRIES = 64;

    private static final Cleaner CLEANER = Cleaner.create();
    private static final ThreadLocal<ThreadIo> CURRENT = ThreadLocal.withInitial(ThreadIo::new);

    final LinuxSocket.Scratch scratch;
    /** Bytes the last {@link FdIo} call offered the kernel. */
    long offered;
    final MemorySegment bounce;
    /**
     * {@link #bounce} as a ByteBuffer, for the copies to and from heap buffers: {@code MemorySegment.ofBuffer} on a
     * heap buffer allocates a segment and a session per call that C2 does not remove (JFR found ~150 B per request
     * under Jetty, whose replies are read-only heap buffers), while ByteBuffer's absolute bulk put allocates nothing
     * and takes read-only sources too.
     */
    private final ByteBuffer bounceView;
    final MemorySegment iov;
    /** One msghdr for recvmsg/sendmsg of a datagram channel. */
    final MemorySegment msg;
    private final MemorySegment pollfds;
    private final MemorySegment eventValue;
    private final int[] waker;
    /** The thread this belongs to; a virtual one waits in {@link VirtualThreadPoller} and is woken by unpark. */
    private final Thread owner = Thread.currentThread();

    private ThreadIo() {
        Arena arena = Arena.ofAuto();
        scratch = new LinuxSocket.Scratch(arena);
        bounce = arena.allocate(BOUNCE_BYTES, 64);
        bounceView = bounce.asByteBuffer();
        iov = dev.isthmus.ffi.posix.iovec.allocateArray(IOV_ENTRIES, arena);
        msg = dev.isthmus.ffi.posix.msghdr.allocate(arena);
        pollfds = pollfd.allocateArray(2, arena);
        eventValue = arena.allocate(8, 8);
        waker = new int[] {-1};
        int[] fdRef = waker;
        CLEANER.register(this, () -> {
            if (fdRef[0] >= 0) {
                LinuxSocket.closeQuietly(MemorySegment.NULL, fdRef[0]);
            }
        });
    }

    static ThreadIo current() {
        return CURRENT.get();
    }

    /** The errno capture segment of this thread's scratch. */
    MemorySegment state() {
        return scratch.state;
    }

    int errno() {
        return scratch.errno();
    }

    /** This thread's wake-up eventfd, created on the first blocking call. */
    int wakerFd() throws IOException {
        if (waker[0] < 0) {
            int fd = eventfd_h.eventfd(scratch.state, 0, eventfd_h.EFD_NONBLOCK | eventfd_h.EFD_CLOEXEC);
            if (fd < 0) {
                throw Errno.exception("eventfd", scratch.errno());
            }
            waker[0] = fd;
        }
        return waker[0];
    }

    /**
     * Waits until {@code fd} has one of {@code events} (POLLIN/POLLOUT), the waker is written, or
     * {@code timeoutMs} passes (-1: no limit). Returns false on time-out. The waker is drained, so the
     * caller re-checks whether its channel was closed or the thread interrupted, and waits again if not.
     */
    boolean await(int fd, int events, int timeoutMs) throws IOException {
        if (owner.isVirtual()) {
            return VirtualThreadPoller.get().await(this, fd, events, timeoutMs); // parks, does not pin the carrier
        }
        int wfd = wakerFd();
        MemorySegment p0 = pollfd.asSlice(pollfds, 0);
        MemorySegment p1 = pollfd.asSlice(pollfds, 1);
        pollfd.fd(p0, fd);
        pollfd.events(p0, (short) events);
        pollfd.revents(p0, (short) 0);
        pollfd.fd(p1, wfd);
        pollfd.events(p1, (short) poll_h.POLLIN);
        pollfd.revents(p1, (short) 0);
        int n = poll_h.poll(scratch.state, pollfds, 2, timeoutMs);
        if (n < 0) {
            int e = scratch.errno();
            if (e == dev.isthmus.ffi.posix.errno_h.EINTR) {
                return true; // a signal: the caller retries its call, which is harmless
            }
            throw Errno.exception("poll", e);
        }
        if (pollfd.revents(p1) != 0) {
            eventfd_h.eventfd_read(scratch.state, wfd, eventValue);
        }
        return n > 0;
    }

    /**
     * poll(2) on {@code fd} alone with a zero timeout: the revents now (0: none of {@code events} yet). The
     * asynchronous channels use it to tell a finished connect from the edge epoll reports for a socket that
     * was added before connect(2) was called.
     */
    int pollNow(int fd, int events) throws IOException {
        MemorySegment p0 = pollfd.asSlice(pollfds, 0);
        pollfd.fd(p0, fd);
        pollfd.events(p0, (short) events);
        pollfd.revents(p0, (short) 0);
        if (poll_h.poll(scratch.state, p0, 1, 0) < 0) {
            throw Errno.exception("poll", scratch.errno());
        }
        return pollfd.revents(p0);
    }

    /**
     * Wakes this object's thread from {@link #await}; any thread may call it. A channel keeps the waiting
     * thread's ThreadIo (not its fd number) while the thread waits, so the eventfd cannot be closed and
     * reused under the writer.
     */
    void wake() {
        if (owner.isVirtual()) {
            java.util.concurrent.locks.LockSupport.unpark(owner);
            return;
        }
        int fd = waker[0];
        if (fd >= 0) {
            eventfd_h.eventfd_write(current().state(), fd, 1L);
        }
    }

    /** Copies {@code len} bytes from {@code src}'s position (which stays) into the bounce buffer at {@code at}. */
    void copyToBounce(ByteBuffer src, long at, int len) {
        bounceView.put((int) at, src, src.position(), len);
    }

    /** Copies {@code len} bytes of the bounce buffer at {@code at} to {@code dst}'s position (which stays). */
    void copyFromBounce(long at, ByteBuffer dst, int len) {
        dst.put(dst.position(), bounceView, (int) at, len);
    }
}
