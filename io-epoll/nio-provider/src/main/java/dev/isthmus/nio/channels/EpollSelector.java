package dev.isthmus.nio.channels;

import dev.isthmus.ffi.Errno;
import dev.isthmus.ffi.posix.epoll_event;
import dev.isthmus.ffi.posix.epoll_h;
import dev.isthmus.ffi.posix.errno_h;
import dev.isthmus.ffi.posix.eventfd_h;
import dev.isthmus.linux.socket.LinuxSocket;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.IllegalSelectorException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.spi.AbstractSelectableChannel;
import java.nio.channels.spi.AbstractSelector;
import java.nio.channels.spi.SelectorProvider;
import java.util.AbstractSet;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * A {@link Selector} on one epoll instance. Each channel is added once, for EPOLLIN|EPOLLOUT|EPOLLRDHUP with
 * EPOLLET, and never modified: the edges epoll reports are kept in the channel's {@link Readiness} until a
 * call meets EAGAIN, so {@link SelectionKey#interestOps(int)} is a field write (the JDK's epoll selector makes
 * an epoll_ctl for each change). Level-triggered behaviour, which the Selector contract promises (a key stays
 * selected while its channel is ready), comes from the <em>ready list</em>: every key whose channel is ready
 * for something it is interested in is listed, each selection reports the listed keys that are still ready
 * and drops those that are not, and while one is listed the selection does not sleep.
 *
 * <p>Wake-up: an eventfd in the same epoll set ({@link #wakeup()} writes it at most once per selection).
 * Deregistration follows AbstractSelector's route: cancelled keys are removed (epoll_ctl DEL) before and after
 * each epoll_wait, and a channel closed while registered is killed (its descriptor closed) when its last key
 * is gone.
 */
final class EpollSelector extends AbstractSelector {
    private static final int MAX_EVENTS = 256;
    /** Every channel's registration: both directions, peer half-close, edge-triggered. */
    private static final int EVENTS = epoll_h.EPOLLIN | epoll_h.EPOLLOUT | epoll_h.EPOLLRDHUP | epoll_h.EPOLLET;
    private static final int READ_EVENTS = epoll_h.EPOLLIN | epoll_h.EPOLLRDHUP | epoll_h.EPOLLHUP | epoll_h.EPOLLERR;
    private static final int WRITE_EVENTS = epoll_h.EPOLLOUT | epoll_h.EPOLLHUP | epoll_h.EPOLLERR;

    private final Arena arena = Arena.ofShared();
    private final MemorySegment events;
    private final MemorySegment wakeValue;
    private final int epfd;
    private final int wakeFd;

    private final Set<SelectionKey> keys = ConcurrentHashMap.newKeySet();
    private final Set<SelectionKey> publicKeys = Collections.unmodifiableSet(keys);
    private final Set<SelectionKey> selected = new HashSet<>();
    private final Set<SelectionKey> publicSelected = new Ungrowable(selected);

    /** Keys by descriptor; written under {@link #regLock}, read by the selecting thread. */
    private volatile EpollSelectionKey[] byFd = new EpollSelectionKey[256];
    private final Object regLock = new Object();

    /** The ready list and the array it is swapped with while a selection scans it. */
    private final Object readyLock = new Object();
    private EpollSelectionKey[] ready = new EpollSelectionKey[64];
    private int readyCount;
    private EpollSelectionKey[] scanning = new EpollSelectionKey[64];

    private final AtomicBoolean wakeupPending = new AtomicBoolean();
    /** Orders {@link #wakeup()}'s eventfd write before the close of the eventfd. */
    private final Object wakeLock = new Object();
    private boolean fdsClosed;
    /** epoll_ctl calls made for channels (ADD and DEL), for the test that interest changes make none. */
    private final java.util.concurrent.atomic.AtomicLong channelCtls = new java.util.concurrent.atomic.AtomicLong();
    /** One recv per ready stream channel in one io_uring_enter after each epoll_wait; null when off. */
    private ReadAhead readAhead;

    EpollSelector(SelectorProvider provider) throws IOException {
        super(provider);
        ThreadIo io = ThreadIo.current();
        int ep = epoll_h.epoll_create1(io.state(), epoll_h.EPOLL_CLOEXEC);
        if (ep < 0) {
            arena.close();
            throw Errno.exception("epoll_create1", io.errno());
        }
        int ev = eventfd_h.eventfd(io.state(), 0, eventfd_h.EFD_NONBLOCK | eventfd_h.EFD_CLOEXEC);
        if (ev < 0) {
            int e = io.errno();
            LinuxSocket.closeQuietly(io.state(), ep);
            arena.close();
            throw Errno.exception("eventfd", e);
        }
        epfd = ep;
        wakeFd = ev;
        events = epoll_event.allocateArray(MAX_EVENTS, arena);
        wakeValue = arena.allocate(8, 8);
        try {
            ctl(io, epoll_h.EPOLL_CTL_ADD, wakeFd, epoll_h.EPOLLIN);
        } catch (IOException e) {
            LinuxSocket.closeQuietly(io.state(), ep);
            LinuxSocket.closeQuietly(io.state(), ev);
            arena.close();
            throw e;
        }
        try {
            readAhead = ReadAhead.open(MAX_EVENTS);
        } catch (IllegalArgumentException e) { // a bad value of the switch
            LinuxSocket.closeQuietly(io.state(), ep);
            LinuxSocket.closeQuietly(io.state(), ev);
            arena.close();
            throw e;
        }
    }

    private void ctl(ThreadIo io, int op, int fd, int ev) throws IOException {
        MemorySegment e = io.scratch.value; // 64 bytes, room for the packed 12-byte epoll_event
        epoll_event.events(e, ev);
        epoll_event.data_u64(e, fd);
        if (epoll_h.epoll_ctl(io.state(), epfd, op, fd, e) != 0) {
            throw Errno.exception("epoll_ctl(" + (op == epoll_h.EPOLL_CTL_ADD ? "ADD" : "DEL") + ")", io.errno());
        }
    }

    @Override
    public Set<SelectionKey> keys() {
        ensureOpen();
        return publicKeys;
    }

    @Override
    public Set<SelectionKey> selectedKeys() {
        ensureOpen();
        return publicSelected;
    }

    @Override
    public int selectNow() throws IOException {
        return lockAndSelect(null, 0);
    }

    @Override
    public int select(long timeout) throws IOException {
        if (timeout < 0) {
            throw new IllegalArgumentException("Negative timeout");
        }
        return lockAndSelect(null, timeout == 0 ? -1 : timeout);
    }

    @Override
    public int select() throws IOException {
        return lockAndSelect(null, -1);
    }

    @Override
    public int select(Consumer<SelectionKey> action, long timeout) throws IOException {
        if (timeout < 0) {
            throw new IllegalArgumentException("Negative timeout");
        }
        return lockAndSelect(requireAction(action), timeout == 0 ? -1 : timeout);
    }

    @Override
    public int select(Consumer<SelectionKey> action) throws IOException {
        return lockAndSelect(requireAction(action), -1);
    }

    @Override
    public int selectNow(Consumer<SelectionKey> action) throws IOException {
        return lockAndSelect(requireAction(action), 0);
    }

    private static Consumer<SelectionKey> requireAction(Consumer<SelectionKey> action) {
        if (action == null) {
            throw new NullPointerException("action");
        }
        return action;
    }

    private void ensureOpen() {
        if (!isOpen()) {
            throw new ClosedSelectorException();
        }
    }

    /** Selections are serialised on the selector, then on the selected-key set, as the JDK does. */
    private int lockAndSelect(Consumer<SelectionKey> action, long timeoutMs) throws IOException {
        synchronized (this) {
            ensureOpen();
            synchronized (publicSelected) {
                return doSelect(action, timeoutMs);
            }
        }
    }

    private int doSelect(Consumer<SelectionKey> action, long timeoutMs) throws IOException {
        ThreadIo io = ThreadIo.current();
        processDeregisterQueue();
        int timeout = timeoutMs > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) timeoutMs;
        if (timeout != 0 && anyListedReady()) {
            timeout = 0;
        }
        long deadline = timeout > 0 ? System.nanoTime() + timeout * 1_000_000L : 0;
        while (true) {
            int n = await(io, timeout);
            processDeregisterQueue();
            boolean woken = harvest(io, n);
            wakeupPending.set(false);
            int updated = report(action);
            // Edge-triggered registration for both directions means epoll also wakes us for edges no key is
            // interested in (EPOLLOUT while only OP_READ is wanted); then wait again for the rest of the time,
            // so that select returns as the JDK's does: something selected, wakeup, interrupt or time-out.
            if (updated > 0 || woken || n == 0 || timeout == 0 || Thread.currentThread().isInterrupted() || !isOpen()) {
                return updated;
            }
            if (timeout > 0) {
                long left = (deadline - System.nanoTime()) / 1_000_000L;
                if (left <= 0) {
                    return updated;
                }
                timeout = (int) left;
            }
        }
    }

    /** epoll_wait, interruptible when it may block; 0 for EINTR or an interrupted thread. */
    private int await(ThreadIo io, int timeout) throws IOException {
        boolean blocking = timeout != 0;
        if (blocking) {
            begin(); // an interrupt wakes the selector (AbstractSelector's interruptor calls wakeup())
        }
        try {
            if (blocking && Thread.currentThread().isInterrupted()) {
                return 0; // the JDK returns at once for an interrupted thread and keeps the status
            }
            int n = epoll_h.epoll_wait(io.state(), epfd, events, MAX_EVENTS, timeout);
            if (n < 0) {
                int e = io.errno();
                if (e != errno_h.EINTR) {
                    throw Errno.exception("epoll_wait", e);
                }
                return 0;
            }
            return n;
        } finally {
            if (blocking) {
                end();
            }
        }
    }

    /**
     * Records the edges of {@code n} events in their channels, reads ahead for the readable stream channels (one
     * io_uring_enter for all, see {@link ReadAhead}) and lists the keys; true if woken.
     */
    private boolean harvest(ThreadIo io, int n) throws IOException {
        ReadAhead ra = readAhead;
        boolean woken;
        try {
            woken = record(io, n, ra);
        } finally {
            if (ra != null) {
                readAhead(ra); // also after a failure: it releases the read locks the offers took
            }
        }
        return woken;
    }

    private boolean record(ThreadIo io, int n, ReadAhead ra) throws IOException {
        boolean woken = false;
        EpollSelectionKey[] table = byFd;
        for (int i = 0; i < n; i++) {
            int ev = epoll_event.events$at(events, i);
            int fd = (int) epoll_event.data_u64$at(events, i);
            if (fd == wakeFd) {
                eventfd_h.eventfd_read(io.state(), wakeFd, wakeValue);
                woken = true;
                continue;
            }
            EpollSelectionKey k = fd < table.length ? table[fd] : null;
            if (k == null || !k.isValid()) {
                continue;
            }
            int bits = ((ev & READ_EVENTS) != 0 ? Readiness.READABLE : 0) | ((ev & WRITE_EVENTS) != 0 ? Readiness.WRITABLE : 0);
            k.nativeChannel().readiness().set(bits);
            if (ra != null && (ev & epoll_h.EPOLLIN) != 0 && k.nativeChannel() instanceof NativeSocketChannel sc) {
                ra.offer(k, sc);
            }
            if (opsNow(k) != 0) {
                list(k);
            }
        }
        return woken;
    }

    private static void readAhead(ReadAhead ra) {
        try {
            ra.run();
        } catch (IOException e) {
            // the keys are still reported from readiness, and reads go to the socket: carry on without
            ra.stop();
            System.getLogger(ReadAhead.class.getName()).log(System.Logger.Level.WARNING,
                    "Isthmus selector read-ahead switched off for this selector: " + e.getMessage());
        }
    }

    /** This selector's read-ahead, null when it is off (for tests). */
    ReadAhead readAhead() {
        return readAhead;
    }

    private boolean anyListedReady() {
        synchronized (readyLock) {
            for (int i = 0; i < readyCount; i++) {
                EpollSelectionKey k = ready[i];
                if (k.isValid() && opsNow(k) != 0) {
                    return true;
                }
            }
            return false;
        }
    }

    private static int opsNow(EpollSelectionKey k) {
        int interest = k.interest();
        if (interest == 0) {
            return 0;
        }
        return k.nativeChannel().readyOps(interest, k.nativeChannel().readiness().bits()) & interest;
    }

    /** Reports every listed key that is ready for something it is interested in; keeps those listed. */
    private int report(Consumer<SelectionKey> action) {
        EpollSelectionKey[] scan;
        int count;
        synchronized (readyLock) {
            scan = ready;
            count = readyCount;
            ready = scanning;
            readyCount = 0;
            scanning = scan;
            for (int i = 0; i < count; i++) {
                scan[i].listed = false;
            }
        }
        int updated = 0;
        for (int i = 0; i < count; i++) {
            EpollSelectionKey k = scan[i];
            scan[i] = null;
            if (!k.isValid()) {
                continue;
            }
            int ops = opsNow(k);
            if (ops == 0) {
                continue;
            }
            list(k); // still ready: stays listed until a call meets EAGAIN
            if (action != null) {
                k.readyOps(ops);
                action.accept(k);
                ensureOpen();
                updated++;
            } else if (selected.contains(k)) {
                int old = k.rawReadyOps();
                if ((ops & ~old) != 0) {
                    k.readyOps(old | ops);
                    updated++;
                }
            } else {
                k.readyOps(ops);
                selected.add(k);
                updated++;
            }
        }
        return updated;
    }

    private void list(EpollSelectionKey k) {
        synchronized (readyLock) {
            if (k.listed) {
                return;
            }
            k.listed = true;
            if (readyCount == ready.length) {
                EpollSelectionKey[] bigger = new EpollSelectionKey[ready.length * 2];
                System.arraycopy(ready, 0, bigger, 0, readyCount);
                ready = bigger;
                scanning = new EpollSelectionKey[bigger.length];
            }
            ready[readyCount++] = k;
        }
    }

    /** A key's interest set changed (any thread): list it if its channel is ready for the new interest. */
    void interestChanged(EpollSelectionKey k) {
        if (opsNow(k) != 0) {
            list(k);
        }
    }

    @Override
    protected SelectionKey register(AbstractSelectableChannel ch, int ops, Object att) {
        if (!(ch instanceof NativeChannel nc) || ch.provider() != provider()) {
            throw new IllegalSelectorException();
        }
        ensureOpen();
        EpollSelectionKey k = new EpollSelectionKey(nc, this);
        k.attach(att);
        int fd = k.fd;
        synchronized (regLock) {
            EpollSelectionKey[] t = byFd;
            if (fd >= t.length) {
                EpollSelectionKey[] bigger = new EpollSelectionKey[Math.max(fd + 1, t.length * 2)];
                System.arraycopy(t, 0, bigger, 0, t.length);
                t = bigger;
            }
            t[fd] = k;
            byFd = t; // publish before epoll_ctl, so the first event finds the key
        }
        keys.add(k);
        try {
            channelCtls.incrementAndGet();
            ctl(ThreadIo.current(), epoll_h.EPOLL_CTL_ADD, fd, EVENTS);
        } catch (IOException e) {
            keys.remove(k);
            forget(k);
            throw new UncheckedIOException(e);
        }
        k.interestOps(ops);
        return k;
    }

    private void forget(EpollSelectionKey k) {
        synchronized (regLock) {
            EpollSelectionKey[] t = byFd;
            if (k.fd < t.length && t[k.fd] == k) {
                t[k.fd] = null;
            }
        }
    }

    /** Deregisters the cancelled keys (selecting thread, or close). */
    private void processDeregisterQueue() throws IOException {
        Set<SelectionKey> cancelled = cancelledKeys();
        synchronized (cancelled) {
            if (cancelled.isEmpty()) {
                return;
            }
            IOException failure = null;
            for (Iterator<SelectionKey> it = cancelled.iterator(); it.hasNext(); ) {
                EpollSelectionKey k = (EpollSelectionKey) it.next();
                it.remove();
                try {
                    dereg(k);
                } catch (IOException e) {
                    failure = e;
                }
            }
            if (failure != null) {
                throw failure;
            }
        }
    }

    private void dereg(EpollSelectionKey k) throws IOException {
        if (!keys.remove(k)) {
            return;
        }
        selected.remove(k);
        forget(k);
        ThreadIo io = ThreadIo.current();
        // Before the channel may close its descriptor: a DEL after close could hit a reused number.
        MemorySegment e = io.scratch.value;
        channelCtls.incrementAndGet();
        if (epoll_h.epoll_ctl(io.state(), epfd, epoll_h.EPOLL_CTL_DEL, k.fd, e) != 0) {
            int err = io.errno();
            if (err != errno_h.ENOENT && err != errno_h.EBADF) {
                throw Errno.exception("epoll_ctl(DEL)", err);
            }
        }
        deregister(k);
        SelectableChannel ch = k.channel();
        if (readAhead != null && ch instanceof NativeSocketChannel sc) {
            readAhead.detach(sc); // the bytes read ahead stay readable; our block comes back
        }
        if (!ch.isRegistered()) {
            if (!ch.isOpen()) {
                k.nativeChannel().kill();
            } else {
                k.nativeChannel().readiness().reset();
            }
        }
    }

    /** epoll_ctl calls made for channels so far (one ADD per registration, one DEL per deregistration). */
    long channelCtls() {
        return channelCtls.get();
    }

    @Override
    public Selector wakeup() {
        if (wakeupPending.compareAndSet(false, true)) {
            // under the lock close takes before it closes the eventfd: a write after close could land in a
            // descriptor the kernel has handed out again
            synchronized (wakeLock) {
                if (!fdsClosed) {
                    eventfd_h.eventfd_write(ThreadIo.current().state(), wakeFd, 1L);
                }
            }
        }
        return this;
    }

    @Override
    protected void implCloseSelector() throws IOException {
        synchronized (wakeLock) {
            eventfd_h.eventfd_write(ThreadIo.current().state(), wakeFd, 1L); // ends a select in progress
        }
        synchronized (this) {
            synchronized (publicSelected) {
                for (SelectionKey k : keys.toArray(new SelectionKey[0])) {
                    if (k.isValid()) {
                        k.cancel();
                    }
                }
                IOException failure = null;
                try {
                    processDeregisterQueue();
                } catch (IOException e) {
                    failure = e;
                }
                ThreadIo io = ThreadIo.current();
                synchronized (wakeLock) {
                    fdsClosed = true;
                    LinuxSocket.closeQuietly(io.state(), wakeFd);
                }
                LinuxSocket.closeQuietly(io.state(), epfd);
                if (readAhead != null) {
                    readAhead.close();
                    readAhead = null;
                }
                arena.close();
                if (failure != null) {
                    throw failure;
                }
            }
        }
    }

    /** The selected-key set's view: removal allowed, addition not (Selector#selectedKeys). */
    private static final class Ungrowable extends AbstractSet<SelectionKey> {
        private final Set<SelectionKey> s;

        Ungrowable(Set<SelectionKey> s) {
            this.s = s;
        }

        @Override
        public Iterator<SelectionKey> iterator() {
            return s.iterator();
        }

        @Override
        public int size() {
            return s.size();
        }

        @Override
        public boolean contains(Object o) {
            return s.contains(o);
        }

        @Override
        public boolean remove(Object o) {
            return s.remove(o);
        }

        @Override
        public void clear() {
            s.clear();
        }

        @Override
        public boolean add(SelectionKey k) {
            throw new UnsupportedOperationException("the selected-key set cannot be added to");
        }
    }
}
