package dev.isthmus.uring;

import dev.isthmus.ffi.CallState;
import dev.isthmus.ffi.Errno;
import dev.isthmus.ffi.posix.SocketAddresses;
import dev.isthmus.ffi.posix.errno_h;
import dev.isthmus.ffi.posix.socket_h;
import dev.isthmus.stack.AcceptStrategy;
import dev.isthmus.stack.ConnectionHandlerFactory;
import dev.isthmus.stack.ListenOptions;
import dev.isthmus.stack.Listener;
import dev.isthmus.stack.spi.AbstractNetworkStack;
import dev.isthmus.stack.spi.AbstractWorker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.isthmus.ffi.uring.io_uring_h.*;

/**
 * A listening endpoint. With {@link AcceptStrategy#REUSEPORT} every worker has its own socket bound with
 * SO_REUSEPORT and accepts for itself; otherwise one socket is accepted on one worker (the FIXED worker,
 * else worker 0), which hands each fd to the chosen worker with IORING_OP_MSG_RING (the fd number in the
 * CQE's res) or, without MSG_RING, as a task. Accepts are multishot where the kernel has them.
 *
 * <p>EMFILE/ENFILE (and ENOBUFS/ENOMEM): the accept is re-armed after a back-off timer, so the worker
 * neither spins nor drops the listener; the connection stays in the backlog until then.
 */
final class UringListener implements Listener {
    private static final Logger LOG = LoggerFactory.getLogger(UringListener.class);

    private final UringNetworkStack stack;
    private final ListenOptions options;
    private final ConnectionHandlerFactory handlers;
    private final AcceptStrategy strategy;
    private final int family;
    private final List<Acceptor> acceptors = new ArrayList<>();
    private final SocketAddress localAddress;
    private final int handoffId;
    private volatile boolean closed;

    UringListener(UringNetworkStack stack, SocketAddress local, ListenOptions options, ConnectionHandlerFactory handlers)
            throws IOException {
        this.stack = stack;
        this.options = options;
        this.handlers = handlers;
        this.strategy = stack.effectiveStrategy(options, local);
        this.family = SocketAddresses.family(local);
        List<int[]> fds = new ArrayList<>();
        SocketAddress bound = null;
        try (Arena a = Arena.ofConfined()) {
            CallState st = CallState.allocate(a);
            int n = strategy == AcceptStrategy.REUSEPORT ? stack.workerCount() : 1;
            for (int i = 0; i < n; i++) {
                int fd = SocketCalls.socket(st, family, socket_h.SOCK_STREAM);
                fds.add(new int[] {fd});
                if (!(local instanceof UnixDomainSocketAddress)) {
                    if (options.reuseAddress()) {
                        SocketCalls.setInt(st, fd, socket_h.SOL_SOCKET, socket_h.SO_REUSEADDR, 1, "SO_REUSEADDR");
                    }
                    if (strategy == AcceptStrategy.REUSEPORT) {
                        SocketCalls.setInt(st, fd, socket_h.SOL_SOCKET, socket_h.SO_REUSEPORT, 1, "SO_REUSEPORT");
                    }
                }
                // The first socket binds what was asked (port 0: the kernel picks); the others the same port.
                SocketCalls.bind(st, fd, bound == null ? local : bound);
                if (bound == null) {
                    bound = SocketCalls.localAddress(st, fd);
                }
                SocketCalls.listen(st, fd, options.backlog());
            }
        } catch (IOException | RuntimeException e) {
            try (Arena a = Arena.ofConfined()) {
                CallState st = CallState.allocate(a);
                for (int[] fd : fds) {
                    SocketCalls.close(st, fd[0]);
                }
            }
            throw e;
        }
        this.localAddress = bound;
        this.handoffId = stack.registerHandoff(this);
        int acceptWorker = strategy == AcceptStrategy.FIXED ? options.fixedWorker() : 0;
        for (int i = 0; i < fds.size(); i++) {
            UringWorker w = (UringWorker) stack.worker(fds.size() == 1 ? acceptWorker : i);
            acceptors.add(new Acceptor(w, fds.get(i)[0]));
        }
        for (Acceptor ac : acceptors) {
            AbstractNetworkStack.runAndWait(ac.w, ac::start);
        }
    }

    ListenOptions options() {
        return options;
    }

    ConnectionHandlerFactory handlers() {
        return handlers;
    }

    int family() {
        return family;
    }

    int handoffId() {
        return handoffId;
    }

