package dev.isthmus.epoll;

import dev.isthmus.ffi.Errno;
import dev.isthmus.ffi.posix.epoll_h;
import dev.isthmus.ffi.posix.errno_h;
import dev.isthmus.ffi.posix.socket_h;
import dev.isthmus.ffi.posix.uio_h;
import dev.isthmus.linux.socket.LinuxSocket;
import dev.isthmus.linux.socket.SocketOptionTable;
import dev.isthmus.stack.ConnectionHandler;
import dev.isthmus.stack.buffer.BufferPool;
import dev.isthmus.stack.buffer.OutboundChain;
import dev.isthmus.stack.buffer.PooledBuffer;
import dev.isthmus.stack.spi.AbstractConnection;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.net.SocketAddress;
import java.net.SocketOption;

/**
 * A stream socket on an epoll worker.
 *
 * <h2>Reading</h2>
 * Each recv(2) lands in a fresh pool buffer that is appended to the inbound chain, then {@code onData}
 * runs. A read that fills less than the buffer means the receive queue was empty at that moment, so the
 * loop stops there: any byte that arrives later raises a new edge (tcp_data_queue wakes the socket's
 * wait queue for every segment). Only after EPOLLRDHUP/EPOLLHUP does it read on to the EOF. At most
 * {@code epoll.maxReadsPerWakeup} reads per event; see {@link EpollWorker} for what happens past that.
 *
 * <h2>Writing</h2>
 * A flush gathers the outbound chain into the worker's iovec array and makes one writev(2) (one send(2)
 * when it is a single piece at the start of its buffer, the usual case); a short
 * count or EAGAIN adds EPOLLOUT to the registration, which is dropped again once nothing is pending, so
 * an idle connection gets no writability events.
 *
 * <h2>Registration</h2>
 * Edge-triggered: EPOLLIN|EPOLLRDHUP|EPOLLET, once. Level-triggered: EPOLLIN|EPOLLRDHUP while input is
 * open (dropped at EOF or shutdownInput, or it would be reported forever), EPOLLOUT only while bytes are
 * pending. close(2) removes the fd from epoll (epoll(7), Q6), so no EPOLL_CTL_DEL is made.
 */
final class EpollConnection extends AbstractConnection {
    /** For {@link #register}: the socket is not in epoll yet (a registration always has EPOLLIN). */
    static final int NOT_REGISTERED = 0;

    final int fd;
    final int family;
    final int generation;
    private final EpollWorker w;
    private final boolean edge;
    private final int maxReads;
    /** The events currently registered; -1 before registration. */
    private int interest = -1;
    /** EPOLLRDHUP or EPOLLHUP seen: read on to the EOF even after a short read. */
    private boolean peerClosing;
    /** recv(2) returned 0. */
    private boolean eof;
    private boolean fdClosed;
    /** Removed from epoll after a hang-up (see {@link #hangupAfterInput}). */
    private boolean deregistered;
    boolean inReadyList;

    EpollConnection(EpollWorker w, int fd, int family, int generation, ConnectionHandler handler,
                    SocketAddress local, SocketAddress remote) {
        super(w, handler, local, remote);
        this.w = w;
        this.fd = fd;
        this.family = family;
        this.generation = generation;
        this.edge = w.config.edgeTriggered();
        this.maxReads = w.config.maxReadsPerWakeup();
    }

    /** The events for the current state: read interest while input is open, write interest while needed. */
    private int wanted(boolean wantWrite) {
        int ev = 0;
        if (!eof && !isInputShut() && !isReadingPaused()) {
            ev |= epoll_h.EPOLLIN | epoll_h.EPOLLRDHUP;
        }
        if (edge) {
            ev |= epoll_h.EPOLLET;
        }
        if (wantWrite) {
            ev |= epoll_h.EPOLLOUT;
        }
        return ev;
    }

    /**
     * Adds the socket to the worker's epoll (skipped when an acceptor already did, with
     * {@code registeredEvents}, or {@link #NOT_REGISTERED}). Throws with the errno if epoll_ctl failed.
     * (EPOLLET is bit 31, so registered events may be negative.)
     */
    void register(int registeredEvents) throws IOException {
        if (registeredEvents != NOT_REGISTERED) {
            interest = registeredEvents;
            return;
        }
        int ev = wanted(false);
        if (w.ctlConnection(epoll_h.EPOLL_CTL_ADD, this, ev) != 0) {
            throw Errno.exception("epoll_ctl(ADD)", w.scratch.errno());
        }
        interest = ev;
    }

