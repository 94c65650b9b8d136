package dev.isthmus.stack.nio;

import dev.isthmus.stack.Listener;
import dev.isthmus.stack.spi.AbstractNetworkStack;

import java.io.IOException;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/** The acceptors of one {@code listen} call. */
final class NioListener implements Listener {
    private final NioNetworkStack stack;
    private final SocketAddress localAddress;
    private final List<NioAcceptor> acceptors;
    private final AtomicBoolean closed = new AtomicBoolean();

    NioListener(NioNetworkStack stack, SocketAddress localAddress, List<NioAcceptor> acceptors) {
        this.stack = stack;
        this.localAddress = localAddress;
        this.acceptors = List.copyOf(acceptors);
    }

    @Override
    public SocketAddress localAddress() {
        return localAddress;
    }

    /**
     * Closes every acceptor on its worker. From outside the stack, waits until the sockets are really
     * closed (the port can be bound again when this returns); a Unix socket's file is removed.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        stack.unregisterListener(this);
        for (NioAcceptor a : acceptors) {
            NioWorker w = a.worker();
            if (w.inWorkerThread()) {
                a.close(); // the fd goes at this worker's next select
            } else if (stack.onAnyWorkerThread()) {
                try {
                    w.execute(a::close);
                } catch (java.util.concurrent.RejectedExecutionException e) {
                    // stopped: it closed its acceptors
                }
            } else {
                AbstractNetworkStack.runAndWait(w, () -> {
                    a.close();
                    w.deregisterCancelledKeys();
                });
            }
        }
        if (localAddress instanceof UnixDomainSocketAddress u) {
            try {
                Files.deleteIfExists(u.getPath());
            } catch (IOException e) {
                // Left behind; a later bind reports it.
            }
        }
    }

    @Override
    public String toString() {
        return "listener on " + localAddress;
    }
}
