package dev.isthmus.stack.nio;

import dev.isthmus.stack.ConnectionHandlerFactory;
import dev.isthmus.stack.ListenOptions;
import dev.isthmus.stack.spi.AbstractNetworkStack;
import dev.isthmus.stack.spi.AbstractWorker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.function.Consumer;

/** A nio worker: one {@link Selector}, polled with the allocation-free {@code select(Consumer, timeout)}. */
final class NioWorker extends AbstractWorker {
    private static final Logger LOG = LoggerFactory.getLogger(NioWorker.class);
    /** Pieces per gathered write; the JDK caps a writev at IOV_MAX (1024) itself. */
    private static final int IOV_PIECES = 256;

    private final ByteBuffer[] iov = new ByteBuffer[IOV_PIECES];
    private final Consumer<SelectionKey> dispatch = this::dispatch;
    private volatile Selector selector;
    private int handled;

    NioWorker(AbstractNetworkStack stack, int index) {
        super(stack, index);
    }

    Selector selector() {
        return selector;
    }

    /** The worker's scratch array for gathered writes (worker thread only). */
    ByteBuffer[] iov() {
        return iov;
    }

    @Override
    protected void onStart() throws IOException {
        selector = Selector.open();
    }

    @Override
    protected int poll(long timeoutNanos) throws IOException {
        handled = 0;
        countSyscalls(1);
        if (timeoutNanos == 0) {
            selector.selectNow(dispatch);
        } else if (timeoutNanos < 0) {
            selector.select(dispatch, 0); // 0: no limit (Selector.select(Consumer, long))
        } else {
            selector.select(dispatch, Math.max(1, (timeoutNanos + 999_999) / 1_000_000));
        }
        return handled;
    }

    private void dispatch(SelectionKey key) {
        handled++;
        if (!key.isValid()) {
            return; // cancelled by an earlier key's handler in this same select
        }
        try {
            ((NioSelectable) key.attachment()).ready(key.readyOps());
        } catch (java.nio.channels.CancelledKeyException e) {
            // closed while its handler ran
        } catch (RuntimeException e) {
            LOG.error("{}: handling {} failed", this, key.attachment(), e);
        }
    }

    @Override
    protected void wakeup() {
        Selector s = selector;
        if (s != null) {
            s.wakeup();
        }
    }

    /**
     * Makes pending key cancellations take effect: the JDK closes a registered channel's fd only when its
     * key is deregistered, at the next select. Not from inside a select (a handler callback).
     */
    void deregisterCancelledKeys() {
        try {
            selector.selectNow(k -> { }); // level-triggered: events seen here are reported again
        } catch (IOException e) {
            LOG.warn("{}: selectNow failed", this, e);
        }
    }

    @Override
    protected void onStop() {
        try {
            selector.close();
        } catch (IOException e) {
            LOG.warn("{}: closing the selector failed", this, e);
        }
    }

    /** Takes an accepted channel: options, registration, then {@code onOpen}. */
    void adopt(SocketChannel ch, ListenOptions options, ConnectionHandlerFactory handlers) {
        if (networkStack().isClosed()) {
            NioNetworkStack.closeQuietly(ch);
            return;
        }
        NioConnection c;
        try {
            ch.configureBlocking(false);
            for (var e : options.socketOptions().entrySet()) {
                NioConfig.set(ch, e.getKey(), e.getValue());
            }
            c = NioConnection.create(this, ch, null, handlers.newHandler());
        } catch (IOException | RuntimeException e) {
            LOG.warn("{}: dropping an accepted connection: {}", this, e.toString());
            NioNetworkStack.closeQuietly(ch);
            return;
        }
        countAccepted();
        c.start();
    }
}
