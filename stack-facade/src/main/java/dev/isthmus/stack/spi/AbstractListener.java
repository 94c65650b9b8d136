package dev.isthmus.stack.spi;

import dev.isthmus.stack.Listener;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What every stack's {@link Listener} repeats: the listening sockets it has on its workers (one per worker
 * with SO_REUSEPORT, else one), and a close that closes each on its own worker ({@link CloseOnWorker}: a
 * close from a worker thread never waits for another worker, one from outside waits so that the port can
 * be bound again when it returns), takes the listener out of the stack's registry, and removes a Unix
 * socket's file ({@link UnixSocketFiles}).
 *
 * <p>A stack writes how a listening socket is made and accepts ({@code S}), and how it closes on its worker
 * ({@link #closeSocket}); sockets are added with {@link #addSocket} before the listener is published.
 *
 * @param <S> the stack's listening socket on one worker
 */
public abstract class AbstractListener<S> implements Listener {
    private final AbstractNetworkStack stack;
    private final List<AbstractWorker> workers = new ArrayList<>();
    private final List<S> sockets = new ArrayList<>();
    private final AtomicBoolean closed = new AtomicBoolean();

    protected AbstractListener(AbstractNetworkStack stack) {
        this.stack = stack;
    }

    /** Adds {@code socket}, owned by {@code worker}; before the listener is handed to another thread. */
    protected final void addSocket(AbstractWorker worker, S socket) {
        workers.add(worker);
        sockets.add(socket);
    }

    /** The listening sockets, in the order they were added. */
    protected final List<S> listeningSockets() {
        return sockets;
    }

    /** Closes {@code socket}; called on its worker's thread, once per socket. */
    protected abstract void closeSocket(S socket);

    /** After {@link #closeSocket} on the owner, when the closing thread waits for it; nothing by default. */
    protected void afterCloseWaited(AbstractWorker worker) {
    }

    /** True once {@link #close} was called (from any thread). */
    public final boolean isClosed() {
        return closed.get();
    }

    /** The stack this listener belongs to. */
    protected final AbstractNetworkStack networkStack() {
        return stack;
    }

    /**
     * Stops accepting: every listening socket is closed on its worker (see the class comment), the listener
     * leaves the stack's registry, and a Unix socket's file is removed. Idempotent; any thread.
     */
    @Override
    public final void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        stack.unregisterListener(this);
        for (int i = 0; i < sockets.size(); i++) {
            S s = sockets.get(i);
            AbstractWorker w = workers.get(i);
            CloseOnWorker.run(w, () -> closeSocket(s), () -> afterCloseWaited(w));
        }
        // unlink(2) needs no closed descriptor: the path goes now, whichever worker still holds the socket.
        UnixSocketFiles.removeAfterClose(localAddress());
    }
}
