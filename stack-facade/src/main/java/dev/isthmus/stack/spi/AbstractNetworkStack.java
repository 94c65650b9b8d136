package dev.isthmus.stack.spi;

import dev.isthmus.stack.AcceptStrategy;
import dev.isthmus.stack.Capability;
import dev.isthmus.stack.ListenOptions;
import dev.isthmus.stack.Listener;
import dev.isthmus.stack.NetworkStack;
import dev.isthmus.stack.StackOptions;
import dev.isthmus.stack.Worker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The part of a stack every backend shares: the workers, worker choice (round robin, accept strategies),
 * address checks, the listener registry and {@link #close(Duration)}. A backend implements
 * {@link #newWorker(int)}, {@code listen}, {@code connect} and {@code openUdp}, and calls {@link #start()}
 * at the end of its constructor (or its provider's {@code open}).
 *
 * <h2>Close</h2>
 * {@link #close(Duration)}: (1) close the listeners; (2) on every worker, close each connection gracefully
 * (flush, then close) and close UDP channels and pending connects; (3) wait until every worker has
 * drained: no connection left and the backend's {@link AbstractWorker#drained()} hook satisfied (a
 * userspace stack's FIN exchange and TIME_WAIT), or the deadline passed, when a timer on the worker's
 * wheel (4) aborts what is left, reporting its dropped bytes as a
 * {@link dev.isthmus.stack.WritesDiscardedException}; (5) stop the workers, which close their pollers and
 * arenas. Idempotent; a second caller waits until the first has finished.
 */
public abstract class AbstractNetworkStack implements NetworkStack {
    private static final Logger LOG = LoggerFactory.getLogger(AbstractNetworkStack.class);

    private final String name;
    private final StackOptions options;
    private final Set<Capability> capabilities;
    private final List<AbstractWorker> workers = new ArrayList<>();
    private final List<Worker> workersView = Collections.unmodifiableList(workers);
    private final Set<Listener> listeners = ConcurrentHashMap.newKeySet();
    private final AtomicInteger roundRobin = new AtomicInteger();
    private final AtomicLong connectionIds = new AtomicLong();
    private final Object closeLock = new Object();
    private volatile boolean closed;
    private volatile FlowPlacement placement;
    private boolean closeDone;

    /**
     * A stack without workers yet; the backend's constructor calls {@link #start()}.
     *
     * @param name         the stack's name
     * @param options      the options it was opened with
     * @param capabilities what it can do here
     */
    protected AbstractNetworkStack(String name, StackOptions options, Set<Capability> capabilities) {
        this.name = Objects.requireNonNull(name, "name");
        this.options = Objects.requireNonNull(options, "options");
        this.capabilities = Collections.unmodifiableSet(capabilities.isEmpty()
                ? EnumSet.noneOf(Capability.class) : EnumSet.copyOf(capabilities));
    }

    /** Makes worker {@code index} (not started). */
    protected abstract AbstractWorker newWorker(int index) throws IOException;

    /**
     * How flows are placed on the {@code workers} workers; called once, before the workers are made.
     * Default (kernel stacks): the accept strategy places inbound flows, connect's port-per-worker uses
     * {@code port % workers}. A userspace stack returns an {@link RssPlacement}.
     */
    protected FlowPlacement newFlowPlacement(int workers) {
        return PortPerWorker.placement(workers);
    }

    /** The stack's {@link FlowPlacement}; any thread. */
    public final FlowPlacement flowPlacement() {
        return placement;
    }

    /** Creates and starts every worker; on failure stops those already started and rethrows. */
    protected final void start() throws IOException {
        try {
            placement = Objects.requireNonNull(newFlowPlacement(options.workers()), "newFlowPlacement returned null");
            for (int i = 0; i < options.workers(); i++) {
                AbstractWorker w = newWorker(i);
                workers.add(w);
                w.start();
            }
        } catch (IOException | RuntimeException e) {
            for (AbstractWorker w : workers) {
                w.stop();
                w.join();
            }
            closed = true;
            closeDone = true;
            throw e;
        }
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final List<Worker> workers() {
        return workersView;
    }

    /** Worker {@code i} with its SPI type. */
    public final AbstractWorker worker(int i) {
        if (i < 0 || i >= workers.size()) {
            throw new IllegalArgumentException("worker " + i + " does not exist; this stack has "
                    + workers.size() + " worker(s)");
        }
        return workers.get(i);
    }

    /** Returns how many workers the stack has. */
    public final int workerCount() {
        return workers.size();
    }

    @Override
    public final Set<Capability> capabilities() {
        return capabilities;
    }

    @Override
    public final StackOptions options() {
        return options;
    }

    @Override
    public final boolean isClosed() {
        return closed;
    }

    /** Throws IllegalStateException once close has started; {@code what} names the refused call. */
    protected final void checkNotClosed(String what) {
        if (closed) {
            throw new IllegalStateException("stack " + name + " is closed; " + what + " is not allowed");
        }
    }

    final long nextConnectionId() {
        return connectionIds.incrementAndGet();
    }

    /** The next worker in round-robin order. */
    public final AbstractWorker nextWorker() {
        return workers.get(Math.floorMod(roundRobin.getAndIncrement(), workers.size()));
    }

    /** {@code requested} (validated) or, when it is -1, {@link #nextWorker()}. */
    public final AbstractWorker chooseWorker(int requested) {
        return requested == -1 ? nextWorker() : worker(requested);
    }

    // ---- addresses -----------------------------------------------------------------------------

    /**
     * Checks an address given by the user: not null, an {@link InetSocketAddress} that is resolved (and,
     * for a remote, has a port other than 0), or a {@link UnixDomainSocketAddress} where the stack has
     * {@link Capability#UNIX_SOCKETS} and {@code unixAllowed}. Throws IllegalArgumentException saying what
     * was wrong.
     */
    public final void checkAddress(SocketAddress a, String what, boolean remote, boolean unixAllowed) {
        if (a == null) {
            throw new IllegalArgumentException(what + " address is null");
        }
        if (a instanceof InetSocketAddress in) {
            if (in.isUnresolved()) {
                throw new IllegalArgumentException(what + " address " + in + " is unresolved");
            }
            if (remote && in.getPort() == 0) {
                throw new IllegalArgumentException(what + " address " + in + " has port 0");
            }
            if (in.getAddress() instanceof java.net.Inet6Address && !capabilities.contains(Capability.IPV6)) {
                throw new IllegalArgumentException(what + " address " + in + " is IPv6, which stack " + name
                        + " does not support here");
            }
            if (in.getAddress() instanceof java.net.Inet4Address && !capabilities.contains(Capability.IPV4)) {
                throw new IllegalArgumentException(what + " address " + in + " is IPv4, which stack " + name
                        + " does not support here");
            }
            return;
        }
        if (a instanceof UnixDomainSocketAddress) {
            if (!unixAllowed || !capabilities.contains(Capability.UNIX_SOCKETS)) {
                throw new IllegalArgumentException(what + " address " + a + " is a Unix socket, which stack "
                        + name + " does not support here");
            }
            return;
        }
        throw new IllegalArgumentException(what + " address " + a + " is of an unsupported type "
                + a.getClass().getName() + "; use InetSocketAddress or UnixDomainSocketAddress");
    }

    /** Port {@code 1..65535}, for APIs that take ports separately. */
    public static int checkPort(int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535, was " + port);
        }
        return port;
    }

    // ---- accepting -----------------------------------------------------------------------------

    /**
     * The strategy a listener on {@code local} really uses: REUSEPORT becomes CONNECTION_DISTRIBUTION
     * without {@link Capability#REUSEPORT}, for Unix sockets, and with a single worker (nothing to spread).
     * FIXED's worker is checked.
     */
    public final AcceptStrategy effectiveStrategy(ListenOptions o, SocketAddress local) {
        AcceptStrategy s = o.acceptStrategy();
        if (s == AcceptStrategy.FIXED) {
            worker(o.fixedWorker());
        }
        if (s == AcceptStrategy.REUSEPORT && (!capabilities.contains(Capability.REUSEPORT)
                || local instanceof UnixDomainSocketAddress)) {
            return AcceptStrategy.CONNECTION_DISTRIBUTION;
        }
        return s;
    }

    /**
     * For a single acceptor: the worker an accepted connection from {@code remote} goes to.
     * CONNECTION_DISTRIBUTION picks the fewest live connections (counting hand-offs still in flight);
     * PORT uses {@code remotePort % workers} (fewest connections for a Unix socket, which has no port);
     * FIXED the listener's worker.
     */
    public final AbstractWorker acceptTarget(AcceptStrategy s, int fixedWorker, SocketAddress remote) {
        int n = workers.size();
        if (n == 1) {
            return workers.get(0);
        }
        if (s == AcceptStrategy.FIXED) {
            return worker(fixedWorker);
        }
        if (s == AcceptStrategy.PORT && remote instanceof InetSocketAddress in) {
            return workers.get(in.getPort() % n);
        }
        // CONNECTION_DISTRIBUTION, and PORT without a port (a Unix socket).
        AbstractWorker best = workers.get(0);
        long bestLoad = Long.MAX_VALUE;
        for (AbstractWorker w : workers) {
            long load = w.connectionCount() + w.handoffsInFlight();
            if (load < bestLoad) {
                best = w;
                bestLoad = load;
            }
        }
        return best;
    }

    /** Tracks a listener so that {@link #close} closes it. */
    public final void registerListener(Listener l) {
        listeners.add(l);
    }

    /** Forgets {@code l}, a listener that closed by itself, so that {@link #close} does not close it again. */
    public final void unregisterListener(Listener l) {
        listeners.remove(l);
    }

    // ---- close ---------------------------------------------------------------------------------

    @Override
    public final void close() {
        close(options.closeDrainTimeout());
    }

    @Override
    public final void close(Duration drainDeadline) {
        Objects.requireNonNull(drainDeadline, "drainDeadline");
        for (AbstractWorker w : workers) {
            if (w.inWorkerThread()) {
                throw new IllegalStateException("stack " + name + " must not be closed from its own worker thread ("
                        + Thread.currentThread().getName() + "); close it from another thread");
            }
        }
        synchronized (closeLock) {
            if (closeDone) {
                return;
            }
            closed = true;
            try {
                for (Listener l : listeners.toArray(new Listener[0])) {
                    try {
                        l.close();
                    } catch (RuntimeException e) {
                        LOG.warn("stack {}: closing listener {} failed", name, l.localAddress(), e);
                    }
                }
                listeners.clear();
                long deadline = System.nanoTime() + Math.max(0, Math.min(drainDeadline.toNanos(), TimerWheel.MAX_DELAY_NANOS));
                for (AbstractWorker w : workers) {
                    runAndWait(w, () -> w.beginGracefulClose(deadline));
                }
                // Each worker ends its own drain: when its connections are gone and its backend reports
                // drained, or when a timer on its wheel fires at the deadline and closes what is left.
                long giveUp = deadline + AbstractWorker.stuckGraceNanos();
                while (!allDrained() && System.nanoTime() - giveUp < 0) {
                    try {
                        Thread.sleep(1);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        break;
                    }
                }
                for (AbstractWorker w : workers) {
                    runAndWait(w, () -> w.closeRemaining("the stack's close deadline passed"));
                }
            } finally {
                for (AbstractWorker w : workers) {
                    w.stop();
                }
                boolean joined = true;
                for (AbstractWorker w : workers) {
                    if (joined && !w.join()) {
                        joined = false;
                        LOG.warn("stack {}: close interrupted while {} was still running; calling close again waits for it",
                                name, w);
                    }
                }
                closeDone = joined;
            }
        }
    }

    private boolean allDrained() {
        for (AbstractWorker w : workers) {
            if (!w.drainDone() && !w.hasStopped()) {
                return false;
            }
        }
        return true;
    }

    /** A task that returns a value or throws an IOException, for {@link #callAndWait}. */
    @FunctionalInterface
    public interface IoCallable<T> {
        /** Returns the result; throws IOException if the I/O failed. */
        T call() throws IOException;
    }

    /**
     * Runs {@code task} on {@code w} and returns its result (at once when called on {@code w}); rethrows its
     * IOException or RuntimeException. Throws an IOException if the worker has stopped.
     */
    public static <T> T callAndWait(AbstractWorker w, IoCallable<T> task) throws IOException {
        Object[] result = new Object[1];
        Throwable[] error = new Throwable[1];
        boolean[] ran = new boolean[1];
        runAndWait(w, () -> {
            ran[0] = true;
            try {
                result[0] = task.call();
            } catch (Throwable t) {
                error[0] = t;
            }
        });
        if (!ran[0] && Thread.currentThread().isInterrupted()) {
            throw new java.io.InterruptedIOException("interrupted while waiting for worker " + w.index() + " of stack "
                    + w.networkStack().name());
        }
        if (!ran[0]) {
            throw new IOException("stack " + w.networkStack().name() + " is closed: worker " + w.index() + " has stopped");
        }
        if (error[0] instanceof IOException io) {
            throw io;
        }
        if (error[0] instanceof RuntimeException re) {
            throw re;
        }
        if (error[0] instanceof Error e) {
            throw e;
        }
        @SuppressWarnings("unchecked")
        T t = (T) result[0];
        return t;
    }

    /**
     * Runs {@code task} on {@code w} and waits for it; nothing if the worker has stopped. An interrupt ends
     * the wait (the task may still run later) and stays set on the caller's thread.
     */
    public static void runAndWait(AbstractWorker w, Runnable task) {
        if (w.inWorkerThread()) {
            task.run();
            return;
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        try {
            w.execute(() -> {
                try {
                    task.run();
                    done.complete(null);
                } catch (Throwable t) {
                    done.completeExceptionally(t);
                }
            });
        } catch (RejectedExecutionException e) {
            return;
        }
        while (true) {
            try {
                done.get(50, java.util.concurrent.TimeUnit.MILLISECONDS);
                break;
            } catch (java.util.concurrent.TimeoutException e) {
                if (w.hasStopped()) {
                    break; // it stopped before running the task, closing everything on its way out
                }
            } catch (InterruptedException e) {
                // Give up, with the interrupt kept: a worker that no longer runs tasks must not hold the
                // caller (a test's timeout interrupts it) forever.
                Thread.currentThread().interrupt();
                break;
            } catch (java.util.concurrent.ExecutionException e) {
                LOG.warn("{}: task failed", w, e.getCause());
                break;
            }
        }
    }

    @Override
    public String toString() {
        return "NetworkStack[" + name + ", " + workers.size() + " workers" + (closed ? ", closed" : "") + "]";
    }
}
