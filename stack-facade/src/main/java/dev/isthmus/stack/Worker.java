package dev.isthmus.stack;

import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * One thread of a stack and the poller it owns (Ceph's {@code Worker}). Connections live on a worker
 * for life; other threads reach it only through {@link #execute(Runnable)} and {@link #schedule}.
 */
public interface Worker extends Executor {

    /** 0 .. workers-1. */
    int index();

    /** The stack this worker belongs to. */
    NetworkStack stack();

    /**
     * Runs {@code task} on this worker's thread, soon; callable from any thread (from the worker itself
     * the task runs after the current callback returns). Wakes the worker if it sleeps.
     *
     * @throws java.util.concurrent.RejectedExecutionException if the stack is closed
     */
    @Override
    void execute(Runnable task);

    /** Runs {@code task} on this worker after {@code delay}; callable from any thread. */
    Cancellable schedule(Runnable task, long delay, TimeUnit unit);

    /** True when called from this worker's own thread. */
    boolean inWorkerThread();

    /** A snapshot of this worker's counters; callable from any thread. */
    WorkerStats stats();

    /**
     * The counters this worker's backend defines beside {@link #stats()} (e.g. {@code retransmits}), by
     * name, in a fixed order; empty for a backend that defines none. Callable from any thread.
     */
    default Map<String, Long> counters() {
        return Map.of();
    }
}
