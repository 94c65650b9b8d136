package dev.isthmus.stack.nio;

import dev.isthmus.stack.ConnectOptions;
import dev.isthmus.stack.Connection;
import dev.isthmus.stack.ConnectionHandler;
import dev.isthmus.stack.spi.AbstractConnectAttempt;

import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.concurrent.CompletableFuture;

/**
 * One non-blocking connect on a JDK {@link SocketChannel}: open, options, bind, connect; then OP_CONNECT
 * until finishConnect says yes or no. The future, cancel, timeout and local port are
 * {@link AbstractConnectAttempt}'s.
 */
final class NioConnectAttempt extends AbstractConnectAttempt implements NioSelectable {
    private final NioWorker worker;
    private SocketChannel ch;
    private SelectionKey key;

    NioConnectAttempt(NioWorker worker, SocketAddress remote, ConnectOptions options, ConnectionHandler handler,
                      CompletableFuture<Connection> future) {
        super(worker, remote, options, handler, future);
        this.worker = worker;
    }

    @Override
    protected void begin() throws IOException {
        SocketAddress remote = remote();
        ch = SocketChannel.open(remote instanceof UnixDomainSocketAddress ? StandardProtocolFamily.UNIX
                : ((InetSocketAddress) remote).getAddress() instanceof Inet6Address ? StandardProtocolFamily.INET6
                : StandardProtocolFamily.INET);
        worker.registerResource(this);
        try {
            ch.configureBlocking(false);
            for (var e : options().socketOptions().entrySet()) {
                NioConfig.set(ch, e.getKey(), e.getValue());
            }
            bindLocal(local -> {
                try {
                    ch.bind(local);
                    return true;
                } catch (BindException e) {
                    return false; // in use: the next candidate
                }
            });
            boolean connected;
            try {
                connected = ch.connect(remote);
            } finally {
                worker.countSyscalls(1);
            }
            if (connected) {
                connectedNow();
            } else {
                key = ch.register(worker.selector(), SelectionKey.OP_CONNECT, this);
                armTimeout();
            }
        } catch (IOException e) {
            throw connectException(e);
        }
    }

    @Override
    public void ready(int readyOps) {
        if (isDone()) {
            return;
        }
        try {
            boolean connected;
            try {
                connected = ch.finishConnect();
            } finally {
                worker.countSyscalls(1);
            }
            if (connected) {
                connectedNow();
            }
        } catch (IOException | RuntimeException e) {
            fail(e instanceof IOException io ? connectException(io) : e);
        }
    }

    private void connectedNow() throws IOException {
        established();
        worker.unregisterResource(this);
        if (isFutureDone()) {
            release();
            return;
        }
        NioConnection c = NioConnection.create(worker, ch, key, handler());
        c.start();
        if (!deliver(c)) {
            c.abort(); // cancelled while onOpen ran
        }
    }

    @Override
    protected void release() {
        worker.unregisterResource(this);
        if (key != null) {
            key.cancel();
        }
        if (ch != null) {
            NioNetworkStack.closeQuietly(ch);
        }
    }

    private IOException connectException(IOException e) {
        if (e instanceof BindException || e instanceof ConnectException ce && ce.getMessage() != null
                && ce.getMessage().startsWith("connect")) {
            return e;
        }
        ConnectException c = new ConnectException("connect(" + remote() + "): " + e.getMessage());
        c.initCause(e);
        return c;
    }
}
