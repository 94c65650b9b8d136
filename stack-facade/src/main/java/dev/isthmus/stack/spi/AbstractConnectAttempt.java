package dev.isthmus.stack.spi;

import dev.isthmus.stack.Cancellable;
import dev.isthmus.stack.ConnectOptions;
import dev.isthmus.stack.Connection;
import dev.isthmus.stack.ConnectionHandler;

import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * What every stack's connect repeats: the future handed to the caller, cancelling it, the timeout (a
 * worker timer, {@link AbstractWorker#schedule}), the messages a failed attempt gives (the same on every
 * stack), and the local port for {@link ConnectOptions#portPerWorker()}.
 *
 * <p>A stack writes the steps that are its own: {@link #begin()} makes the socket, sets the options, binds
 * ({@link #bindLocal}) and starts the connect, calling {@link #armTimeout()} if it must wait;
 * {@link #release()} frees what a failed attempt holds; when the connect succeeds it builds its connection
 * and hands it over with {@link #deliver}. All of it runs on {@link #worker()}'s thread.
 *
 * <h2>The local port</h2>
 * With {@code portPerWorker} and no local port given, the local port is one with
 * {@code port % workers == worker}, so a server that accepts by {@link dev.isthmus.stack.AcceptStrategy#PORT}
 * keeps the flow on the same worker number (Seastar's {@code find_port_and_connect}). The candidates come
 * from the stack's {@link FlowPlacement#connectPorts}: {@link PortPerWorker} for the kernel stacks; a
 * userspace stack that places flows by a hash of the 4-tuple (Seastar's {@code hash2cpu}) gives ports whose
 * hash lands on its worker.
 */
public abstract class AbstractConnectAttempt implements AutoCloseable {
    /** Candidate local ports tried for portPerWorker before giving up. */
    protected static final int PORT_CANDIDATES = 512;

    private final AbstractWorker worker;
    private final SocketAddress remote;
    private final ConnectOptions options;
    private final ConnectionHandler handler;
    private final CompletableFuture<Connection> future;
    private Cancellable timer;
    private boolean done;

    protected AbstractConnectAttempt(AbstractWorker worker, SocketAddress remote, ConnectOptions options,
                                     ConnectionHandler handler, CompletableFuture<Connection> future) {
        this.worker = worker;
        this.remote = remote;
        this.options = options;
        this.handler = handler;
        this.future = future;
    }

    /**
     * Starts the attempt on its worker from any thread; {@code future} completes with the connection or why
     * there is none. Cancelling the future cancels the attempt on its worker.
     */
    public final void submit() {
        future.whenComplete((c, t) -> {
            if (future.isCancelled()) {
                try {
                    worker.execute(this::cancelled);
                } catch (RejectedExecutionException e) {
                    // The worker stopped and closed the pending connect with its resources.
                }
            }
        });
        try {
            worker.execute(this::start);
        } catch (RejectedExecutionException e) {
            future.completeExceptionally(new IllegalStateException("stack " + worker.networkStack().name()
                    + " is closed; connect is not allowed", e));
        }
    }

    private void start() {
        if (future.isDone()) {
            done = true;
            return; // cancelled before the worker got to it
        }
        try {
            begin();
        } catch (IOException | RuntimeException e) {
            fail(e);
        }
    }

    /** Step 1, on the worker: socket, options, {@link #bindLocal}, connect; {@link #armTimeout()} to wait. */
    protected abstract void begin() throws IOException;

    /** Frees what the attempt holds (socket, registration); once, on the worker, when it fails or is cancelled. */
    protected abstract void release();

    // ---- for the stack -------------------------------------------------------------------------

    public final AbstractWorker worker() {
        return worker;
    }

    public final SocketAddress remote() {
        return remote;
    }

    public final ConnectOptions options() {
        return options;
    }

    public final ConnectionHandler handler() {
        return handler;
    }

    /** True once the attempt succeeded, failed or was cancelled. */
    protected final boolean isDone() {
        return done;
    }

    /** True once the caller's future is complete (for instance cancelled while the connect was in flight). */
    protected final boolean isFutureDone() {
        return future.isDone();
    }

    /** Fails the attempt with {@link #timeoutException()} after {@link ConnectOptions#timeout()}. */
    protected final void armTimeout() {
        timer = worker.schedule(this::timedOut, options.timeout().toNanos(), TimeUnit.NANOSECONDS);
    }

    /**
     * The connect succeeded: stops the timer and marks the attempt done. Then the stack builds its
     * connection and calls {@link #deliver}.
     */
    protected final void established() {
        done = true;
        cancelTimer();
    }

    /**
     * Completes the future with {@code c}; false if the caller cancelled it meanwhile (for instance while
     * onOpen ran), and then the stack aborts {@code c}.
     */
    protected final boolean deliver(Connection c) {
        return future.complete(c);
    }

    /**
     * The connect succeeded but the stack could not make its connection (after {@link #established()}, the
     * socket already closed by the stack): the future fails with {@code t}.
     */
    protected final void deliverFailure(Throwable t) {
        future.completeExceptionally(t);
    }

    /** Fails the attempt: releases what it holds and completes the future with {@code t}. Once. */
    protected final void fail(Throwable t) {
        if (done) {
            return;
        }
        done = true;
        cancelTimer();
        release();
        future.completeExceptionally(t);
    }

    /** The future was cancelled: release the attempt. A stack whose connect the kernel owns overrides this. */
    protected void cancelled() {
        if (!done) {
            done = true;
            cancelTimer();
            release();
        }
    }

    private void timedOut() {
        timer = null;
        fail(timeoutException());
    }

    private void cancelTimer() {
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
    }

    /** The stack is closing. */
    @Override
    public void close() {
        fail(new ConnectException("connect(" + remote + "): the stack was closed"));
    }

    /** The one message for a connect that timed out, on every stack. */
    protected final ConnectException timeoutException() {
        return new ConnectException("connect(" + remote + "): timed out after " + options.timeout().toMillis() + " ms");
    }

    /** The exception for a cancelled attempt. */
    protected static CancellationException cancelledException() {
        return new CancellationException("connect cancelled");
    }

    // ---- the local port ------------------------------------------------------------------------

    /** Binds a candidate address; false when it is in use (the next candidate is tried), else throws. */
    @FunctionalInterface
    protected interface Binder {
        boolean tryBind(SocketAddress local) throws IOException;
    }

    /**
     * Binds the local side as {@link ConnectOptions} asks: a port for this worker (see the class comment)
     * with portPerWorker on an internet address whose local port is not given, else the local address if
     * one is given, else nothing (the kernel picks at connect time).
     */
    protected final void bindLocal(Binder binder) throws IOException {
        SocketAddress local = options.localAddress();
        if (options.portPerWorker() && remote instanceof InetSocketAddress r
                && (local == null || local instanceof InetSocketAddress l && l.getPort() == 0)) {
            InetAddress addr = local != null ? ((InetSocketAddress) local).getAddress()
                    : r.getAddress() instanceof Inet6Address ? InetAddress.getByAddress(new byte[16])
                    : InetAddress.getByAddress(new byte[4]);
            InetSocketAddress wildcard = new InetSocketAddress(addr, 0);
            for (int port : worker.networkStack().flowPlacement().connectPorts(worker.index(), wildcard, r,
                    PORT_CANDIDATES)) {
                if (binder.tryBind(new InetSocketAddress(addr, port))) {
                    return;
                }
            }
            throw new BindException("bind: no free local port that lands on worker " + worker.index() + " of "
                    + worker.networkStack().workerCount() + " after " + PORT_CANDIDATES + " tries");
        }
        if (local != null && !binder.tryBind(local)) {
            throw new BindException("bind(" + local + "): EADDRINUSE (Address already in use)");
        }
    }

    @Override
    public String toString() {
        return "connect(" + remote + ")";
    }
}
