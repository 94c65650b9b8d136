package dev.isthmus.nio.channels;

import dev.isthmus.ffi.Errno;
import dev.isthmus.ffi.posix.epoll_event;
import dev.isthmus.ffi.posix.epoll_h;
import dev.isthmus.ffi.posix.errno_h;
import dev.isthmus.ffi.posix.poll_h;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;

/**
 * Where a virtual thread waits for a descriptor instead of blocking its carrier in poll(2): the thread
 * arms the descriptor in one shared epoll set with EPOLLONESHOT and parks; a daemon platform thread waits in
 * epoll_wait and unparks the threads waiting on each descriptor that fires (the JDK's own Poller works the
 * same way). A close or interrupt unparks the thread directly ({@link ThreadIo#wake()}). Every wake-up may
 * be spurious: callers retry their call and wait again.
 */
final class VirtualThreadPoller {
    private static final int MAX_EVENTS = 64;
    private static volatile VirtualThreadPoller instance;

    /** The threads waiting on one descriptor: one reading, one writing, as a channel's locks allow. */
    private static final class Waiters {
        volatile Thread reader;
        volatile Thread writer;
    }

    private final int epfd;
    private final ConcurrentHashMap<Integer, Waiters> waiting = new ConcurrentHashMap<>();

    private VirtualThreadPoller() throws IOException {
        ThreadIo io = ThreadIo.current();
        epfd = epoll_h.epoll_create1(io.state(), epoll_h.EPOLL_CLOEXEC);
        if (epfd < 0) {
            throw Errno.exception("epoll_create1", io.errno());
        }
        Thread t = Thread.ofPlatform().daemon().name("isthmus-nio-virtual-thread-poller").unstarted(this::run);
        t.start();
    }

    static VirtualThreadPoller get() throws IOException {
        VirtualThreadPoller p = instance;
        if (p == null) {
            synchronized (VirtualThreadPoller.class) {
                p = instance;
                if (p == null) {
                    instance = p = new VirtualThreadPoller();
                }
            }
        }
        return p;
    }

    /**
     * Parks the current (virtual) thread until {@code fd} may have {@code pollEvents} (POLLIN/POLLOUT), it
     * is unparked, or {@code timeoutMs} passes (-1: no limit). Returns false only for a zero time-out.
     */
    boolean await(ThreadIo io, int fd, int pollEvents, int timeoutMs) throws IOException {
        if (timeoutMs == 0) {
            return false;
        }
        boolean write = (pollEvents & poll_h.POLLOUT) != 0;
        Waiters w = waiting.computeIfAbsent(fd, k -> new Waiters());
        Thread me = Thread.currentThread();
        if (write) {
            w.writer = me;
        } else {
            w.reader = me;
        }
        try {
            arm(io, fd, w);
            if (timeoutMs < 0) {
                LockSupport.park(this);
            } else {
                LockSupport.parkNanos(this, timeoutMs * 1_000_000L);
            }
        } finally {
            if (write) {
                w.writer = null;
            } else {
                w.reader = null;
            }
        }
        return true;
    }

    /** EPOLL_CTL_MOD, or ADD the first time this descriptor number is seen (or after it was closed). */
    private void arm(ThreadIo io, int fd, Waiters w) throws IOException {
        int ev = epoll_h.EPOLLONESHOT
                | (w.reader != null ? epoll_h.EPOLLIN | epoll_h.EPOLLRDHUP : 0)
                | (w.writer != null ? epoll_h.EPOLLOUT : 0);
        MemorySegment e = io.scratch.value;
        epoll_event.events(e, ev);
        epoll_event.data_u64(e, fd);
        if (epoll_h.epoll_ctl(io.state(), epfd, epoll_h.EPOLL_CTL_MOD, fd, e) == 0) {
            return;
        }
        if (io.errno() != errno_h.ENOENT) {
            throw Errno.exception("epoll_ctl(MOD)", io.errno());
        }
        if (epoll_h.epoll_ctl(io.state(), epfd, epoll_h.EPOLL_CTL_ADD, fd, e) == 0) {
            return;
        }
        if (io.errno() != errno_h.EEXIST || epoll_h.epoll_ctl(io.state(), epfd, epoll_h.EPOLL_CTL_MOD, fd, e) != 0) {
            throw Errno.exception("epoll_ctl(ADD)", io.errno());
        }
    }

    private void run() {
        ThreadIo io = ThreadIo.current();
        MemorySegment events = epoll_event.allocateArray(MAX_EVENTS, Arena.global());
        while (true) {
            int n = epoll_h.epoll_wait(io.state(), epfd, events, MAX_EVENTS, -1);
            for (int i = 0; i < n; i++) {
                Waiters w = waiting.get((int) epoll_event.data_u64$at(events, i));
                if (w != null) {
                    Thread r = w.reader;
                    Thread wr = w.writer;
                    if (r != null) {
                        LockSupport.unpark(r);
                    }
                    if (wr != null) {
                        LockSupport.unpark(wr);
                    }
                }
            }
        }
    }
}
