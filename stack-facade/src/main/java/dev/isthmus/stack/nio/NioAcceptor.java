package dev.isthmus.stack.nio;

import dev.isthmus.stack.AcceptStrategy;
import dev.isthmus.stack.Cancellable;
import dev.isthmus.stack.ConnectionHandlerFactory;
import dev.isthmus.stack.ListenOptions;
import dev.isthmus.stack.spi.AbstractWorker;
import dev.isthmus.stack.spi.AcceptBackoff;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * One listening channel registered with one worker's selector. With REUSEPORT every worker has one and
 * keeps what it accepts; otherwise a single acceptor hands each channel to the worker the strategy picks.
 *
 * <p>An accept that fails (EMFILE, ENFILE, ENOBUFS: the JDK gives no errno, so any failure) leaves the
 * connection queued, and the level-triggered selector would report the channel again at once: instead
 * OP_ACCEPT is dropped and restored by a worker timer after the stacks' common {@link AcceptBackoff}.
 */
final class NioAcceptor implements NioSelectable, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NioAcceptor.class);
    /** Accepts per readiness event at most, so a connection storm cannot starve this worker's I/O. */
    private static final int MAX_ACCEPTS_PER_EVENT = 64;

    private final NioWorker worker;
    private final ServerSocketChannel ssc;
    private final AcceptStrategy strategy;
    private final ListenOptions options;
    private final ConnectionHandlerFactory handlers;
    private SelectionKey key;
    private boolean closed;
    private final AcceptBackoff backoff = new AcceptBackoff();
    private Cancellable resumeTimer;

    /** Registers {@code ssc} (bound, non-blocking) with {@code worker}; on its thread. */
    NioAcceptor(NioWorker worker, ServerSocketChannel ssc, AcceptStrategy strategy, ListenOptions options,
                ConnectionHandlerFactory handlers) throws IOException {
        this.worker = worker;
        this.ssc = ssc;
        this.strategy = strategy;
        this.options = options;
        this.handlers = handlers;
        this.key = ssc.register(worker.selector(), SelectionKey.OP_ACCEPT, this);
        worker.registerResource(this);
    }

    NioWorker worker() {
        return worker;
    }

    ServerSocketChannel channel() {
        return ssc;
    }

    @Override
    public void ready(int readyOps) {
        for (int i = 0; i < MAX_ACCEPTS_PER_EVENT && !closed; i++) {
            SocketChannel ch;
            try {
                ch = ssc.accept();
            } catch (IOException e) {
                pause(e);
                return;
            } finally {
                worker.countSyscalls(1);
            }
            if (ch == null) {
                return;
            }
            backoff.reset();
            handOff(ch);
        }
    }

    private void pause(IOException e) {
        long delay = backoff.nextDelayNanos();
        LOG.warn("{}: accept on {} failed: {}; pausing accepts for {} µs", worker, ssc, e.toString(), delay / 1000);
        key.interestOps(0);
        resumeTimer = worker.schedule(this::resume, delay, TimeUnit.NANOSECONDS);
    }

    private void resume() {
        resumeTimer = null;
        if (!closed) {
            key.interestOps(SelectionKey.OP_ACCEPT); // level-triggered: what queued meanwhile is reported now
        }
    }

    private void handOff(SocketChannel ch) {
        AbstractWorker target = worker;
        if (strategy != AcceptStrategy.REUSEPORT && strategy != AcceptStrategy.FIXED) {
            SocketAddress remote = null;
            try {
                remote = ch.getRemoteAddress();
            } catch (IOException e) {
                // Reset already: the strategy picks without it; the read will see the error.
            }
            target = worker.networkStack().acceptTarget(strategy, 0, remote);
        }
        if (target == worker) {
            worker.adopt(ch, options, handlers);
            return;
        }
        NioWorker t = (NioWorker) target;
        t.handoffStarted();
        try {
            t.execute(() -> {
                t.handoffArrived();
                t.adopt(ch, options, handlers);
            });
        } catch (RejectedExecutionException e) {
            t.handoffArrived();
            NioNetworkStack.closeQuietly(ch);
        }
    }

    /** Closes the listening channel; on the worker thread. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (resumeTimer != null) {
            resumeTimer.cancel();
        }
        worker.unregisterResource(this);
        key.cancel();
        NioNetworkStack.closeQuietly(ssc);
    }

    @Override
    public String toString() {
        return "acceptor on " + worker;
    }
}
