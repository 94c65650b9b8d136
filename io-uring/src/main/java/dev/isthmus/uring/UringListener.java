package dev.isthmus.uring;

import dev.isthmus.ffi.Errno;
import dev.isthmus.ffi.posix.SocketAddresses;
import dev.isthmus.ffi.posix.socket_h;
import dev.isthmus.linux.socket.LinuxSocket;
import dev.isthmus.stack.AcceptStrategy;
import dev.isthmus.stack.ConnectionHandlerFactory;
import dev.isthmus.stack.ListenOptions;
import dev.isthmus.stack.spi.AbstractListener;
import dev.isthmus.stack.spi.AbstractNetworkStack;
import dev.isthmus.stack.spi.AcceptBackoff;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.net.SocketAddress;
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
final class UringListener extends AbstractListener<UringListener.Acceptor> {
    private static final Logger LOG = LoggerFactory.getLogger(UringListener.class);

    private final UringNetworkStack stack;
    private final ListenOptions options;
    private final ConnectionHandlerFactory handlers;
    private final AcceptStrategy strategy;
    private final int family;
    private final SocketAddress localAddress;
    private final int handoffId;

    UringListener(UringNetworkStack stack, SocketAddress local, ListenOptions options, ConnectionHandlerFactory handlers)
            throws IOException {
        super(stack);
        this.stack = stack;
        this.options = options;
        this.handlers = handlers;
        this.strategy = stack.effectiveStrategy(options, local);
        this.family = SocketAddresses.family(local);
        List<int[]> fds = new ArrayList<>();
        SocketAddress bound = null;
        try (Arena a = Arena.ofConfined()) {
            LinuxSocket.Scratch s = new LinuxSocket.Scratch(a);
            int n = strategy == AcceptStrategy.REUSEPORT ? stack.workerCount() : 1;
            try {
                for (int i = 0; i < n; i++) {
                    // The first socket binds what was asked (port 0: the kernel picks); the others the same port.
                    int fd = LinuxSocket.openListening(s, bound == null ? local : bound, options.reuseAddress(),
                            strategy == AcceptStrategy.REUSEPORT, options.backlog());
                    fds.add(new int[] {fd});
                    if (bound == null) {
                        bound = LinuxSocket.localAddress(s, fd);
                    }
                }
            } catch (IOException | RuntimeException e) {
                for (int[] fd : fds) {
                    LinuxSocket.closeQuietly(s.state, fd[0]);
                }
                throw e;
            }
        }
        this.localAddress = bound;
        this.handoffId = stack.registerHandoff(this);
        int acceptWorker = strategy == AcceptStrategy.FIXED ? options.fixedWorker() : 0;
        for (int i = 0; i < fds.size(); i++) {
            UringWorker w = (UringWorker) stack.worker(fds.size() == 1 ? acceptWorker : i);
            addSocket(w, new Acceptor(w, fds.get(i)[0]));
        }
        for (Acceptor ac : listeningSockets()) {
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

    /** On the acceptor's worker: closing is {@link AbstractListener}'s (every worker, the registry, a Unix socket's file). */
    @Override
    protected void closeSocket(Acceptor ac) {
        ac.close();
    }

    @Override
    public String toString() {
        return "io_uring listener " + localAddress + " (" + strategy + ")";
    }

    /** The accept on one worker. */
    final class Acceptor implements Completable, AutoCloseable {
        final UringWorker w;
        final int fd;
        int slot = -1;
        int generation;
        int inflight;
        boolean armed;
        boolean closing;
        boolean finished;
        boolean warned;
        final AcceptBackoff backoff = new AcceptBackoff();

        Acceptor(UringWorker w, int fd) {
            this.w = w;
            this.fd = fd;
        }

        void start() {
            if (isClosed()) {
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
                    LinuxSocket.closeQuietly(w.scratch().state, res);
                } else {
                    dispatch(res);
                }
                if (!more) {
                    arm();
                }
            } else if (closing) {
                // -ECANCELED / -EINVAL after the socket was shut down: expected
            } else if (LinuxSocket.isAcceptResourceError(-res)) {
                if (!warned) {
                    warned = true;
                    LOG.warn("{}: accept: {}; backing off until it succeeds", UringListener.this, Errno.name(-res));
                }
                if (!more) {
                    w.acceptBackoffs++;
                    w.schedule(this::arm, backoff.nextDelayNanos(), TimeUnit.NANOSECONDS);
                }
            } else if (!more) {
                // ECONNABORTED, EINTR, EAGAIN, EPERM (firewall): the listener stays; accept again.
                arm();
            }
            maybeFinish();
        }

        private void dispatch(int cfd) {
            backoff.reset();
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
                    remote = LinuxSocket.remoteAddress(w.scratch(), cfd);
                } catch (IOException e) {
                    LinuxSocket.closeQuietly(w.scratch().state, cfd);
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
                LinuxSocket.shutdown(w.scratch(), fd, socket_h.SHUT_RDWR);
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
            LinuxSocket.closeQuietly(w.scratch().state, fd);
            if (slot >= 0) {
                w.freeSlot(slot);
            }
        }
    }
}
