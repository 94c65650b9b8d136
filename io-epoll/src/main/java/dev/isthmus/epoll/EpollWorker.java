package dev.isthmus.epoll;

import dev.isthmus.ffi.CallState;
import dev.isthmus.ffi.Errno;
import dev.isthmus.ffi.posix.epoll_event;
import dev.isthmus.ffi.posix.epoll_h;
import dev.isthmus.ffi.posix.errno_h;
import dev.isthmus.ffi.posix.eventfd_h;
import dev.isthmus.linux.socket.CpuAffinity;
import dev.isthmus.linux.socket.LinuxSocket;
import dev.isthmus.linux.socket.SocketOptionTable;
import dev.isthmus.stack.spi.AbstractNetworkStack;
import dev.isthmus.stack.spi.AbstractWorker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One epoll loop on one thread: an epoll instance, an eventfd to be woken through, the epoll_event
 * array epoll_wait fills, an iovec array for writev, and tables indexed by fd (no map lookup per event).
 *
 * <h2>Wake-ups</h2>
 * {@link AbstractWorker} sets its {@code sleeping} flag before it calls {@link #poll} with a non-zero
 * timeout and clears it after; another thread's {@code execute} calls {@link #wakeup()} only when it
 * clears that flag itself. So the eventfd is written only when this worker is, or is about to be,
 * asleep in epoll_wait; {@link #eventfdWrites()} counts the writes.
 *
 * <h2>Fairness</h2>
 * A connection reads at most {@code epoll.maxReadsPerWakeup} times per event. In edge-triggered mode
 * epoll will not report it again while data is left, so such a connection goes into a ready list that
 * the next loop turn reads (with a zero epoll_wait timeout while the list is not empty).
 *
 * <h2>Accepting for another worker</h2>
 * epoll_ctl is safe on another thread's epoll fd (the kernel locks the instance), so an acceptor adds an
 * accepted socket straight into the target worker's epoll (Netpoll's way) and hands the socket over with
 * {@link #execute} only to create its connection object and run {@code onOpen} there. An event that
 * arrives before the object exists finds an empty table slot and is dropped; the connection reads once
 * right after {@code onOpen}, so an edge lost that way loses no data.
 */
final class EpollWorker extends AbstractWorker {
    private static final Logger LOG = LoggerFactory.getLogger(EpollWorker.class);
    private static final long NANOS_PER_MILLI = 1_000_000L;

    final EpollConfig config;
    final EpollNetworkStack epollStack;
    /** Worker-thread scratch: errno capture, an address buffer, option values. */
    LinuxSocket.Scratch scratch;
    /** {@code scratch.state}, kept in a field for the hot path. */
    MemorySegment state;
    IovecArray iov;
    private MemorySegment events;
    private MemorySegment ctlEvent;
    private MemorySegment eventfdValue;
    private int maxEvents;
    /** Written once on the worker thread before the stack's open returns; read by acceptors elsewhere. */
    private volatile int epfd = -1;

    // wakeup() runs on any thread: its errno capture cannot live in the worker's confined arena. An
    // automatic arena frees it once the worker is unreachable; the lock keeps the eventfd from being
    // written after onStop closed it (a reused fd number would get 8 stray bytes).
    private final Object wakeLock = new Object();
    private final MemorySegment wakeState = CallState.allocate(Arena.ofAuto()).segment();
    private int eventFd = -1;
    private final AtomicLong eventfdWrites = new AtomicLong();
    private final AtomicInteger generations = new AtomicInteger();
    /** epoll_wait calls so far (worker thread; tests read it through {@link #call}). */
    long epollWaits;

    private EpollConnection[] connections = new EpollConnection[256];
    private EpollSource[] sources = new EpollSource[64];
    private int[] sourceGenerations = new int[64];
    private EpollConnection[] ready = new EpollConnection[16];
    private int readyCount;
    private EpollConnection[] readyBatch = new EpollConnection[16];

    EpollWorker(EpollNetworkStack stack, int index, EpollConfig config) {
        super(stack, index);
        this.epollStack = stack;
        this.config = config;
    }

    // ---- AbstractWorker hooks ------------------------------------------------------------------

    @Override
    protected void onStart() throws IOException {
        Arena arena = arena();
        scratch = new LinuxSocket.Scratch(arena);
        state = scratch.state;
        iov = new IovecArray(arena);
        maxEvents = config.maxEvents();
        events = epoll_event.allocateArray(maxEvents, arena);
        ctlEvent = epoll_event.allocate(arena);
        eventfdValue = arena.allocate(ValueLayout.JAVA_LONG);
        int ep = epoll_h.epoll_create1(state, epoll_h.EPOLL_CLOEXEC);
        if (ep < 0) {
            throw Errno.exception("epoll_create1", scratch.errno());
        }
        int efd = eventfd_h.eventfd(state, 0, eventfd_h.EFD_NONBLOCK | eventfd_h.EFD_CLOEXEC);
        if (efd < 0) {
            int e = scratch.errno();
            LinuxSocket.closeQuietly(state, ep);
            throw Errno.exception("eventfd", e);
        }
        // Level-triggered: the counter is read on every wake-up, so it never needs a second edge.
        if (ctl(state, ctlEvent, ep, epoll_h.EPOLL_CTL_ADD, efd, epoll_h.EPOLLIN, UserData.pack(UserData.WAKEUP, 0, efd)) != 0) {
            int e = scratch.errno();
            LinuxSocket.closeQuietly(state, efd);
            LinuxSocket.closeQuietly(state, ep);
            throw Errno.exception("epoll_ctl(ADD eventfd)", e);
        }
        synchronized (wakeLock) {
            eventFd = efd;
        }
        epfd = ep;
    }

    @Override
    protected void onStop() {
        synchronized (wakeLock) {
            LinuxSocket.closeQuietly(state, eventFd);
            eventFd = -1;
        }
        LinuxSocket.closeQuietly(state, epfd);
        epfd = -1;
        Arrays.fill(connections, null);
        Arrays.fill(sources, null);
    }

    @Override
    protected void pinToCpu(int cpu) throws IOException {
        CpuAffinity.pinCurrentThread(cpu);
    }

    @Override
    protected void wakeup() {
        synchronized (wakeLock) {
            if (eventFd >= 0) {
                eventfdWrites.incrementAndGet();
                // EAGAIN only if the counter is near 2^64, i.e. the worker is already due to wake.
                eventfd_h.eventfd_write$critical(wakeState, eventFd, 1L);
            }
        }
    }

    @Override
    protected int poll(long timeoutNanos) throws IOException {
        int timeoutMs;
        if (readyCount > 0 || timeoutNanos == 0) {
            timeoutMs = 0;
        } else if (timeoutNanos < 0) {
            timeoutMs = -1;
        } else {
            // Round up: waking before the timer is due would only spin through another turn.
            timeoutMs = (int) Math.min(Integer.MAX_VALUE, (timeoutNanos + NANOS_PER_MILLI - 1) / NANOS_PER_MILLI);
        }
        // Taken before the events are handled: connections that hit their read bound during this turn
        // go to the next one, so the list cannot grow without bound within a turn.
        int carried = readyCount;
        if (carried > 0) {
            EpollConnection[] t = readyBatch;
            readyBatch = ready;
            ready = t;
            readyCount = 0;
        }
        int n = epoll_h.epoll_wait(state, epfd, events, maxEvents, timeoutMs);
        countSyscalls(1);
        epollWaits++;
        if (n < 0) {
            int e = scratch.errno();
            if (e != errno_h.EINTR) {
                throw Errno.exception("epoll_wait", e);
            }
            n = 0;
        }
        for (int i = 0; i < n; i++) {
            int ev = epoll_event.events$at(events, i);
            long data = epoll_event.data_u64$at(events, i);
            int fd = UserData.fd(data);
            switch (UserData.kind(data)) {
                case UserData.CONNECTION -> {
                    EpollConnection c = fd < connections.length ? connections[fd] : null;
                    if (c != null && c.generation == UserData.generation(data)) {
                        c.onEvents(ev);
                    }
                }
                case UserData.WAKEUP -> eventfd_h.eventfd_read$critical(state, fd, eventfdValue);
                default -> {
                    EpollSource s = fd < sources.length ? sources[fd] : null;
                    if (s != null && sourceGenerations[fd] == UserData.generation(data)) {
                        s.onEvents(ev);
                    }
                }
            }
        }
        for (int i = 0; i < carried; i++) {
            EpollConnection c = readyBatch[i];
            readyBatch[i] = null;
            c.inReadyList = false;
            c.continueReading();
        }
        return n + carried;
    }

    // ---- tables --------------------------------------------------------------------------------

    /** A fresh generation for a registration (any thread). */
    int nextGeneration() {
        return generations.incrementAndGet() & UserData.GENERATION_MASK;
    }

    /** The epoll fd, for an acceptor on another thread that registers a socket here. */
    int epfd() {
        return epfd;
    }

    void putConnection(EpollConnection c) {
        int fd = c.fd;
        if (fd >= connections.length) {
            connections = Arrays.copyOf(connections, Math.max(fd + 1, connections.length * 2));
        }
        connections[fd] = c;
    }

    void removeConnection(EpollConnection c) {
        int fd = c.fd;
        if (fd < connections.length && connections[fd] == c) {
            connections[fd] = null;
        }
    }

    /** Registers a listener, pending connect or UDP socket with {@code events}; returns its generation. */
    int addSource(int fd, EpollSource s, int events) throws IOException {
        if (fd >= sources.length) {
            int n = Math.max(fd + 1, sources.length * 2);
            sources = Arrays.copyOf(sources, n);
            sourceGenerations = Arrays.copyOf(sourceGenerations, n);
        }
        int gen = nextGeneration();
        sources[fd] = s;
        sourceGenerations[fd] = gen;
        if (ctl(state, ctlEvent, epfd, epoll_h.EPOLL_CTL_ADD, fd, events, UserData.pack(UserData.SOURCE, gen, fd)) != 0) {
            sources[fd] = null;
            throw Errno.exception("epoll_ctl(ADD)", scratch.errno());
        }
        return gen;
    }

    /** Changes the events of a source (0 pauses it without losing its registration). */
    void modifySource(int fd, int gen, int events) throws IOException {
        if (ctl(state, ctlEvent, epfd, epoll_h.EPOLL_CTL_MOD, fd, events, UserData.pack(UserData.SOURCE, gen, fd)) != 0) {
            throw Errno.exception("epoll_ctl(MOD)", scratch.errno());
        }
    }

    /** Forgets a source; closing its fd removes it from epoll. */
    void removeSource(int fd, EpollSource s) {
        if (fd >= 0 && fd < sources.length && sources[fd] == s) {
            sources[fd] = null;
        }
    }

    /** Adds or changes a connection's registration (worker thread). */
    int ctlConnection(int op, EpollConnection c, int events) {
        countSyscalls(1);
        return ctl(state, ctlEvent, epfd, op, c.fd, events, UserData.pack(UserData.CONNECTION, c.generation, c.fd));
    }

    /** Queues a connection that stopped at its read bound with data left (edge-triggered mode). */
    void addReady(EpollConnection c) {
        if (c.inReadyList) {
            return;
        }
        if (readyCount == ready.length) {
            ready = Arrays.copyOf(ready, readyCount * 2);
        }
        c.inReadyList = true;
        ready[readyCount++] = c;
    }

    /** epoll_ctl(2) with {@code ev} as the scratch epoll_event; returns 0 or -1 (errno in {@code st}). */
    static int ctl(MemorySegment st, MemorySegment ev, int epfd, int op, int fd, int events, long data) {
        epoll_event.events(ev, events);
        epoll_event.data_u64(ev, data);
        return epoll_h.epoll_ctl$critical(st, epfd, op, fd, ev);
    }

    // ---- accepted and connected sockets --------------------------------------------------------

    /** What a new connection is registered with before anything is pending. */
    static int initialEvents(EpollConfig c) {
        return epoll_h.EPOLLIN | epoll_h.EPOLLRDHUP | (c.edgeTriggered() ? epoll_h.EPOLLET : 0);
    }

    /**
     * Adds accepted socket {@code fd} to {@code target}'s epoll from this (the acceptor's) thread, with
     * this worker's scratch memory. Returns false (logged) if epoll_ctl failed.
     */
    boolean addForOther(EpollWorker target, int fd, int gen, int events) {
        countSyscalls(1);
        if (ctl(state, ctlEvent, target.epfd(), epoll_h.EPOLL_CTL_ADD, fd, events,
                UserData.pack(UserData.CONNECTION, gen, fd)) != 0) {
            LOG.warn("worker {}: cannot hand an accepted socket to worker {}: {}", index(), target.index(),
                    Errno.exception("epoll_ctl(ADD)", scratch.errno()).getMessage());
            return false;
        }
        return true;
    }

    /**
     * Makes the connection for accepted socket {@code fd} on this worker and calls onOpen. With
     * {@code registeredEvents} other than NOT_REGISTERED an acceptor already added it to this epoll; it is then read once at
     * once, since an edge that fired before the connection existed was dropped.
     */
    void adopt(int fd, int gen, SocketAddress local, SocketAddress remote, EpollListener l, int registeredEvents) {
        countAccepted();
        EpollConnection c;
        try {
            if (local == null) {
                local = LinuxSocket.localAddress(scratch, fd);
            }
            for (Map.Entry<SocketOption<?>, Object> e : l.socketOptions.entrySet()) {
                LinuxSocket.setOption(scratch, fd, l.family, SocketOptionTable.EPOLL, e.getKey(), e.getValue());
            }
            applyBusyPoll(fd, l.family);
            c = new EpollConnection(this, fd, l.family, gen, l.handlers.newHandler(), local, remote);
        } catch (Exception | LinkageError e) {
            LOG.warn("worker {}: dropping a connection accepted by {}: {}", index(), l, e.toString());
            LinuxSocket.closeQuietly(state, fd);
            return;
        }
        putConnection(c);
        try {
            c.register(registeredEvents);
        } catch (IOException e) {
            removeConnection(c);
            LOG.warn("worker {}: dropping a connection accepted by {}: {}", index(), l, e.getMessage());
            LinuxSocket.closeQuietly(state, fd);
            return;
        }
        c.openedByStack();
        if (registeredEvents != EpollConnection.NOT_REGISTERED) {
            c.readSoon();
        }
    }

    /** SO_BUSY_POLL from {@code epoll.busyPollUs}, on TCP sockets; a refusal is logged once. */
    void applyBusyPoll(int fd, int family) {
        if (config.busyPollUs() > 0 && family != dev.isthmus.ffi.posix.socket_h.AF_UNIX) {
            try {
                LinuxSocket.setInt(scratch, fd, dev.isthmus.ffi.posix.socket_h.SOL_SOCKET,
                        dev.isthmus.ffi.posix.socket_h.SO_BUSY_POLL, config.busyPollUs(), "SO_BUSY_POLL");
            } catch (IOException e) {
                if (!busyPollWarned) {
                    busyPollWarned = true;
                    LOG.warn("worker {}: {} (epoll.busyPollUs={} ignored)", index(), e.getMessage(), config.busyPollUs());
                }
            }
        }
    }

    private boolean busyPollWarned;

    // ---- for tests and the stack ---------------------------------------------------------------

    /** How many times another thread wrote the eventfd to wake this worker. */
    long eventfdWrites() {
        return eventfdWrites.get();
    }

    /**
     * Runs {@code task} on this worker and waits for its result; inline when already on it. The shared
     * {@link AbstractNetworkStack#callAndWait} does the hand-off, so a stopped worker is an IOException,
     * not a wait that never ends.
     */
    <T> T call(AbstractNetworkStack.IoCallable<T> task) throws IOException {
        return AbstractNetworkStack.callAndWait(this, task);
    }

    static Logger log() {
        return LOG;
    }
}