    /** The connection is up and registered: onOpen (AbstractConnection.opened is protected). */
    void openedByStack() {
        opened();
    }

    /** Re-registers with the events the state asks for, if they changed. */
    private void updateInterest(boolean wantWrite) {
        int ev = wanted(wantWrite);
        if (fdClosed || (deregistered ? !wantWrite : ev == interest)) {
            return;
        }
        if (w.ctlConnection(deregistered ? epoll_h.EPOLL_CTL_ADD : epoll_h.EPOLL_CTL_MOD, this, ev) != 0) {
            failed(Errno.exception("epoll_ctl", w.scratch.errno()));
            return;
        }
        deregistered = false;
        interest = ev;
    }

    /** Called by the worker with what epoll_wait reported. */
    void onEvents(int ev) {
        if ((ev & epoll_h.EPOLLOUT) != 0 && !isClosed()) {
            if (outbound().pendingBytes() > 0) {
                // Through flush(), so the flushing/close/watermark bookkeeping runs as for a user flush.
                flush();
            } else {
                updateInterest(false);
            }
        }
        if ((ev & (epoll_h.EPOLLRDHUP | epoll_h.EPOLLHUP | epoll_h.EPOLLERR)) != 0) {
            peerClosing = true;
        }
        if ((ev & (epoll_h.EPOLLIN | epoll_h.EPOLLRDHUP | epoll_h.EPOLLHUP | epoll_h.EPOLLERR)) != 0 && !isClosed()) {
            if (eof || isInputShut()) {
                hangupAfterInput(ev);
            } else if (!inReadyList && !isReadingPaused()) {
                // In the ready list it is read in this turn or the next anyway; reading here too would
                // let it take twice its bound per turn.
                readReady();
            }
        }
    }

    /** Resumes a connection that stopped at its read bound in the last turn. */
    void continueReading() {
        if (!isClosed() && !eof && !isInputShut() && !isReadingPaused()) {
            readReady();
        }
    }

    /** Reads once right after onOpen: for a handed-off socket whose first edge may have gone unseen. */
    void readSoon() {
        if (!isClosed()) {
            readReady();
        }
    }

    private void readReady() {
        BufferPool pool = w.bufferPool();
        for (int i = 0; i < maxReads; i++) {
            PooledBuffer b = pool.allocate();
            int cap = b.capacity();
            long n = socket_h.recv$critical(w.state, fd, b.segment(), cap, 0);
            w.countSyscalls(1);
            if (n > 0) {
                b.advanceWrite((int) n);
                received(b);
                if (isClosed() || isInputShut() || isReadingPaused()) {
                    return;
                }
                if (n < cap && !peerClosing) {
                    return;
                }
                continue;
            }
            b.release();
            if (n == 0) {
                w.countRead(0);
                eof = true;
                inputEnded();
                if (!isClosed() && !edge) {
                    updateInterest((interest & epoll_h.EPOLLOUT) != 0);
                }
                return;
            }
            int e = w.scratch.errno();
            if (e == errno_h.EAGAIN) {
                w.countRead(0);
                return;
            }
            if (e == errno_h.EINTR) {
                i--;
                continue;
            }
            failed(Errno.exception("recv", e));
            return;
        }
        if (edge) {
            w.addReady(this);
        }
    }

    /**
     * EPOLLHUP/EPOLLERR after reading stopped (EOF seen or input shut). A pending error (SO_ERROR) closes
     * the connection with it; a hang-up with nothing left to send leaves epoll so a level-triggered
     * registration does not report it forever, until the application closes.
     */
    private void hangupAfterInput(int ev) {
        if ((ev & (epoll_h.EPOLLERR | epoll_h.EPOLLHUP)) == 0) {
            return;
        }
        try {
            int err = LinuxSocket.soError(w.scratch, fd);
            if (err != 0) {
                failed(Errno.exception("read", err));
                return;
            }
        } catch (IOException e) {
            failed(e);
            return;
        }
        if ((ev & epoll_h.EPOLLHUP) != 0 && outbound().pendingBytes() == 0 && !deregistered) {
            w.ctlConnection(epoll_h.EPOLL_CTL_DEL, this, 0);
            deregistered = true;
        }
    }

