package dev.isthmus.epoll;

import dev.isthmus.ffi.Errno;
import dev.isthmus.ffi.posix.epoll_h;
import dev.isthmus.ffi.posix.errno_h;
import dev.isthmus.linux.socket.LinuxSocket;
import dev.isthmus.stack.AcceptStrategy;
import dev.isthmus.stack.Cancellable;
import dev.isthmus.stack.spi.AcceptBackoff;

import java.io.IOException;
import java.net.SocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * One listening socket in one worker's epoll (level-triggered: a backlog left over after a batch is
 * reported again, which is all the fairness accepting needs). With REUSEPORT every worker has one and
 * keeps what it accepts; otherwise one acceptor hands each socket to the worker the strategy picks.
 *
 * <h2>Running out of descriptors</h2>
 * accept4 failing with EMFILE/ENFILE (or ENOBUFS/ENOMEM) leaves the connection in the backlog, so a
 * level-triggered listener would be reported again at once and the worker would spin. Instead the
 * listener is paused (EPOLL_CTL_MOD to no events; it stays registered and open) and resumed by a worker
 * timer after the stacks' common {@link AcceptBackoff}.
 */
final class ListenSocket implements EpollSource, AutoCloseable {
    private static final int ACCEPT_BATCH = 64;

    final EpollWorker w;
    final int fd;
    private final EpollListener listener;
    private int generation;
    private boolean closed;
    private boolean paused;
    private final AcceptBackoff backoff = new AcceptBackoff();
    private Cancellable resumeTimer;

    ListenSocket(EpollWorker w, int fd, EpollListener listener) {
        this.w = w;
        this.fd = fd;
        this.listener = listener;
    }

    /** Adds the socket to the worker's epoll; worker thread. */
    void register() throws IOException {
        generation = w.addSource(fd, this, epoll_h.EPOLLIN);
        w.registerResource(this);
    }

    @Override
    public void onEvents(int events) {
        if (closed || paused) {
            return;
        }
        LinuxSocket.Scratch s = w.scratch;
        for (int i = 0; i < ACCEPT_BATCH; i++) {
            int cfd = LinuxSocket.accept(s, fd);
            w.countSyscalls(1);
            if (cfd < 0) {
                int e = -cfd;
                switch (e) {
                    case errno_h.EAGAIN -> {
                        return;
                    }
                    // The peer gave up while it waited in the backlog, or a signal: next one (accept(2)).
                    case errno_h.ECONNABORTED, errno_h.EINTR, errno_h.EPERM, 71 /* EPROTO */ -> {
                        continue;
                    }
                    case errno_h.EMFILE, errno_h.ENFILE, errno_h.ENOBUFS, errno_h.ENOMEM -> {
                        pause(e);
                        return;
                    }
                    default -> {
                        // Unexpected: back off as well rather than spin on a listener that keeps failing.
                        EpollWorker.log().warn("{}: {}", listener, Errno.exception("accept4", e).getMessage());
                        pause(e);
                        return;
                    }
                }
            }
            backoff.reset();
            SocketAddress remote;
            try {
                remote = LinuxSocket.scratchAddress(s);
            } catch (RuntimeException ex) {
                remote = listener.localAddress();
            }
            listener.dispatch(this, cfd, remote);
            if (closed) {
                return;
            }
        }
    }

    private void pause(int errno) {
        try {
            w.modifySource(fd, generation, 0);
        } catch (IOException e) {
            EpollWorker.log().warn("{}: cannot pause the listener: {}", listener, e.getMessage());
        }
        paused = true;
        long delay = backoff.nextDelayNanos();
        EpollWorker.log().warn("{}: accept4: {}; pausing accepts for {} µs", listener, Errno.name(errno), delay / 1000);
        resumeTimer = w.schedule(this::resume, delay, TimeUnit.NANOSECONDS);
    }

    private void resume() {
        resumeTimer = null;
        if (closed) {
            return;
        }
        paused = false;
        try {
            // Level-triggered, so connections that queued meanwhile are reported at once.
            w.modifySource(fd, generation, epoll_h.EPOLLIN);
        } catch (IOException e) {
            EpollWorker.log().warn("{}: cannot resume the listener: {}", listener, e.getMessage());
        }
    }

    /** Times accept4 failed for lack of descriptors or memory (for tests and logs). */
    long resourceErrors() {
        return backoff.failures();
    }

    boolean isPaused() {
        return paused;
    }

    /** Closes the socket; worker thread. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (resumeTimer != null) {
            resumeTimer.cancel();
        }
        w.removeSource(fd, this);
        w.unregisterResource(this);
        LinuxSocket.closeQuietly(w.state, fd);
    }

    AcceptStrategy strategy() {
        return listener.strategy;
    }
}