    @Override
    public SocketAddress localAddress() {
        return localAddress;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        stack.unregisterListener(this);
        boolean onWorker = false;
        for (AbstractWorker w : stack.allWorkers()) {
            onWorker |= w.inWorkerThread();
        }
        for (Acceptor ac : acceptors) {
            if (onWorker) {
                if (ac.w.inWorkerThread()) {
                    ac.close();
                } else {
                    try {
                        ac.w.execute(ac::close);
                    } catch (RuntimeException ignored) {
                        // stopped: the worker closed its resources
                    }
                }
            } else {
                AbstractNetworkStack.runAndWait(ac.w, ac::close);
            }
        }
        if (localAddress instanceof UnixDomainSocketAddress u) {
            try {
                java.nio.file.Files.deleteIfExists(u.getPath());
            } catch (IOException | RuntimeException e) {
                LOG.debug("could not remove {}: {}", u, e.toString());
            }
        }
    }

    @Override
    public String toString() {
        return "io_uring listener " + localAddress + " (" + strategy + ")";
    }

    /** The accept on one worker. */
    private final class Acceptor implements Completable, AutoCloseable {
        final UringWorker w;
        final int fd;
        int slot = -1;
        int generation;
        int inflight;
        boolean armed;
        boolean closing;
        boolean finished;
        boolean warned;

        Acceptor(UringWorker w, int fd) {
            this.w = w;
            this.fd = fd;
        }

        void start() {
            if (closed) {
                close();
                return;
            }
            slot = w.allocateSlot(this);
            generation = w.generation(slot);
            w.registerResource(this);
            arm();
        }

        void arm() {
            if (armed || closing) {
                return;
            }
            long o = w.sqe();
            w.sq().accept(o, fd, socket_h.SOCK_NONBLOCK | socket_h.SOCK_CLOEXEC, w.config.multishotAccept,
                    UserData.pack(UserData.OP_ACCEPT, slot, generation));
            armed = true;
            inflight++;
        }

        @Override
        public void complete(int op, int res, int flags) {
            if (op == UserData.OP_CANCEL) {
                inflight--;
                maybeFinish();
                return;
            }
            boolean more = (flags & IORING_CQE_F_MORE) != 0;
            if (!more) {
                armed = false;
                inflight--;
            }
            if (res >= 0) {
                if (closing) {
                    SocketCalls.close(w.callState(), res);
                } else {
                    dispatch(res);
                }
                if (!more) {
                    arm();
                }
            } else if (closing) {
                // -ECANCELED / -EINVAL after the socket was shut down: expected
            } else if (res == -errno_h.EMFILE || res == -errno_h.ENFILE || res == -errno_h.ENOBUFS
                    || res == -errno_h.ENOMEM) {
                if (!warned) {
                    warned = true;
                    LOG.warn("{}: accept: {}; retrying every {} ms until it succeeds", UringListener.this,
                            Errno.name(-res), UringWorker.ACCEPT_BACKOFF_MILLIS);
                }
                if (!more) {
                    w.acceptBackoffs++;
                    w.schedule(this::arm, UringWorker.ACCEPT_BACKOFF_MILLIS, TimeUnit.MILLISECONDS);
                }
            } else if (!more) {
                // ECONNABORTED, EINTR, EAGAIN, EPERM (firewall): the listener stays; accept again.
                arm();
            }
            maybeFinish();
        }

        private void dispatch(int cfd) {
            if (warned) {
                warned = false;
                LOG.info("{}: accepting again", UringListener.this);
            }
            if (strategy == AcceptStrategy.REUSEPORT || stack.workerCount() == 1) {
                w.countAccepted();
                UringConnection.accepted(w, cfd, UringListener.this);
                return;
            }
            SocketAddress remote = null;
            if (strategy == AcceptStrategy.PORT) {
                try {
                    remote = SocketCalls.remoteAddress(w.callState(), cfd);
                } catch (IOException e) {
                    SocketCalls.close(w.callState(), cfd);
                    return;
                }
            }
            UringWorker target = (UringWorker) stack.acceptTarget(strategy, options.fixedWorker(), remote);
            if (target == w) {
                w.countAccepted();
                UringConnection.accepted(w, cfd, UringListener.this);
            } else {
                target.handOff(cfd, UringListener.this);
            }
        }

        /** Worker thread: stop accepting now (shutdown makes new connects fail), close the fd once drained. */
        @Override
        public void close() {
            if (closing) {
                return;
            }
            closing = true;
            w.unregisterResource(this);
            try {
                SocketCalls.shutdown(w.callState(), fd, socket_h.SHUT_RDWR);
            } catch (IOException e) {
                LOG.debug("{}: shutdown of the listening socket: {}", UringListener.this, e.toString());
            }
            if (inflight > 0) {
                long o = w.sqe();
                w.sq().cancelUserData(o, UserData.pack(UserData.OP_ACCEPT, slot, generation),
                        UserData.pack(UserData.OP_CANCEL, slot, generation));
                inflight++;
            }
            maybeFinish();
        }

        private void maybeFinish() {
            if (finished || !closing || inflight > 0) {
                return;
            }
            finished = true;
            SocketCalls.close(w.callState(), fd);
            if (slot >= 0) {
                w.freeSlot(slot);
            }
        }
    }
}
