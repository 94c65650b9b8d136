package dev.isthmus.nio.channels;

import java.io.IOException;
import java.nio.channels.AsynchronousChannelGroup;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.AsynchronousServerSocketChannel;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.ShutdownChannelGroupException;
import java.nio.channels.spi.AsynchronousChannelProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * What every channel group of this provider does, whatever its kernel interface ({@link EpollChannelGroup},
 * {@link UringChannelGroup}): how handlers run, the channel count, shutdown and termination.
 *
 * <p>Threads, as the class documentation of AsynchronousChannelGroup describes them:
 * <ul>
 * <li>The pool ({@link #executor}, see {@link GroupPools}) runs the completion handlers: a fixed pool of threads
 *     from the caller's factory ({@code withFixedThreadPool}), or the caller's executor ({@code withCachedThreadPool},
 *     {@code withThreadPool}). A handler runs on a pool thread, never on the thread of a caller outside the group.
 * <li>An operation initiated on a pool thread that completes at once runs its handler directly on that thread,
 *     at most {@link #MAX_DIRECT_INVOKES} deep (the JDK's default for {@code sun.nio.ch.maxCompletionHandlersOnStack}),
 *     so that a handler that keeps reading cannot overflow the stack. A pool thread is one that has run a task of
 *     this group ({@link #execute}) and stays one afterwards, also while it runs the executor's other tasks: a
 *     server that hands its own work to the same executor (Tomcat's NIO2 connector does) then gets its writes'
 *     handlers run inline, as the JDK's implementation, which binds a pooled thread to its group the same way, does.
 * <li>The subclass's internal daemon threads (an event loop, a timer) never run application code.
 * </ul>
 *
 * <p>Shutdown: {@link #shutdown()} refuses new channels; the group terminates when its last channel is closed: the
 * subclass's loop stops ({@link #stopLoop}) and releases its kernel objects, then calls {@link #loopStopped}, which
 * shuts the pool down after it has run the handlers already handed to it. {@link #shutdownNow()} closes every channel
 * first.
 */
abstract class AsyncGroup extends AsynchronousChannelGroup {
    /** Handlers run directly on one pool thread's stack before the next one is handed to the pool. */
    static final int MAX_DIRECT_INVOKES = 16;

    /** The group (if any) whose pool the current thread belongs to, and how many handlers deep it is. */
    private static final class Context {
        AsyncGroup group;
        int depth;
    }

    private static final ThreadLocal<Context> CONTEXT = ThreadLocal.withInitial(Context::new);

    /** A channel of the group, as the group sees it. */
    interface Member {
        /** Closes the channel ({@link #shutdownNow}). */
        void close() throws IOException;
    }

    private final ExecutorService executor;
    private final Set<Member> members = ConcurrentHashMap.newKeySet();
    private final CountDownLatch loopDone = new CountDownLatch(1);
    private final Object stateLock = new Object();
    private boolean shutdown;
    /** Channels registered and not yet through {@link #closed}. */
    private int live;
    private boolean terminating;

    AsyncGroup(AsynchronousChannelProvider provider, ExecutorService executor) {
        super(provider);
        this.executor = executor;
    }

    /** A new unconnected socket channel of this group. */
    abstract AsynchronousSocketChannel openSocket() throws IOException;

    /** A new listening channel of this group. */
    abstract AsynchronousServerSocketChannel openServerSocket() throws IOException;

    /** Adds a registered channel to the kernel side (epoll_ctl ADD, or nothing); may fail. */
    abstract void attach(Member m) throws IOException;

    /** Tells the loop to stop; it then releases its kernel objects and calls {@link #loopStopped}. Called once. */
    abstract void stopLoop();

    /** The loop has stopped and released what it held: the pool shuts down once it has run what it was given. */
    final void loopStopped() {
        executor.shutdown();
        loopDone.countDown();
    }

    // --- channels ------------------------------------------------------------------------------------

    /** Adds a new channel; fails with ShutdownChannelGroupException once the group is shut down. */
    final void register(Member m) throws IOException {
        synchronized (stateLock) {
            if (shutdown) {
                throw new ShutdownChannelGroupException();
            }
            members.add(m);
            live++;
        }
        try {
            attach(m);
        } catch (IOException | RuntimeException e) { // RuntimeException: ShutdownChannelGroupException from attach
            members.remove(m);
            closed();
            throw e;
        }
    }

    /** A channel is closing: {@link #shutdownNow} no longer needs to close it. */
    void deregister(Member m) {
        members.remove(m);
    }

    /**
     * A channel has closed and handed its last handlers to the pool: a shut-down group may now terminate. Counted,
     * not read from the member set: a channel leaves the set before it has failed its pending operations, and the
     * pool must still take those handlers.
     */
    final void closed() {
        boolean last;
        synchronized (stateLock) {
            live--;
            last = shutdown && live == 0;
        }
        if (last) {
            terminate();
        }
    }

    // --- completion ----------------------------------------------------------------------------------

    /**
     * Ends {@code r} with {@code value} or {@code failure}. Without a handler that only completes the Future. With
     * one, the handler runs directly when {@code mayRunHere} (the operation completed within the initiating call)
     * and this thread is running a task of this group less than {@link #MAX_DIRECT_INVOKES} handlers deep;
     * otherwise a pool thread runs it.
     */
    final <V, A> void finish(AsyncResult<V, A> r, V value, Throwable failure, boolean mayRunHere) {
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
    final void failClosed(AsyncResult<?, ?> r) {
        if (r != null) {
            finish(r, null, new AsynchronousCloseException(), false);
        }
    }

    /**
     * Runs {@code task} on a pool thread, which is marked as this group's from then on, so that the operations it
     * starts, in this task or in a later one the executor gives it, may complete directly (see the class comment).
     */
    final void execute(Runnable task) {
        executor.execute(() -> {
            Context c = CONTEXT.get();
            int outerDepth = c.depth;
            c.group = this;
            c.depth = 0;
            try {
                task.run();
            } finally {
                c.depth = outerDepth;
            }
        });
    }

    /** Stops the loop, which then releases its kernel objects and shuts the pool down. Runs once. */
    private void terminate() {
        synchronized (stateLock) {
            if (terminating) {
                return;
            }
            terminating = true;
        }
        stopLoop();
    }

    // --- AsynchronousChannelGroup ----------------------------------------------------------------------

    @Override
    public final boolean isShutdown() {
        synchronized (stateLock) {
            return shutdown;
        }
    }

    @Override
    public final boolean isTerminated() {
        return loopDone.getCount() == 0 && executor.isTerminated();
    }

    @Override
    public final void shutdown() {
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
    public final void shutdownNow() throws IOException {
        synchronized (stateLock) {
            shutdown = true;
        }
        List<Member> open = new ArrayList<>(members);
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
    public final boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        if (!loopDone.await(timeout, unit)) {
            return false;
        }
        return executor.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    }
}
