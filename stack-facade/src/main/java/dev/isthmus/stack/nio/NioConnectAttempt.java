package dev.isthmus.stack.nio;

import dev.isthmus.stack.Cancellable;
import dev.isthmus.stack.ConnectOptions;
import dev.isthmus.stack.Connection;
import dev.isthmus.stack.ConnectionHandler;
import dev.isthmus.stack.spi.PortPerWorker;

import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * One non-blocking connect, on its worker: open, options, bind, connect; then OP_CONNECT and a timeout
 * timer until finishConnect says yes or no. Cancelling the future closes the channel.
 */
final class NioConnectAttempt implements NioSelectable, AutoCloseable {
    /** Ports tried for portPerWorker before giving up. */
    private static final int PORT_CANDIDATES = 512;

    private final NioWorker worker;
    private final SocketAddress remote;
    private final ConnectOptions options;
    private final ConnectionHandler handler;
    private final CompletableFuture<Connection> future;
    private SocketChannel ch;
    private SelectionKey key;
    private Cancellable timer;
    private boolean done;

    NioConnectAttempt(NioWorker worker, SocketAddress remote, ConnectOptions options, ConnectionHandler handler,
                      CompletableFuture<Connection> future) {
        this.worker = worker;
        this.remote = remote;
        this.options = options;
        this.handler = handler;
        this.future = future;
    }

    /** Step 1, on the worker thread. */
    void start() {
        if (future.isDone()) {
            return; // cancelled before it began
        }
        try {
            ch = SocketChannel.open(remote instanceof UnixDomainSocketAddress ? StandardProtocolFamily.UNIX
                    : ((InetSocketAddress) remote).getAddress() instanceof Inet6Address ? StandardProtocolFamily.INET6
                    : StandardProtocolFamily.INET);
            ch.configureBlocking(false);
            for (var e : options.socketOptions().entrySet()) {
                NioConfig.set(ch, e.getKey(), e.getValue());
            }
            bindLocal();
            worker.registerResource(this);
            future.whenComplete((c, t) -> {
                if (future.isCancelled()) {
                    try {
                        worker.execute(this::cancelled);
                    } catch (RejectedExecutionException e) {
                        // stopped: it closed every pending connect
                    }
                }
            });
            boolean connected;
            try {
                connected = ch.connect(remote);
            } finally {
                worker.countSyscalls(1);
            }
            if (connected) {
                established();
            } else {
                key = ch.register(worker.selector(), SelectionKey.OP_CONNECT, this);
                timer = worker.schedule(this::timedOut, options.timeout().toNanos(), TimeUnit.NANOSECONDS);
            }
        } catch (IOException | RuntimeException e) {
            fail(e instanceof IOException io ? connectException(io) : e);
        }
    }

    private void bindLocal() throws IOException {
        SocketAddress local = options.localAddress();
        boolean inet = remote instanceof InetSocketAddress;
        if (options.portPerWorker() && inet && (local == null || ((InetSocketAddress) local).getPort() == 0)) {
            InetAddress addr = local != null ? ((InetSocketAddress) local).getAddress()
                    : ((InetSocketAddress) remote).getAddress() instanceof Inet6Address
                    ? InetAddress.getByName("::") : InetAddress.getByName("0.0.0.0");
            int workers = worker.networkStack().workerCount();
            for (int port : PortPerWorker.candidates(worker.index(), workers, PORT_CANDIDATES)) {
                try {
                    ch.bind(new InetSocketAddress(addr, port));
                    return;
                } catch (BindException e) {
                    // in use: the next candidate
                }
            }
            throw new BindException("bind: no free local port p with p % " + workers + " == " + worker.index()
                    + " in " + PortPerWorker.low() + ".." + PortPerWorker.high() + " after " + PORT_CANDIDATES + " tries");
        }
        if (local != null) {
            ch.bind(local);
        }
    }

    @Override
    public void ready(int readyOps) {
        try {
            boolean connected;
            try {
                connected = ch.finishConnect();
            } finally {
                worker.countSyscalls(1);
            }
            if (connected) {
                established();
            }
        } catch (IOException e) {
            fail(connectException(e));
        }
    }

    private void established() throws IOException {
        if (done) {
            return;
        }
        done = true;
        cleanup(false);
        if (future.isDone()) {
            NioNetworkStack.closeQuietly(ch);
            return;
        }
        NioConnection c = NioConnection.create(worker, ch, key, handler);
        c.start();
        if (!future.complete(c)) {
            c.abort(); // cancelled while onOpen ran
        }
    }

    private void timedOut() {
        fail(new ConnectException("connect to " + remote + ": timed out after " + options.timeout()));
    }

    private void cancelled() {
        if (!done) {
            done = true;
            cleanup(true);
        }
    }

    /** The stack is closing. */
    @Override
    public void close() {
        fail(new ConnectException("connect to " + remote + ": the stack was closed"));
    }

    private void fail(Throwable e) {
        if (done) {
            return;
        }
        done = true;
        cleanup(true);
        future.completeExceptionally(e);
    }

    private void cleanup(boolean closeChannel) {
        worker.unregisterResource(this);
        if (timer != null) {
            timer.cancel();
        }
        if (closeChannel) {
            if (key != null) {
                key.cancel();
            }
            if (ch != null) {
                NioNetworkStack.closeQuietly(ch);
            }
        }
    }

    private ConnectException connectException(IOException e) {
        if (e instanceof ConnectException ce && ce.getMessage() != null && ce.getMessage().startsWith("connect")) {
            return ce;
        }
        ConnectException c = new ConnectException("connect to " + remote + ": " + e.getMessage());
        c.initCause(e);
        return c;
    }

    @Override
    public String toString() {
        return "connect to " + remote;
    }
}
