package dev.isthmus.stack.nio;

import dev.isthmus.stack.spi.AbstractListener;
import dev.isthmus.stack.spi.AbstractWorker;

import java.net.SocketAddress;
import java.util.List;

/** The acceptors of one {@code listen} call; closing is {@link AbstractListener}'s. */
final class NioListener extends AbstractListener<NioAcceptor> {
    private final SocketAddress localAddress;

    NioListener(NioNetworkStack stack, SocketAddress localAddress, List<NioAcceptor> acceptors) {
        super(stack);
        this.localAddress = localAddress;
        for (NioAcceptor a : acceptors) {
            addSocket(a.worker(), a);
        }
    }

    @Override
    public SocketAddress localAddress() {
        return localAddress;
    }

    /** On the acceptor's worker: the fd goes at that worker's next select. */
    @Override
    protected void closeSocket(NioAcceptor a) {
        a.close();
    }

    /** A caller outside the stack waits until the socket is really closed, so the port can be bound again. */
    @Override
    protected void afterCloseWaited(AbstractWorker w) {
        ((NioWorker) w).deregisterCancelledKeys();
    }

    @Override
    public String toString() {
        return "listener on " + localAddress;
    }
}
