package dev.isthmus.epoll;

import dev.isthmus.ffi.Errno;
import dev.isthmus.ffi.posix.SocketAddresses;
import dev.isthmus.ffi.posix.epoll_h;
import dev.isthmus.ffi.posix.errno_h;
import dev.isthmus.ffi.posix.socket_h;
import dev.isthmus.stack.AcceptStrategy;
import dev.isthmus.stack.Cancellable;

import java.io.IOException;
import java.lang.foreign.ValueLayout;
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
 * timer after a back-off that doubles from 10 ms to 100 ms while the error persists; the first accept
 * that succeeds resets it.
 */
final class ListenSocket implements EpollSource, AutoCloseable {
    private static final int ACCEPT_BATCH = 64;
    private static final long BACKOFF_MIN_MS = 10;
    private static final long BACKOFF_MAX_MS = 100;

    final EpollWorker w;
    final int fd;
    private final EpollListener listener;
    private int generation;
    private boolean closed;
    private boolean paused;
    private long backoffMs = BACKOFF_MIN_MS;
    private Cancellable resumeTimer;
    /** Times accept4 failed for lack of descriptors or memory (for tests and logs). */
    long resourceErrors;

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
        SocketCalls.Scratch s = w.scratch;
        for (int i = 0; i < ACCEPT_BATCH; i++) {
            s.len.set(ValueLayout.JAVA_INT, 0, SocketAddresses.MAX_LENGTH);
            int cfd = socket_h.accept4$critical(s.state, fd, s.addr, s.len, socket_h.SOCK_NONBLOCK | socket_h.SOCK_CLOEXEC);
            w.countSyscalls(1);
            if (cfd < 0) {
                int e = s.errno();
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
            backoffMs = BACKOFF_MIN_MS;
            SocketAddress remote;
            try {
                remote = SocketAddresses.read(s.addr, s.len.get(ValueLayout.JAVA_INT, 0));
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
        resourceErrors++;
        try {
            w.modifySource(fd, generation, 0);
        } catch (IOException e) {
            EpollWorker.log().warn("{}: cannot pause the listener: {}", listener, e.getMessage());
        }
        paused = true;
        long delay = backoffMs;
        backoffMs = Math.min(BACKOFF_MAX_MS, backoffMs * 2);
        EpollWorker.log().warn("{}: accept4: {}; pausing accepts for {} ms", listener, Errno.name(errno), delay);
        resumeTimer = w.schedule(this::resume, delay, TimeUnit.MILLISECONDS);
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
        SocketCalls.closeQuietly(w.state, fd);
    }

    AcceptStrategy strategy() {
        return listener.strategy;
    }
}