    @Override
    protected void doFlush() throws IOException {
        OutboundChain out = outbound();
        IovecArray v = w.iov;
        while (out.pendingBytes() > 0) {
            v.bytes = 0;
            int count = out.gather(v, IovecArray.CAPACITY);
            // One piece at the start of its buffer (the usual flush: the replies to one read) goes out with
            // send(2): writev(2) would first copy the iovec array in from user memory (import_iovec).
            // send/recv rather than write/read: on a socket they do the same, but write/read go through the
            // VFS first (fdget_pos, rw_verify_area, the fsnotify hooks), about 1.5 % of the server's CPU per
            // request in the HTTP benchmark. MSG_NOSIGNAL: a peer gone gives EPIPE, never SIGPIPE.
            boolean single = count == 1 && v.firstOffset == 0;
            long n = single
                    ? socket_h.send$critical(w.state, fd, v.first, v.bytes, socket_h.MSG_NOSIGNAL)
                    : uio_h.writev$critical(w.state, fd, v.segment, count);
            w.countSyscalls(1);
            if (n < 0) {
                int e = w.scratch.errno();
                if (e == errno_h.EINTR) {
                    continue;
                }
                if (e == errno_h.EAGAIN) {
                    break;
                }
                throw Errno.exception(single ? "send" : "writev", e);
            }
            long asked = v.bytes;
            written(n);
            if (isClosed()) {
                return;
            }
            if (n < asked) {
                break;
            }
        }
        updateInterest(out.pendingBytes() > 0);
    }

    /** Drops EPOLLIN/EPOLLRDHUP from the registration; bytes wait in the socket's receive queue. */
    @Override
    protected void doPauseReading() {
        updateInterest((interest & epoll_h.EPOLLOUT) != 0);
    }

    /**
     * Registers read interest again. EPOLL_CTL_MOD re-evaluates readiness, so bytes that queued while
     * paused raise an event even in edge-triggered mode.
     */
    @Override
    protected void doResumeReading() {
        updateInterest((interest & epoll_h.EPOLLOUT) != 0);
    }

    @Override
    protected void doShutdownOutput() throws IOException {
        LinuxSocket.shutdown(w.scratch, fd, socket_h.SHUT_WR);
    }

    @Override
    protected void doShutdownInput() throws IOException {
        LinuxSocket.shutdown(w.scratch, fd, socket_h.SHUT_RD);
        updateInterest((interest & epoll_h.EPOLLOUT) != 0);
    }

    @Override
    protected void doClose(boolean abortive) throws IOException {
        if (fdClosed) {
            return;
        }
        fdClosed = true;
        w.removeConnection(this);
        if (abortive) {
            // SO_LINGER {1, 0}: close(2) sends RST and drops the send queue (socket(7)).
            try {
                LinuxSocket.setLinger(w.scratch, fd, 0);
            } catch (IOException e) {
                // The socket is closed below anyway; the peer may see FIN instead of RST.
                EpollWorker.log().debug("{}: SO_LINGER before abortive close failed: {}", this, e.getMessage());
            }
        }
        w.countSyscalls(1);
        LinuxSocket.close(w.state, fd);
    }

    @Override
    protected <T> void doSetOption(SocketOption<T> option, T value) throws IOException {
        LinuxSocket.setOption(w.scratch, fd, family, SocketOptionTable.EPOLL, option, value);
    }

    @Override
    protected <T> T doGetOption(SocketOption<T> option) throws IOException {
        return LinuxSocket.getOption(w.scratch, fd, family, SocketOptionTable.EPOLL, option);
    }

    @Override
    protected void doSetRawOption(int level, int name, MemorySegment value) throws IOException {
        LinuxSocket.setRaw(w.scratch, fd, level, name, value);
    }

    @Override
    protected int doGetRawOption(int level, int name, MemorySegment value) throws IOException {
        return LinuxSocket.getRaw(w.scratch, fd, level, name, value);
    }
}
