package dev.isthmus.nio.channels;

import dev.isthmus.linux.socket.LinuxSocket;

import java.io.IOException;
import java.nio.channels.Channel;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectableChannel;

/**
 * Who is using a channel's descriptor, so that it is closed exactly once and never while a call is inside it or
 * a selector still holds it (asynchronous channels have no selector): {@code close} only wakes waiting threads and closes the descriptor if it is idle;
 * otherwise the last call to leave closes it, or the selector when it deregisters the last key. Waiting for the
 * callers inside close instead would deadlock: the JDK's interruptor runs close on the interrupting thread while
 * the interrupted thread, leaving its call, runs close too and waits for the first.
 *
 * <p>Short calls (options, addresses, shutdown) hold the channel's state lock, which every close here takes,
 * and check that the channel is open under it; the long ones (read, write, connect, accept, which may wait)
 * {@link #enter} and {@link #exit} instead.
 */
final class FdUse {
    private final int fd;
    /** The channel's state lock: calls made under it see the descriptor open or the channel closed. */
    private final Object lock;
    private int users;
    private boolean closed;

    FdUse(int fd, Object lock) {
        this.fd = fd;
        this.lock = lock;
    }

    int fd() {
        return fd;
    }

    /** Enters a call on the descriptor; fails if the channel is closed. */
    void enter(Channel ch) throws ClosedChannelException {
        synchronized (lock) {
            if (!ch.isOpen()) {
                throw new ClosedChannelException();
            }
            users++;
        }
    }

    /** Leaves a call; the last one out of a closed, unregistered channel closes the descriptor. */
    void exit(Channel ch) throws IOException {
        synchronized (lock) {
            users--;
            if (users == 0 && !closed && !ch.isOpen() && !(ch instanceof SelectableChannel s && s.isRegistered())) {
                closed = true;
                LinuxSocket.close(ThreadIo.current().state(), fd);
            }
        }
    }

    /**
     * {@link #enter}, for the asynchronous channels, which report a closed channel through the operation's
     * handler rather than by throwing: false if the channel is closed.
     */
    boolean tryEnter(Channel ch) {
        try {
            enter(ch);
            return true;
        } catch (ClosedChannelException e) {
            return false;
        }
    }

    /**
     * {@link #exit}, for callers that have already completed their operation and have nowhere to report a failed
     * close: close(2) of a socket releases the descriptor even when it reports an error (close(2), NOTES).
     */
    void exitQuietly(Channel ch) {
        try {
            exit(ch);
        } catch (IOException ignored) {
            // the descriptor is released all the same
        }
    }

    /** Closes the descriptor now unless a call is inside it (the call closes it when it leaves). */
    void closeIfIdle() throws IOException {
        synchronized (lock) {
            if (users > 0 || closed) {
                return;
            }
            closed = true;
            LinuxSocket.close(ThreadIo.current().state(), fd);
        }
    }
}
