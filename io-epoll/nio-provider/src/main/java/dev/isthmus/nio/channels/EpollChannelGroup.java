package dev.isthmus.nio.channels;

import dev.isthmus.ffi.Errno;
import dev.isthmus.ffi.posix.epoll_event;
import dev.isthmus.ffi.posix.epoll_h;
import dev.isthmus.ffi.posix.errno_h;
import dev.isthmus.ffi.posix.eventfd_h;
import dev.isthmus.linux.socket.LinuxSocket;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.AsynchronousServerSocketChannel;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.ShutdownChannelGroupException;
import java.nio.channels.spi.AsynchronousChannelProvider;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * An {@link AsyncGroup} on one edge-triggered epoll set, the backend where io_uring cannot run. Every channel of the
 * group is added once, {@code EPOLLIN|EPOLLOUT|EPOLLRDHUP|EPOLLET}, and never modified: an initiating call tries its
 * system call at once and leaves the operation pending only when it meets EAGAIN; the group's poller thread retries
 * the pending operation when epoll reports the next edge (epoll(7): with EPOLLET, wait only after EAGAIN).
 *
 * <p>Handlers and shutdown follow {@link AsyncGroup}. Two internal daemon threads serve the group: the poller
 * (epoll_wait, the retried system calls) and the timer (operation time-outs). Neither runs application code.
 */
final class EpollChannelGroup extends AsyncGroup {
    private static final int MAX_EVENTS = 256;
    private static final int EVENTS = epoll_h.EPOLLIN | epoll_h.EPOLLOUT | epoll_h.EPOLLRDHUP | epoll_h.EPOLLET;

    /** What the poller calls for an edge of a registered descriptor. */
    interface Member extends AsyncGroup.Member {
        int fd();

        /** The epoll events of one edge; runs on the poller thread. */
        void onEvents(int events);
    }

    private final int epfd;
    private final int wakeFd;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment events;
    private final MemorySegment ctlEvent;
    private final MemorySegment wakeValue;
    private final ConcurrentHashMap<Integer, Member> members = new ConcurrentHashMap<>();
    private final ScheduledThreadPoolExecutor timer;
    private final Thread poller;
    private volatile boolean stopPoller;
    /** The epoll set and eventfd are closed (under the ctlEvent lock). */
    private boolean released;

    EpollChannelGroup(AsynchronousChannelProvider provider, ExecutorService executor) throws IOException {
        super(provider, executor);
        ThreadIo io = ThreadIo.current();
        int ep = epoll_h.epoll_create1(io.state(), epoll_h.EPOLL_CLOEXEC);
        if (ep < 0) {
            throw Errno.exception("epoll_create1", io.errno());
        }
        int ev = eventfd_h.eventfd(io.state(), 0, eventfd_h.EFD_NONBLOCK | eventfd_h.EFD_CLOEXEC);
        if (ev < 0) {
            int e = io.errno();
            LinuxSocket.closeQuietly(io.state(), ep);
            throw Errno.exception("eventfd", e);
        }
        epfd = ep;
        wakeFd = ev;
        events = epoll_event.allocateArray(MAX_EVENTS, arena);
        ctlEvent = epoll_event.allocate(arena);
        wakeValue = arena.allocate(8, 8);
        try {
            ctl(io, epoll_h.EPOLL_CTL_ADD, wakeFd, epoll_h.EPOLLIN);
        } catch (IOException e) {
            LinuxSocket.closeQuietly(io.state(), ev);
            LinuxSocket.closeQuietly(io.state(), ep);
            arena.close();
            throw e;
        }
        timer = new ScheduledThreadPoolExecutor(1, GroupPools.daemon("isthmus-aio-timer"));
        timer.setRemoveOnCancelPolicy(true);
        poller = GroupPools.daemon("isthmus-aio-poller").newThread(this::pollLoop);
        poller.start();
    }

    @Override
    AsynchronousSocketChannel openSocket() throws IOException {
        return new EpollSocketChannel(provider(), this);
    }

