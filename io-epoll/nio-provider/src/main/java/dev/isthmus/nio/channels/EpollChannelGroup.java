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
import java.nio.channels.AsynchronousChannelGroup;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ShutdownChannelGroupException;
import java.nio.channels.spi.AsynchronousChannelProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * An {@link AsynchronousChannelGroup} on one edge-triggered epoll set. Every channel of the group is added once,
 * {@code EPOLLIN|EPOLLOUT|EPOLLRDHUP|EPOLLET}, and never modified: an initiating call tries its system call at
 * once and leaves the operation pending only when it meets EAGAIN; the group's poller thread retries the pending
 * operation when epoll reports the next edge (epoll(7): with EPOLLET, wait only after EAGAIN).
 *
 * <p>Threads, as the class documentation of AsynchronousChannelGroup describes them:
 * <ul>
 * <li>The pool ({@link #executor}) runs the completion handlers: a fixed pool of threads from the caller's
 *     factory ({@code withFixedThreadPool}), or the caller's executor ({@code withCachedThreadPool},
 *     {@code withThreadPool}). A handler runs on a pool thread, never on the thread of a caller outside the group.
 * <li>An operation initiated on a pool thread that completes at once runs its handler directly on that thread,
 *     at most {@link #MAX_DIRECT_INVOKES} deep (the JDK's default for {@code sun.nio.ch.maxCompletionHandlersOnStack}),
 *     so that a handler that keeps reading cannot overflow the stack.
 * <li>Two internal daemon threads serve the group: the poller (epoll_wait, the retried system calls) and the
 *     timer (operation time-outs). Neither runs application code.
 * </ul>
 *
 * <p>Shutdown: {@link #shutdown()} refuses new channels; the group terminates when its last channel is closed:
 * the poller stops and closes the epoll set and its eventfd, the timer stops, and the pool is shut down after it
 * has run the handlers already handed to it. {@link #shutdownNow()} closes every channel first.
 */
final class EpollChannelGroup extends AsynchronousChannelGroup {
    /** Handlers run directly on one pool thread's stack before the next one is handed to the pool. */
    static final int MAX_DIRECT_INVOKES = 16;
    private static final int MAX_EVENTS = 256;
    private static final int EVENTS = epoll_h.EPOLLIN | epoll_h.EPOLLOUT | epoll_h.EPOLLRDHUP | epoll_h.EPOLLET;

    /** The group (if any) whose task the current thread is running, and how many handlers deep it is. */
    private static final class Context {
        EpollChannelGroup group;
        int depth;
    }

    private static final ThreadLocal<Context> CONTEXT = ThreadLocal.withInitial(Context::new);

    /** What the poller calls for an edge of a registered descriptor. */
    interface Member {
        int fd();

        /** The epoll events of one edge; runs on the poller thread. */
        void onEvents(int events);

        /** Closes the channel ({@link #shutdownNow}). */
        void close() throws IOException;
    }

    private final ExecutorService executor;
    private final int epfd;
    private final int wakeFd;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment events;
    private final MemorySegment ctlEvent;
    private final MemorySegment wakeValue;
    private final ConcurrentHashMap<Integer, Member> members = new ConcurrentHashMap<>();
    private final ScheduledThreadPoolExecutor timer;
    private final Thread poller;
    private final CountDownLatch pollerDone = new CountDownLatch(1);
    private final Object stateLock = new Object();
    private boolean shutdown;
    /** Channels registered and not yet through {@link #closed}. */
    private int live;
    private boolean terminating;
    private volatile boolean stopPoller;
    /** The epoll set and eventfd are closed (under the ctlEvent lock). */
    private boolean released;

    private EpollChannelGroup(AsynchronousChannelProvider provider, ExecutorService executor) throws IOException {
        super(provider);
        this.executor = executor;
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
        timer = new ScheduledThreadPoolExecutor(1, daemon("isthmus-aio-timer"));
        timer.setRemoveOnCancelPolicy(true);
        poller = daemon("isthmus-aio-poller").newThread(this::pollLoop);
        poller.start();
    }

    /** {@code withFixedThreadPool}: {@code nThreads} threads from {@code factory} run the handlers. */
    static EpollChannelGroup fixed(AsynchronousChannelProvider provider, int nThreads, ThreadFactory factory) throws IOException {
        if (nThreads <= 0) {
            throw new IllegalArgumentException("'nThreads' must be > 0");
        }
        if (factory == null) {
            throw new NullPointerException("threadFactory");
        }
        ThreadPoolExecutor pool = new ThreadPoolExecutor(nThreads, nThreads, 0L, TimeUnit.MILLISECONDS,
                new LinkedBlockingQueue<>(), factory);
        return new EpollChannelGroup(provider, pool);
    }

    /** {@code withCachedThreadPool} and {@code withThreadPool}: the caller's executor runs the handlers. */
    static EpollChannelGroup onExecutor(AsynchronousChannelProvider provider, ExecutorService executor) throws IOException {
        if (executor == null) {
            throw new NullPointerException("executor");
        }
        return new EpollChannelGroup(provider, executor);
    }

    /**
     * The default group: a cached pool of daemon threads, or of threads from the factory named by the JDK's
     * {@code java.nio.channels.DefaultThreadPool.threadFactory} property. It never shuts down.
     */
    static EpollChannelGroup defaultGroup(AsynchronousChannelProvider provider) throws IOException {
        ThreadFactory factory = daemon("isthmus-aio-default");
        String name = System.getProperty("java.nio.channels.DefaultThreadPool.threadFactory");
        if (name != null) {
            try {
                Class<?> c = Class.forName(name, true, ClassLoader.getSystemClassLoader());
                factory = (ThreadFactory) c.getConstructor().newInstance();
            } catch (ReflectiveOperationException | ClassCastException e) {
                throw new Error("java.nio.channels.DefaultThreadPool.threadFactory=" + name + ": " + e, e);
            }
        }
        ThreadPoolExecutor pool = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60L, TimeUnit.SECONDS,
                new java.util.concurrent.SynchronousQueue<>(), factory);
        return new EpollChannelGroup(provider, pool);
    }

    private static ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    // --- channels ------------------------------------------------------------------------------------

    /** Adds a new channel's descriptor; fails with ShutdownChannelGroupException once the group is shut down. */
    void register(Member m) throws IOException {
        synchronized (stateLock) {
            if (shutdown) {
                throw new ShutdownChannelGroupException();
            }
            members.put(m.fd(), m);
            live++;
        }
        try {
            ctl(ThreadIo.current(), epoll_h.EPOLL_CTL_ADD, m.fd(), EVENTS);
        } catch (IOException | RuntimeException e) { // RuntimeException: ShutdownChannelGroupException from ctl
            members.remove(m.fd(), m);
            closed();
            throw e;
        }
    }

    /**
     * Removes a closing channel's descriptor. The channel calls it under its state lock, before the descriptor
     * can be closed, so that the epoll set never holds a number the kernel has handed out again; then it fails its
     * pending operations and calls {@link #closed}.
     */
    void deregister(Member m) {
        synchronized (ctlEvent) {
            // DEL before the member leaves the map: the group terminates (and releases the epoll set) only once
            // the map is empty. An error (ENOENT: the ADD had failed) leaves nothing to undo.
            if (!released) {
                epoll_h.epoll_ctl(ThreadIo.current().state(), epfd, epoll_h.EPOLL_CTL_DEL, m.fd(), ctlEvent);
            }
            members.remove(m.fd(), m);
        }
    }

    /**
     * A channel has closed and handed its last handlers to the pool: a shut-down group may now terminate. Counted,
     * not read from the member map: a channel leaves the map before it has failed its pending operations, and the
     * pool must still take those handlers.
     */
    void closed() {
        boolean last;
        synchronized (stateLock) {
            live--;
            last = shutdown && live == 0;
        }
        if (last) {
            terminate();
        }
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

    // --- completion ----------------------------------------------------------------------------------

    /**
     * Ends {@code r} with {@code value} or {@code failure}. Without a handler that only completes the Future. With
     * one, the handler runs directly when {@code mayRunHere} (the operation completed within the initiating call)
     * and this thread is running a task of this group less than {@link #MAX_DIRECT_INVOKES} handlers deep;
     * otherwise a pool thread runs it.
     */
    <V, A> void finish(AsyncResult<V, A> r, V value, Throwable failure, boolean mayRunHere) {
        if (!r.set(value, failure) || r.handler == null) {
            return;
        }
        Context c = CONTEXT.get();
        if (mayRunHere && c.group == this && c.depth < MAX_DIRECT_INVOKES) {
            c.depth++;
            try {
                r.run();
            } finally {
                c.depth--;
            }
            return;
        }
        execute(r);
    }

    /** Fails an operation that a closing channel found pending (none if null) with AsynchronousCloseException, on a pool thread. */
    void failClosed(AsyncResult<?, ?> r) {
        if (r != null) {
            finish(r, null, new AsynchronousCloseException(), false);
        }
    }

    /** Runs {@code task} on a pool thread, marked as this group's so that its own completions may run directly. */
    void execute(Runnable task) {
        executor.execute(() -> {
            Context c = CONTEXT.get();
            EpollChannelGroup outer = c.group;
            int outerDepth = c.depth;
            c.group = this;
            c.depth = 0;
            try {
                task.run();
            } finally {
                c.group = outer;
                c.depth = outerDepth;
            }
        });
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
            executor.shutdown();
            pollerDone.countDown();
        }
    }

    /** Stops the poller, which then releases the epoll set and shuts the pool down. Runs once. */
    private void terminate() {
        synchronized (stateLock) {
            if (terminating) {
                return;
            }
            terminating = true;
        }
        stopPoller = true;
        eventfd_h.eventfd_write(ThreadIo.current().state(), wakeFd, 1L);
    }

    // --- AsynchronousChannelGroup ----------------------------------------------------------------------

    @Override
    public boolean isShutdown() {
        synchronized (stateLock) {
            return shutdown;
        }
    }

    @Override
    public boolean isTerminated() {
        return pollerDone.getCount() == 0 && executor.isTerminated();
    }

    @Override
    public void shutdown() {
        boolean empty;
        synchronized (stateLock) {
            shutdown = true;
            empty = live == 0;
        }
        if (empty) {
            terminate();
        }
    }

    @Override
    public void shutdownNow() throws IOException {
        synchronized (stateLock) {
            shutdown = true;
        }
        List<Member> open = new ArrayList<>(members.values());
        for (Member m : open) {
            try {
                m.close();
            } catch (IOException ignored) {
                // close of a socket fails only for EBADF/EINTR, neither of which leaves the descriptor open
            }
        }
        // the last channel's close terminates the group; with none open, nothing else would
        boolean empty;
        synchronized (stateLock) {
            empty = live == 0;
        }
        if (empty) {
            terminate();
        }
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        if (!pollerDone.await(timeout, unit)) {
            return false;
        }
        return executor.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    }
}
