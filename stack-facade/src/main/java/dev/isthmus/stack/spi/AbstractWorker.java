package dev.isthmus.stack.spi;

import dev.isthmus.stack.Cancellable;
import dev.isthmus.stack.NetworkStack;
import dev.isthmus.stack.StackOptions;
import dev.isthmus.stack.Worker;
import dev.isthmus.stack.WorkerStats;
import dev.isthmus.stack.buffer.BufferPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The part of a worker that every backend shares: the thread, its {@link Arena} and {@link BufferPool},
 * the task queue behind {@link #execute}, the timers, the live-connection registry, the counters and the
 * event loop. A backend supplies only its poller:
 * <ul>
 *   <li>{@link #onStart()}: create the poller (epoll fd, ring, selector) on the worker thread;</li>
 *   <li>{@link #poll(long)}: wait for and handle I/O events, at most the given time;</li>
 *   <li>{@link #wakeup()}: make a blocked {@code poll} return (eventfd write, MSG_RING, Selector.wakeup);</li>
 *   <li>{@link #onStop()}: close the poller, on the worker thread, after every connection is closed;</li>
 *   <li>{@link #pinToCpu(int)}: optional, for stacks with {@link dev.isthmus.stack.Capability#WORKER_PINNING}.</li>
 * </ul>
 * and may choose what the shared parts are made of:
 * <ul>
 *   <li>{@link #newIdleStrategy()}: how an idle worker waits (default: spin for {@link StackOptions#spin()},
 *       then block in {@code poll}; a poller that never sleeps in the kernel takes a {@link BackoffIdle});</li>
 *   <li>{@link #newBufferPool(Arena)}: the pool connections read into and write from;</li>
 *   <li>{@link #registerCounter(String)}: counters of its own beside the common {@link WorkerStats};</li>
 *   <li>{@link #drained()}: protocol state that must finish before the worker stops (FIN, TIME_WAIT).</li>
 * </ul>
 *
 * <h2>Loop</h2>
 * {@code while (running) { runTasks(); expireTimers(); if (idle.idle(work)) poll(timeout) else poll(0); }}:
 * the timeout is 0 while tasks are queued, else the time to the next occupied slot of the
 * {@link TimerWheel} (or -1: none armed). The {@link IdleStrategy} decides, after each turn, whether the
 * worker waits in the poller, keeps polling, or parks its thread itself.
 *
 * <h2>Wakeups</h2>
 * Before it blocks, the worker sets {@code sleeping} (a volatile store) and then checks the task queue
 * again; {@code execute} offers its task (a volatile CAS in the queue) and then reads {@code sleeping}.
 * Both sides are sequentially consistent, so either the worker sees the task or the producer sees the
 * flag; only the producer that clears the flag wakes the worker ({@link #wakeup()} for a wait in the
 * poller, {@code LockSupport.unpark} for an idle strategy's park), so a burst of tasks costs one
 * wakeup. A spurious wakeup (the flag was seen just as the worker woke up anyway) only makes the next
 * {@code poll} return at once.
 *
 * <h2>Counters</h2>
 * Written only by the worker thread with {@code setOpaque} and read by {@link #stats()} with
 * {@code getOpaque}: no tearing and no fence on the hot path; a snapshot from another thread may mix
 * values from a few moments apart. The backend's own counters ({@link #registerCounter}) work the same
 * way, by index, and are read through {@link #counters()}.
 */
public abstract class AbstractWorker implements Worker, IdleStrategy.Parker {
    private static final Logger LOG = LoggerFactory.getLogger(AbstractWorker.class);
    /** Other threads' tasks taken per loop turn at most, so a flood of execute() calls cannot starve I/O. */
    private static final int MAX_TASKS_PER_TURN = 4096;
    /** Tasks queued by the tasks of a turn that still run in it; the rest wait for the next turn. */
    static final int MAX_REQUEUED_PER_TURN = 64;
    private static final VarHandle SLEEPING;
    private static final VarHandle LONG_COUNTER;
    private static final VarHandle HANDOFFS;
    private static final int NEW = 0;
    private static final int RUNNING = 1;
    private static final int STOPPED = 2;
    /** Values of {@code sleeping}: awake, waiting in {@link #poll}, parked by the idle strategy. */
    private static final int AWAKE = 0;
    private static final int IN_POLL = 1;
    private static final int PARKED = 2;
    /** How long close waits beyond its deadline for a worker stuck in a callback before aborting anyway. */
    private static final long STUCK_GRACE_NANOS = 100_000_000L;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            SLEEPING = l.findVarHandle(AbstractWorker.class, "sleeping", int.class);
            LONG_COUNTER = MethodHandles.arrayElementVarHandle(long[].class);
            HANDOFFS = l.findVarHandle(AbstractWorker.class, "handoffs", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    // Indexes into counters[].
    private static final int C_CONNECTIONS = 0;
    private static final int C_ACCEPTED = 1;
    private static final int C_BYTES_READ = 2;
    private static final int C_BYTES_WRITTEN = 3;
    private static final int C_READS = 4;
    private static final int C_WRITES = 5;
    private static final int C_SYSCALLS = 6;
    private static final int C_WAKEUPS = 7;
    private static final int C_LOOP_TURNS = 8;
    private static final int C_POLLS = 9;
    private static final int C_POLL_EVENTS = 10;

    private final AbstractNetworkStack stack;
    private final int index;
    private final StackOptions options;
    private final Thread thread;
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    /**
     * The tasks of this turn and the next, in order: the worker's own go here directly (no CAS, no queue
     * node per task), other threads' are moved here from {@link #tasks} at the start of a turn. A task that
     * re-queues itself (a pacing loop) gets at most {@link #MAX_REQUEUED_PER_TURN} runs between two polls of
     * the device (it once got 4096, and a load generator read its echoes 32 per 250 µs).
     */
    private final ArrayDeque<Runnable> ownTasks = new ArrayDeque<>(64);
    private final TimerWheel timers = new TimerWheel();
    private final BackendCounters backendCounters = new BackendCounters();
    private final CompletableFuture<Void> started = new CompletableFuture<>();
    private final long[] counters = new long[11];
    /** The counters at this worker's last JFR event; JFR's periodic thread only. */
    private WorkerEvents.Last jfrLast = WorkerEvents.Last.ZERO;
    private final List<AutoCloseable> resources = new ArrayList<>();
    private AbstractConnection[] connections = new AbstractConnection[16];
    private int connectionCount;
    private volatile int state = NEW;
    private volatile boolean running = true;
    @SuppressWarnings("unused") // SLEEPING
    private volatile int sleeping;
    @SuppressWarnings("unused") // HANDOFFS
    private volatile int handoffs;
    private Arena arena;
    private BufferPool pool;
    private IdleStrategy idle;
    /** Stack close: connections were asked to close; waiting for them and for {@link #drained()}. */
    private boolean draining;
    private volatile boolean drainDone;
    private Timeout drainDeadline;
    /** The worker parked ({@link #park}) and no turn has found work since. */
    private boolean parkedSinceWork;
    /** What the last {@link #poll} handled: the next turn's work, for the idle strategy. */
    private int lastPollEvents;

    /** Worker {@code index} (0 .. workers-1) of {@code stack}; its thread starts only in {@code start()}. */
    @SuppressWarnings("this-escape") // the thread only starts in start(), after construction
    protected AbstractWorker(AbstractNetworkStack stack, int index) {
        this.stack = Objects.requireNonNull(stack, "stack");
        this.index = index;
        this.options = stack.options();
        this.thread = new Thread(this::run, "isthmus-" + stack.name() + "-worker-" + index);
        timers.owner(thread);
    }

    // ---- backend hooks -------------------------------------------------------------------------

    /** Creates the poller; runs on the worker thread after the arena and pool exist. A throw fails the stack's open. */
    protected void onStart() throws IOException {
    }

    /**
     * Waits up to {@code timeoutNanos} for I/O events (0: do not block; -1: no limit) and handles them;
     * returns how many were handled. Must return soon after {@link #wakeup()}.
     */
    protected abstract int poll(long timeoutNanos) throws IOException;

    /** Makes a blocked {@link #poll} return; called from any thread. */
    protected abstract void wakeup();

    /** Closes the poller; on the worker thread, after connections and resources are closed, before the arena is. */
    protected void onStop() {
    }

    /** Pins the worker thread to {@code cpu}; only stacks with WORKER_PINNING override this. */
    protected void pinToCpu(int cpu) throws IOException {
        throw new UnsupportedOperationException("stack " + stack.name() + " cannot pin workers");
    }

    /**
     * How this worker idles; called once, on the worker thread, before {@link #onStart()}. The default
     * suits a poller that sleeps in the kernel: spin for {@link StackOptions#spin()}, then block in
     * {@link #poll}. A poller that never sleeps in the kernel returns a {@link BackoffIdle}; its
     * {@link #wakeup()} then has nothing to do (the worker unparks the thread itself).
     */
    protected IdleStrategy newIdleStrategy() {
        return IdleStrategy.spinThenBlock(options.spin());
    }

    /**
     * The buffer pool connections read into and write from; called once, on the worker thread, with the
     * worker's arena. Default: {@link StackOptions#bufferSize()} buffers, at most {@code buffers.max}
     * (a backend property, default 65536).
     */
    protected BufferPool newBufferPool(Arena arena) {
        return new BufferPool(arena, options.bufferSize(), (int) options.longProperty("buffers.max", 1 << 16));
    }

    /**
     * Stack close: whether the backend's protocol state has finished, once every connection is closed
     * (a userspace TCP's FIN exchange and TIME_WAIT, its pending retransmissions). Called on the worker
     * thread on every loop turn of the close until it says true, or until {@code closeDrainTimeout}
     * passes ({@link #drainAbandoned()}). Kernel stacks have nothing to drain: the kernel keeps TIME_WAIT.
     */
    protected boolean drained() {
        return true;
    }

    /** Stack close: the drain deadline passed before {@link #drained()} said true; drop what is left. */
    protected void drainAbandoned() {
    }

    // ---- Worker --------------------------------------------------------------------------------

    @Override
    public final int index() {
        return index;
    }

    @Override
    public final NetworkStack stack() {
        return stack;
    }

    /** The stack, with its SPI type. */
    public final AbstractNetworkStack networkStack() {
        return stack;
    }

    @Override
    public final boolean inWorkerThread() {
        return Thread.currentThread() == thread;
    }

    /** Throws unless called on this worker's thread; {@code what} names the caller for the message. */
    public final void checkInWorkerThread(String what) {
        if (Thread.currentThread() != thread) {
            throw new IllegalStateException(what + " must be called on worker " + index + "'s thread ("
                    + thread.getName() + "), not on " + Thread.currentThread().getName());
        }
    }

    @Override
    public final void execute(Runnable task) {
        Objects.requireNonNull(task, "task");
        if (state == STOPPED) {
            throw new RejectedExecutionException("stack " + stack.name() + " is closed: worker " + index + " has stopped");
        }
        if (Thread.currentThread() == thread) {
            ownTasks.offer(task);
            return;
        }
        tasks.offer(task);
        int s = (int) SLEEPING.getVolatile(this);
        if (s != AWAKE && SLEEPING.compareAndSet(this, s, AWAKE)) {
            if (s == PARKED) {
                LockSupport.unpark(thread);
            } else {
                wakeup();
            }
        }
    }

    @Override
    public final Cancellable schedule(Runnable task, long delay, TimeUnit unit) {
        Objects.requireNonNull(unit, "unit");
        if (delay < 0) {
            throw new IllegalArgumentException("delay must not be negative, was " + delay);
        }
        Objects.requireNonNull(task, "task");
        ScheduledTask t = new ScheduledTask(timers, task, thread);
        long deadline = System.nanoTime() + Math.min(unit.toNanos(delay), TimerWheel.MAX_DELAY_NANOS);
        if (inWorkerThread()) {
            t.armAt(deadline);
        } else {
            execute(() -> t.armAt(deadline));
        }
        return t;
    }

    /** The counters the backend registered ({@link #registerCounter}), by name; any thread. */
    @Override
    public final java.util.Map<String, Long> counters() {
        return backendCounters.snapshot();
    }

    @Override
    public final WorkerStats stats() {
        return new WorkerStats(counter(C_CONNECTIONS), counter(C_ACCEPTED), counter(C_BYTES_READ),
                counter(C_BYTES_WRITTEN), counter(C_READS), counter(C_WRITES), counter(C_SYSCALLS),
                counter(C_WAKEUPS), counter(C_LOOP_TURNS), buffersLent());
    }

    /** Calls of {@link #poll} so far, from any thread (for the JFR event). */
    final long pollCount() {
        return counter(C_POLLS);
    }

    /** Events that {@link #poll} reported handled so far, from any thread (for the JFR event). */
    final long pollEventCount() {
        return counter(C_POLL_EVENTS);
    }

    final WorkerEvents.Last jfrLast() {
        return jfrLast;
    }

    final void jfrLast(WorkerEvents.Last last) {
        jfrLast = last;
    }

    /** The pool's lent buffers, from any thread; 0 before the worker has made its pool. */
    private long buffersLent() {
        BufferPool p = pool;
        return p == null ? 0 : p.lent();
    }

    // ---- what backends use ---------------------------------------------------------------------

    /** Returns the stack's options. */
    public final StackOptions options() {
        return options;
    }

    /** The worker's arena: confined to the worker thread, closed when the worker stops. */
    public final Arena arena() {
        return arena;
    }

    /** The worker's buffer pool (worker thread only). */
    public final BufferPool bufferPool() {
        return pool;
    }

    /** The worker's timer wheel (worker thread only). */
    public final TimerWheel timers() {
        return timers;
    }

    /**
     * A re-armable timer on this worker's wheel that runs {@code action} on the worker thread: made once
     * (per connection, per listener), armed and cancelled without allocating. Worker thread only.
     */
    public final Timeout newTimeout(Runnable action) {
        return timers.newTimeout(action);
    }

    /**
     * Adds a counter of the backend's own, reported by {@link #counters()} under {@code name}; returns the
     * index to pass to {@link #count(int, long)}. Only in the constructor or {@link #onStart()}.
     */
    protected final int registerCounter(String name) {
        return backendCounters.register(name);
    }

    /** The value of backend counter {@code counter} ({@link #registerCounter}); any thread. */
    protected final long counterValue(int counter) {
        return backendCounters.get(counter);
    }

    /** Adds {@code delta} to the backend counter {@code counter}; worker thread only, no fence. */
    protected final void count(int counter, long delta) {
        backendCounters.add(counter, delta);
    }

    /** The idle strategy chosen by {@link #newIdleStrategy()} (worker thread). */
    public final IdleStrategy idleStrategy() {
        return idle;
    }

    /** Live connections, readable from any thread (for accept distribution). */
    public final long connectionCount() {
        return counter(C_CONNECTIONS);
    }

    /** Connections handed to this worker by an acceptor and not yet registered, from any thread. */
    public final int handoffsInFlight() {
        return (int) HANDOFFS.getVolatile(this);
    }

    /** An acceptor on another thread is about to hand a connection here (see {@link #handoffArrived()}). */
    public final void handoffStarted() {
        HANDOFFS.getAndAdd(this, 1);
    }

    /** A handed-off connection arrived (registered or failed). */
    public final void handoffArrived() {
        HANDOFFS.getAndAdd(this, -1);
    }

    /** Counts one accepted connection. */
    public final void countAccepted() {
        add(C_ACCEPTED, 1);
    }

    /** One read that returned {@code bytes} (0 for EOF or EAGAIN still counts as a read call). */
    public final void countRead(long bytes) {
        add(C_READS, 1);
        add(C_BYTES_READ, bytes);
    }

    /** Counts one write of which the kernel took {@code bytes} bytes. */
    public final void countWrite(long bytes) {
        add(C_WRITES, 1);
        add(C_BYTES_WRITTEN, bytes);
    }

    /** Counts {@code n} system calls (or io_uring submissions) the worker thread just made. */
    public final void countSyscalls(int n) {
        add(C_SYSCALLS, n);
    }

    /**
     * Adds a resource (a UDP socket, a pending connect, a listening socket) that the worker closes when it
     * stops, if nobody did before. Worker thread only.
     */
    public final void registerResource(AutoCloseable r) {
        resources.add(r);
    }

    /** Forgets {@code r}, a resource its owner closed, so that the worker does not close it again. */
    public final void unregisterResource(AutoCloseable r) {
        resources.remove(r);
    }

    // ---- connection registry (package-private, used by AbstractConnection) ---------------------

    final void register(AbstractConnection c) {
        if (connectionCount == connections.length) {
            connections = Arrays.copyOf(connections, connectionCount * 2);
        }
        c.registryIndex = connectionCount;
        connections[connectionCount++] = c;
        add(C_CONNECTIONS, 1);
    }

    final void unregister(AbstractConnection c) {
        int i = c.registryIndex;
        if (i < 0 || i >= connectionCount || connections[i] != c) {
            return;
        }
        AbstractConnection last = connections[--connectionCount];
        connections[i] = last;
        last.registryIndex = i;
        connections[connectionCount] = null;
        c.registryIndex = -1;
        add(C_CONNECTIONS, -1);
    }

    private AbstractConnection[] snapshotConnections() {
        return Arrays.copyOf(connections, connectionCount);
    }

    /**
     * Stack close, step 1 (worker thread): close every connection gracefully and every resource now, then
     * drain until no connection is left and {@link #drained()} says true, or until {@code deadlineNanos},
     * when a timer on the worker's wheel closes what is left ({@link #drainDone()} turns true either way).
     */
    final void beginGracefulClose(long deadlineNanos) {
        for (AbstractConnection c : snapshotConnections()) {
            c.close();
        }
        closeResources();
        draining = true;
        drainDeadline = timers.newTimeout(this::drainTimedOut);
        drainDeadline.armAt(deadlineNanos);
        checkDrained();
    }

    /** True once the close's drain has finished (or was cut short at its deadline); any thread. */
    final boolean drainDone() {
        return drainDone;
    }

    private void checkDrained() {
        boolean done;
        try {
            done = connectionCount == 0 && drained();
        } catch (RuntimeException e) {
            LOG.warn("worker {}: drained() failed; the drain ends here", index, e);
            done = true;
        }
        if (done) {
            draining = false;
            drainDeadline.cancel();
            drainDone = true;
        }
    }

    private void drainTimedOut() {
        if (!draining) {
            return;
        }
        draining = false;
        closeRemaining("the stack's close deadline passed");
        try {
            drainAbandoned();
        } catch (RuntimeException e) {
            LOG.warn("worker {}: drainAbandoned() failed", index, e);
        }
        drainDone = true;
    }

    /** Stack close, step 2 (worker thread): whatever is left could not drain in time. */
    final void closeRemaining(String why) {
        for (AbstractConnection c : snapshotConnections()) {
            c.closeNow(null, true, why);
        }
    }

    private void closeResources() {
        for (AutoCloseable r : resources.toArray(new AutoCloseable[0])) {
            try {
                r.close();
            } catch (Exception e) {
                LOG.warn("worker {}: closing {} failed", index, r, e);
            }
        }
        resources.clear();
    }

    // ---- life cycle ----------------------------------------------------------------------------

    /** Starts the thread and waits until {@link #onStart()} has run. */
    final void start() throws IOException {
        thread.start();
        try {
            started.get();
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof IOException io) {
                throw io;
            }
            if (c instanceof RuntimeException re) {
                throw re;
            }
            throw new IOException("worker " + index + " failed to start", c);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while worker " + index + " started", e);
        }
    }

    /** True once the worker thread has ended. */
    final boolean hasStopped() {
        return state == STOPPED && !thread.isAlive();
    }

    /** Asks the loop to end; {@link #join()} waits for it. Any thread. */
    final void stop() {
        running = false;
        LockSupport.unpark(thread);
        wakeup();
    }

    /** How long the stack's close waits past its deadline for a worker that does not report drained. */
    static long stuckGraceNanos() {
        return STUCK_GRACE_NANOS;
    }

    /**
     * Waits for the thread to end; true once it has. An interrupt ends the wait (false) and stays set on
     * the caller's thread: a worker that never stops (a bug) must not make its closer wait forever where
     * a test's timeout or a shutdown interrupts it.
     */
    final boolean join() {
        try {
            thread.join();
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void run() {
        try {
            arena = Arena.ofConfined();
            pool = Objects.requireNonNull(newBufferPool(arena), "newBufferPool returned null");
            idle = Objects.requireNonNull(newIdleStrategy(), "newIdleStrategy returned null");
            if (options.pinWorkers()) {
                int cpu = (options.firstCpu() + index) % Runtime.getRuntime().availableProcessors();
                try {
                    pinToCpu(cpu);
                } catch (UnsupportedOperationException e) {
                    LOG.warn("worker {}: not pinned to CPU {}: {}", index, cpu, e.getMessage());
                }
            }
            onStart();
            backendCounters.seal();
            state = RUNNING;
        } catch (Throwable t) {
            state = STOPPED;
            if (arena != null) {
                arena.close();
            }
            started.completeExceptionally(t);
            return;
        }
        started.complete(null);
        try {
            loop();
        } catch (Throwable t) {
            LOG.error("worker {} stopped by an error; its connections are closed", index, t);
        } finally {
            shutdown();
        }
    }

    private void loop() throws IOException {
        while (running) {
            turn();
        }
    }

    /**
     * One turn of the loop. A method of its own rather than the loop's body: {@link #loop()} is entered once
     * per worker, so the JIT can compile it only by on-stack replacement, and under load its turns ran in
     * C1's profiling code for the first 20 s or so (seen with -XX:+PrintCompilation: the C2 OSR came at
     * 23 s at 47k requests/s), longer than a benchmark's warm-up; a method called once per turn gets to C2
     * after some thousand calls.
     */
    private void turn() throws IOException {
        add(C_LOOP_TURNS, 1);
        int work = runTasks();
        long now = System.nanoTime();
        work += timers.expire(now, onTaskFailure);
        if (draining) {
            checkDrained();
        }
        if (!running) {
            return;
        }
        int done = work + lastPollEvents;
        if (done > 0 && parkedSinceWork) {
            // The first turn with work after a park: one wakeup, whether a task (execute's unpark),
            // a timer (the park's bound) or I/O found on the next poll ended the sleep. Parks that ran
            // out their bound and found nothing are an idle strategy's polls, not wakeups: counting
            // them made an idle DPDK worker report a thousand wakeups a second.
            add(C_WAKEUPS, 1);
            parkedSinceWork = false;
        }
        long timeout = 0;
        if (noTasks() && idle.idle(done, this)) {
            timeout = timers.nanosUntilNext(now);
        }
        if (timeout != 0) {
            SLEEPING.setVolatile(this, IN_POLL);
            if (!noTasks() || !running) {
                timeout = 0;
            }
        }
        int events = poll(timeout);
        lastPollEvents = events;
        add(C_POLLS, 1);
        add(C_POLL_EVENTS, events);
        if (timeout != 0) {
            SLEEPING.setVolatile(this, AWAKE);
            add(C_WAKEUPS, 1);
        }
    }

    /**
     * {@link IdleStrategy.Parker}: parks the worker thread for up to {@code maxNanos}, less when a timer is
     * due sooner; {@link #execute} and {@link #stop()} unpark it (the same handshake as a wait in
     * {@link #poll}). Worker thread only.
     */
    @Override
    public final void park(long maxNanos) {
        checkInWorkerThread("park");
        long bound = maxNanos;
        long untilTimer = timers.nanosUntilNext(System.nanoTime());
        if (untilTimer >= 0 && untilTimer < bound) {
            bound = untilTimer;
        }
        if (bound <= 0) {
            return;
        }
        SLEEPING.setVolatile(this, PARKED);
        if (!noTasks() || !running) {
            SLEEPING.setVolatile(this, AWAKE);
            return;
        }
        LockSupport.parkNanos(this, bound);
        SLEEPING.setVolatile(this, AWAKE);
        parkedSinceWork = true; // counted as a wakeup by the loop once a turn finds work
    }

    private boolean noTasks() {
        return ownTasks.isEmpty() && tasks.isEmpty();
    }

    /**
     * Runs the tasks queued before this turn, in order, the other threads' (up to {@link #MAX_TASKS_PER_TURN})
     * first moved behind the worker's own, so a task the worker queued before another thread's (which it may
     * have caused) runs first. What these tasks queue in turn runs too, before the next poll as callers
     * expect (a connection that resumes reading redelivers its buffered bytes before the poll can bring an
     * EOF), but at most {@link #MAX_REQUEUED_PER_TURN} of them: a task that keeps re-queuing itself (a pacing
     * loop) must not keep the worker from polling. Tasks other threads queue meanwhile wait for the next turn.
     */
    private int runTasks() {
        Runnable t;
        for (int moved = 0; moved < MAX_TASKS_PER_TURN && (t = tasks.poll()) != null; moved++) {
            ownTasks.offer(t);
        }
        int n = ownTasks.size();
        int ran = 0;
        while (ran < n + MAX_REQUEUED_PER_TURN && (t = ownTasks.poll()) != null) {
            runTask(t);
            ran++;
        }
        return ran;
    }

    private void runTask(Runnable t) {
        try {
            t.run();
        } catch (Throwable e) {
            taskFailed(e);
        }
    }

    /** Kept in a field: a method reference made on every loop turn would allocate until the JIT removes it. */
    private final java.util.function.Consumer<Throwable> onTaskFailure = this::taskFailed;

    private void taskFailed(Throwable e) {
        if (e instanceof VirtualMachineError vme) {
            throw vme;
        }
        LOG.error("worker {}: a task failed", index, e);
    }

    private void shutdown() {
        state = STOPPED;
        // Tasks queued before the state flipped still run (e.g. a close from another thread), and what they
        // queue in turn, for a bounded number of rounds (a task that re-queues itself must not keep us here).
        for (int round = 0; round < 16 && !noTasks(); round++) {
            runTasks();
        }
        closeRemaining("the worker stopped");
        closeResources();
        timers.clear();
        try {
            onStop();
        } catch (Throwable t) {
            LOG.warn("worker {}: stopping the poller failed", index, t);
        }
        if (pool.inUse() != 0) {
            LOG.warn("worker {}: {} pooled buffers still in use at stop", index, pool.inUse());
        }
        arena.close();
    }

    private long counter(int i) {
        return (long) LONG_COUNTER.getOpaque(counters, i);
    }

    private void add(int i, long delta) {
        // Single writer: a plain read of our own last write, then an opaque store for readers.
        LONG_COUNTER.setOpaque(counters, i, counters[i] + delta);
    }

    @Override
    public String toString() {
        return thread.getName();
    }
}