    @Override
    AsynchronousServerSocketChannel openServerSocket() throws IOException {
        return new EpollServerSocketChannel(provider(), this);
    }

    // --- channels ------------------------------------------------------------------------------------

    /** Adds the channel's descriptor to the epoll set. */
    @Override
    void attach(AsyncGroup.Member am) throws IOException {
        Member m = (Member) am;
        members.put(m.fd(), m);
        try {
            ctl(ThreadIo.current(), epoll_h.EPOLL_CTL_ADD, m.fd(), EVENTS);
        } catch (IOException | RuntimeException e) {
            members.remove(m.fd(), m);
            throw e;
        }
    }

    /**
     * Removes a closing channel's descriptor. The channel calls it under its state lock, before the descriptor
     * can be closed, so that the epoll set never holds a number the kernel has handed out again; then it fails its
     * pending operations and calls {@link #closed}.
     */
    @Override
    void deregister(AsyncGroup.Member am) {
        Member m = (Member) am;
        synchronized (ctlEvent) {
            // An error (ENOENT: the ADD had failed) leaves nothing to undo.
            if (!released) {
                epoll_h.epoll_ctl(ThreadIo.current().state(), epfd, epoll_h.EPOLL_CTL_DEL, m.fd(), ctlEvent);
            }
            members.remove(m.fd(), m);
        }
        super.deregister(am);
    }

    private void ctl(ThreadIo io, int op, int fd, int ev) throws IOException {
        synchronized (ctlEvent) { // one shared epoll_event for ADD; the kernel copies it during the call
            if (released) {
                throw new ShutdownChannelGroupException();
            }
            epoll_event.events(ctlEvent, ev);
            epoll_event.data_u64(ctlEvent, fd);
            if (epoll_h.epoll_ctl(io.state(), epfd, op, fd, ctlEvent) != 0) {
                throw Errno.exception("epoll_ctl(ADD)", io.errno());
            }
        }
    }

    /** Arms a time-out on the timer thread. */
    ScheduledFuture<?> schedule(Runnable task, long nanos) {
        return timer.schedule(task, nanos, TimeUnit.NANOSECONDS);
    }

    // --- the poller ----------------------------------------------------------------------------------

    private void pollLoop() {
        ThreadIo io = ThreadIo.current();
        try {
            while (!stopPoller) {
                int n = epoll_h.epoll_wait(io.state(), epfd, events, MAX_EVENTS, -1);
                if (n < 0) {
                    int e = io.errno();
                    if (e == errno_h.EINTR) {
                        continue;
                    }
                    throw new IllegalStateException(Errno.exception("epoll_wait", e));
                }
                for (int i = 0; i < n; i++) {
                    int fd = (int) epoll_event.data_u64$at(events, i);
                    if (fd == wakeFd) {
                        eventfd_h.eventfd_read(io.state(), wakeFd, wakeValue);
                        continue;
                    }
                    // keyed by descriptor: an event read just before a close may reach the next channel given the
                    // same number, which then only retries a pending operation and meets EAGAIN
                    Member m = members.get(fd);
                    if (m != null) {
                        try {
                            m.onEvents(epoll_event.events$at(events, i));
                        } catch (RuntimeException | Error e) {
                            // a channel's bug must not stop every other channel of the group: report it, go on
                            Thread.currentThread().getUncaughtExceptionHandler().uncaughtException(Thread.currentThread(), e);
                        }
                    }
                }
            }
        } finally {
            synchronized (ctlEvent) {
                released = true;
                LinuxSocket.closeQuietly(io.state(), wakeFd);
                LinuxSocket.closeQuietly(io.state(), epfd);
            }
            arena.close();
            timer.shutdown();
            loopStopped();
        }
    }

    /** Stops the poller, which then releases the epoll set and shuts the pool down. */
    @Override
    void stopLoop() {
        stopPoller = true;
        eventfd_h.eventfd_write(ThreadIo.current().state(), wakeFd, 1L);
    }
}
