package dev.isthmus.nio.channels;

import java.nio.channels.CancelledKeyException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.Selector;
import java.nio.channels.spi.AbstractSelectionKey;

/**
 * A registration of a {@link NativeChannel} with an {@link EpollSelector}. The interest set is a plain
 * volatile field: changing it makes no system call (the descriptor is in epoll once, edge-triggered, for
 * both directions); if the change makes a ready channel interesting, the key joins the selector's ready list
 * so the next selection reports it.
 */
final class EpollSelectionKey extends AbstractSelectionKey {
    private final NativeChannel channel;
    private final EpollSelector selector;
    final int fd;
    private volatile int interestOps;
    private int readyOps;
    /** On the selector's ready list (guarded by the selector's ready-list lock). */
    boolean listed;

    EpollSelectionKey(NativeChannel channel, EpollSelector selector) {
        this.channel = channel;
        this.selector = selector;
        this.fd = channel.fd();
    }

    NativeChannel nativeChannel() {
        return channel;
    }

    @Override
    public SelectableChannel channel() {
        return (SelectableChannel) channel;
    }

    @Override
    public Selector selector() {
        return selector;
    }

    @Override
    public int interestOps() {
        ensureValid();
        return interestOps;
    }

    @Override
    public java.nio.channels.SelectionKey interestOps(int ops) {
        ensureValid();
        if ((ops & ~channel().validOps()) != 0) {
            throw new IllegalArgumentException("invalid interest ops 0x" + Integer.toHexString(ops)
                    + " for " + channel().getClass().getSimpleName() + " (valid: 0x"
                    + Integer.toHexString(channel().validOps()) + ")");
        }
        interestOps = ops;
        selector.interestChanged(this);
        return this;
    }

    /** The interest set without the validity check, for the selector. */
    int interest() {
        return interestOps;
    }

    @Override
    public int readyOps() {
        ensureValid();
        return readyOps;
    }

    int rawReadyOps() {
        return readyOps;
    }

    void readyOps(int ops) {
        readyOps = ops;
    }

    private void ensureValid() {
        if (!isValid()) {
            throw new CancelledKeyException();
        }
    }

    @Override
    public String toString() {
        return "EpollSelectionKey[fd=" + fd + (isValid() ? ", interest=" + interestOps + ", ready=" + readyOps : ", cancelled") + "]";
    }
}
