package dev.isthmus.uring;

import dev.isthmus.ffi.CallState;
import dev.isthmus.ffi.Errno;
import dev.isthmus.ffi.posix.errno_h;
import dev.isthmus.ffi.posix.eventfd_h;
import dev.isthmus.ffi.posix.unistd_h;
import dev.isthmus.ffi.uring.__kernel_timespec;
import dev.isthmus.ffi.uring.io_uring_getevents_arg;
import dev.isthmus.ffi.uring.io_uring_rsrc_update;
import dev.isthmus.linux.socket.CpuAffinity;
import dev.isthmus.linux.socket.LinuxSocket;
import dev.isthmus.stack.buffer.BufferPool;
import dev.isthmus.stack.buffer.PooledBuffer;
import dev.isthmus.stack.spi.AbstractWorker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

import static dev.isthmus.ffi.uring.io_uring_h.*;

/**
 * A worker that owns one {@link Ring}. Each loop turn makes one io_uring_enter that both submits what
 * the turn queued and waits (GETEVENTS, min_complete 1, with the timer deadline through EXT_ARG), then
 * dispatches the completions by their {@link UserData} to the slot table, with primitives only.
 *
 * <p>Wakeups from threads without a ring write the worker's eventfd, which has an IORING_OP_READ armed;
 * another worker of the stack instead queues an IORING_OP_MSG_RING on its own ring, which posts a CQE
 * on ours and costs no extra system call (it rides on the sender's next enter). With DEFER_TASKRUN, a
 * MSG_RING to our ring is delivered as task work to our task and wakes the wait just as a CQE does.
 */
final class UringWorker extends AbstractWorker implements CompletionHandler {
    private static final Logger LOG = LoggerFactory.getLogger(UringWorker.class);
    private static final ThreadLocal<UringWorker> CURRENT = new ThreadLocal<>();
    private static final ThreadLocal<CallState> FOREIGN_STATE = ThreadLocal.withInitial(
            () -> CallState.allocate(Arena.ofAuto()));
    /**
     * The general timeout of a batched wait with no timer due, beyond the min wait: an idle worker
     * comes round once a second (a batched wait needs a general timeout longer than its min wait; see
     * {@link #poll}).
     */
    private static final long BATCH_IDLE_TIMEOUT_NANOS = 1_000_000_000L;

    final UringNetworkStack stack;
    final UringConfig config;
    private CallState state;
    /** Memory for the socket calls made on this thread ({@link LinuxSocket}), from the worker's arena. */
    private LinuxSocket.Scratch scratch;
    private Ring ring;
    private SubmissionQueue sq;
    private CompletionQueue cq;
    private BufferRing bufferRing;
    private int eventFd = -1;
    private MemorySegment eventBuf;
    private MemorySegment waitArg;
    private MemorySegment waitTs;
    /** EXT_ARG of the batched wait: its own timespec, and min_wait_usec set. */
    private MemorySegment batchArg;
    private MemorySegment batchTs;
    /** Chooses min_complete of a blocking enter; null when batched waits are off. */
    private final BatchedWait batch;
    /** Sends queued since the last enter: the kernel completes them inline when it submits them. */
    private int sendsQueued;
    private boolean deferTaskrun;
    private boolean taskrunFlag;
    private volatile int ringFd = -1;
    /** Size of the registered file table (IORING_REGISTER_FILES); 0 without one. Index = slot. */
    private int fixedFileEntries;
    private MemorySegment fileUpdate;
    private MemorySegment fileUpdateFd;
    // Slot table: the owner of each slot, its generation, a stack of free slots.
    private Completable[] slots = new Completable[64];
    private int[] generations = new int[64];
    private int[] free = new int[64];
    private int freeCount;
    private int slotsUsed;
    /** Connections whose multishot recv ended with ENOBUFS, waiting for buffers to come back. */
    private UringConnection[] starved = new UringConnection[16];
    private int starvedCount;
    /** Diagnostics (worker thread writes, tests read after the fact): how often each rare path ran. */
    volatile long enobufsCount;
    volatile long overflowFlushes;
    volatile long msgRingSent;
    volatile long zcNotifications;
    volatile long acceptBackoffs;
    volatile long fixedFileConnections;
    volatile long plainFdConnections;
    /** Enters that submitted and waited for more than one completion ({@link BatchedWait}). */
    volatile long batchedEnters;

    UringWorker(UringNetworkStack stack, int index) {
        super(stack, index);
        this.stack = stack;
        this.config = stack.config();
        this.batch = config.batchWait ? new BatchedWait(config.batchWaitMax, config.batchWaitMicros) : null;
    }

    // ---- start/stop ------------------------------------------------------------------------------

    @Override
    protected void onStart() throws IOException {
        Arena arena = arena();
        state = CallState.allocate(arena);
        scratch = new LinuxSocket.Scratch(arena);
        ring = setupRing();
        sq = ring.sq();
        cq = ring.cq();
        int f = ring.flags();
        deferTaskrun = (f & IORING_SETUP_DEFER_TASKRUN) != 0;
        taskrunFlag = (f & IORING_SETUP_TASKRUN_FLAG) != 0;
        if (config.registeredRing) {
            int err = ring.registerRingFd();
            if (err != 0) {
                LOG.info("worker {}: IORING_REGISTER_RING_FDS failed ({}); entering by fd", index(), Errno.name(err));
            }
        }
        if (config.fixedFiles) {
            registerFileTable(arena);
        }
        if (config.bufferRing) {
            bufferRing = BufferRing.register(ring, arena, 0, config.bufferRingEntries);
            refillBufferRing();
        }
        eventFd = eventfd_h.eventfd(state.segment(), 0, eventfd_h.EFD_CLOEXEC | eventfd_h.EFD_NONBLOCK);
        if (eventFd < 0) {
            throw Errno.exception("eventfd", state.errno());
        }
        eventBuf = arena.allocate(8, 8);
        waitTs = __kernel_timespec.allocate(arena);
        waitArg = io_uring_getevents_arg.allocate(arena);
        io_uring_getevents_arg.ts(waitArg, waitTs.address());
        if (batch != null) {
            batchTs = __kernel_timespec.allocate(arena);
            batchArg = io_uring_getevents_arg.allocate(arena);
            io_uring_getevents_arg.ts(batchArg, batchTs.address());
            io_uring_getevents_arg.min_wait_usec(batchArg, batch.minWaitMicros);
        }
        armEventFd();
        CURRENT.set(this);
        ringFd = ring.fd();
    }

    /**
     * IORING_REGISTER_FILES with every entry -1 (a sparse table, io_uring_register(2)): connections put
     * their fd at their slot's index and their requests carry IOSQE_FIXED_FILE. If the kernel refuses
     * (too old, or the table is above RLIMIT_NOFILE: EMFILE), connections use plain fds.
     */
    private void registerFileTable(Arena arena) {
        int n = config.fixedFileEntries;
        MemorySegment fds = arena.allocate(ValueLayout.JAVA_INT, n);
        fds.fill((byte) 0xFF); // -1 in every int: an empty entry
        if (ring.register(IORING_REGISTER_FILES, fds, n) < 0) {
            LOG.info("worker {}: IORING_REGISTER_FILES of {} entries failed ({}); connections use plain fds",
                    index(), n, Errno.name(state.errno()));
            return;
        }
        fileUpdate = io_uring_rsrc_update.allocate(arena);
        fileUpdateFd = arena.allocate(ValueLayout.JAVA_INT);
        fixedFileEntries = n;
    }

    /**
     * Puts {@code fd} into the registered file table at index {@code slot}; true if it is there (then the
     * connection's requests use the index with IOSQE_FIXED_FILE), false without a table or room.
     */
    boolean registerFile(int slot, int fd) {
        if (slot < fixedFileEntries && updateFile(slot, fd)) {
            fixedFileConnections++;
            return true;
        }
        plainFdConnections++;
        return false;
    }

    /** Empties the table entry of {@link #registerFile}; the ring drops its reference to the file. */
    void unregisterFile(int slot) {
        if (!updateFile(slot, -1)) {
            LOG.warn("worker {}: IORING_REGISTER_FILES_UPDATE of entry {} failed: {}", index(), slot,
                    Errno.name(state.errno()));
        }
    }

    private boolean updateFile(int index, int fd) {
        fileUpdateFd.set(ValueLayout.JAVA_INT, 0, fd);
        io_uring_rsrc_update.offset(fileUpdate, index);
        io_uring_rsrc_update.data(fileUpdate, fileUpdateFd.address());
        return ring.register(IORING_REGISTER_FILES_UPDATE, fileUpdate, 1) == 1;
    }

    /** Setup with the best flags, dropping them on EINVAL: DEFER_TASKRUN, then COOP_TASKRUN, then none. */
    private Ring setupRing() throws IOException {
        int common = 0;
        if (config.submitAll) common |= IORING_SETUP_SUBMIT_ALL;
        if (config.noSqArray) common |= IORING_SETUP_NO_SQARRAY;
        if (config.cqSize) common |= IORING_SETUP_CQSIZE;
        if (config.sqpoll) common |= IORING_SETUP_SQPOLL;
        int[] tries = {
                config.deferTaskrun && !config.sqpoll ? IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN : -1,
                (config.deferTaskrun || config.coopTaskrun) && !config.sqpoll ? IORING_SETUP_COOP_TASKRUN | IORING_SETUP_TASKRUN_FLAG : -1,
                0};
        IOException last = null;
        for (int t : tries) {
            if (t < 0) {
                continue;
            }
            for (int extra : new int[] {common, 0}) {
                try {
                    return Ring.setup(config.entries, config.cqEntries, t | extra, config.sqpollIdleMillis, state);
                } catch (IOException e) {
                    last = e;
                    if (state.errno() != errno_h.EINVAL) {
                        throw e;
                    }
                    LOG.info("worker {}: io_uring_setup(flags 0x{}) failed with EINVAL; trying fewer flags",
                            index(), Integer.toHexString(t | extra));
                }
            }
        }
        throw last;
    }

    @Override
    protected void onStop() {
        CURRENT.remove();
        ringFd = -1;
        // Wait (bounded) for the completions of what was cancelled, so each buffer is released once.
        long deadline = System.nanoTime() + 2_000_000_000L;
        try {
            while (slotsUsed > 0 && System.nanoTime() - deadline < 0) {
                poll(10_000_000L);
            }
        } catch (IOException e) {
            LOG.warn("worker {}: draining the ring failed", index(), e);
        }
        if (slotsUsed > 0) {
            LOG.warn("worker {}: {} channel(s) still had requests in flight at stop", index(), slotsUsed);
        }
        if (bufferRing != null) {
            bufferRing.unregister();
            bufferRing.releaseAll();
        }
        ring.close();
        for (int s = 0; s < slots.length && slotsUsed > 0; s++) {
            if (slots[s] != null) {
                slots[s].ringClosed();
            }
        }
        if (eventFd >= 0) {
            unistd_h.close(state.segment(), eventFd);
        }
    }

    @Override
    protected void pinToCpu(int cpu) throws IOException {
        CpuAffinity.pinCurrentThread(cpu);
    }

    // ---- what channels use ------------------------------------------------------------------------

    CallState callState() {
        return state;
    }

    /** Scratch memory for socket calls; worker thread only. */
    LinuxSocket.Scratch scratch() {
        return scratch;
    }

    SubmissionQueue sq() {
        return sq;
    }

    BufferRing bufferRing() {
        return bufferRing;
    }

    int ringFd() {
        return ringFd;
    }

    /** Claims a slot for {@code owner}; returns it (the generation is {@link #generation(int)}). */
    int allocateSlot(Completable owner) {
        int s;
        if (freeCount > 0) {
            s = free[--freeCount];
        } else {
            s = slotsUsed + freeCount;
            if (s == slots.length) {
                slots = Arrays.copyOf(slots, s * 2);
                generations = Arrays.copyOf(generations, s * 2);
                free = Arrays.copyOf(free, s * 2);
            }
        }
        slots[s] = owner;
        generations[s] = (generations[s] + 1) & UserData.GENERATION_MASK;
        slotsUsed++;
        return s;
    }

    int generation(int slot) {
        return generations[slot];
    }

    void freeSlot(int slot) {
        slots[slot] = null;
        free[freeCount++] = slot;
        slotsUsed--;
    }

    /**
     * The next SQE, submitting first if the queue is full (a flood of work within one turn).
     */
    long sqe() {
        long o = sq.next();
        if (o < 0) {
            submitNow();
            o = sq.next();
            if (o < 0) {
                throw new IllegalStateException("io_uring submission queue stays full after submitting");
            }
        }
        return o;
    }

    /** Makes sure {@code n} SQEs can be claimed without a submission in between (linked requests). */
    void ensureFree(int n) {
        if (sq.free() < n) {
            submitNow();
        }
    }

    private void submitNow() {
        int n = sq.flush();
        if (n > 0) {
            int flags = IORING_ENTER_GETEVENTS;
            if (config.sqpoll) {
                flags = sq.needsWakeup() ? IORING_ENTER_SQ_WAKEUP : 0;
            }
            ring.enter(n, 0, flags, MemorySegment.NULL, 0);
            countSyscalls(1);
        }
    }

    /** A connection queued a send (IORING_OP_SEND*): see {@link BatchedWait}. */
    void sendQueued() {
        sendsQueued++;
    }

    /** A multishot recv ended with ENOBUFS: re-armed from {@link #poll} once buffers are back. */
    void starved(UringConnection c) {
        enobufsCount++;
        if (starvedCount == starved.length) {
            starved = Arrays.copyOf(starved, starvedCount * 2);
        }
        starved[starvedCount++] = c;
    }

    /** A buffer the kernel picked from the buffer ring (a recv CQE with IORING_CQE_F_BUFFER). */
    PooledBuffer takeRingBuffer(int bid) {
        bufferRing.taken();
        return bufferPool().byId(bid);
    }

    // ---- the loop ---------------------------------------------------------------------------------

    @Override
    protected int poll(long timeoutNanos) throws IOException {
        if (bufferRing != null) {
            refillBufferRing();
        }
        if (starvedCount > 0 && (bufferRing == null || bufferRing.available() > 0)) {
            rearmStarved();
        }
        int toSubmit = sq.flush();
        int inlineSends = sendsQueued;
        sendsQueued = 0;
        int handled = cq.process(this);
        if (handled > 0) {
            timeoutNanos = 0;
        }
        int flags = IORING_ENTER_GETEVENTS;
        if (config.sqpoll) {
            flags = toSubmit > 0 && sq.needsWakeup() ? IORING_ENTER_SQ_WAKEUP : 0;
            if (timeoutNanos != 0) {
                flags |= IORING_ENTER_GETEVENTS;
            }
        }
        if (timeoutNanos == 0) {
            // Without waiting: enter only if there is something to submit, or completions to reap that
            // need us in the kernel (DEFER_TASKRUN runs task work only in GETEVENTS; TASKRUN_FLAG says
            // there is some; an overflowed CQ is flushed by GETEVENTS).
            boolean need = (!config.sqpoll && toSubmit > 0) || (config.sqpoll && (flags & IORING_ENTER_SQ_WAKEUP) != 0)
                    || deferTaskrun || (taskrunFlag && sq.taskrun()) || sq.cqOverflow();
            if (need) {
                enter(toSubmit, 0, flags | (config.sqpoll && sq.cqOverflow() ? IORING_ENTER_GETEVENTS : 0), MemorySegment.NULL);
            }
        } else if (batch != null && batch.target() > 1 && batch.fits(timeoutNanos)) {
            // A busy turn: submit and wait in one enter, for the inline sends' CQEs plus as many arrivals
            // as the last turn saw; min_wait_usec bounds the wait. The kernel needs a general timeout
            // for that (without one it would end the wait at min_wait even with no completion at all).
            // A quiet turn (target 1) waits plainly: the enter that submits returns with the sends'
            // CQEs and the next one sleeps until the first arrival; no min-wait timer is armed, which
            // costs nothing when an arrival is further away than min_wait (a lone request-response).
            setTimespec(batchTs, timeoutNanos < 0 ? BATCH_IDLE_TIMEOUT_NANOS + batch.minWaitMicros * 1_000L : timeoutNanos);
            enter(toSubmit, batch.minComplete(inlineSends), flags | IORING_ENTER_EXT_ARG, batchArg);
            batchedEnters++;
        } else if (timeoutNanos < 0) {
            enter(toSubmit, 1, flags, MemorySegment.NULL);
        } else {
            setTimespec(waitTs, timeoutNanos);
            enter(toSubmit, 1, flags | IORING_ENTER_EXT_ARG, waitArg);
        }
        handled += cq.process(this);
        if (batch != null) {
            batch.turnEnded(handled, inlineSends);
        }
        // IORING_SQ_CQ_OVERFLOW: completions wait in the kernel's overflow list (FEAT_NODROP); a
        // GETEVENTS enter moves them into the ring as space frees up. Reap until none is left.
        while (sq.cqOverflow()) {
            overflowFlushes++;
            enter(0, 0, IORING_ENTER_GETEVENTS, MemorySegment.NULL);
            int n = cq.process(this);
            handled += n;
            if (n == 0 && sq.cqOverflow()) {
                break;
            }
        }
        return handled;
    }

    /** Writes {@code nanos} (not negative) into a {@code struct __kernel_timespec}. */
    static void setTimespec(MemorySegment ts, long nanos) {
        __kernel_timespec.tv_sec(ts, nanos / 1_000_000_000L);
        __kernel_timespec.tv_nsec(ts, nanos % 1_000_000_000L);
    }

    /** {@code arg}: an io_uring_getevents_arg with IORING_ENTER_EXT_ARG in {@code flags}, else NULL. */
    private void enter(int toSubmit, int minComplete, int flags, MemorySegment arg) throws IOException {
        int r = arg.address() == 0
                ? ring.enter(toSubmit, minComplete, flags, MemorySegment.NULL, 0)
                : ring.enter(toSubmit, minComplete, flags, arg, io_uring_getevents_arg.sizeof());
        countSyscalls(1);
        if (r < 0) {
            int e = ring.errno();
            // ETIME: the wait timed out; EINTR: a signal; EBUSY/EAGAIN: the CQ is full or the kernel
            // is short of memory: reap what is there and come back.
            if (e != errno_h.ETIME && e != errno_h.EINTR && e != errno_h.EBUSY && e != errno_h.EAGAIN) {
                throw Errno.exception("io_uring_enter", e);
            }
        }
    }

    @Override
    public void complete(long userData, int res, int flags) {
        int op = UserData.op(userData);
        int slot = UserData.slot(userData);
        if (op == UserData.OP_MSG_FD) {
            // Another worker accepted a connection for us: res is the fd, the slot bits the listener's id.
            msgFd(slot, res);
            return;
        }
        if (slot == UserData.NO_SLOT) {
            workerCompletion(op, res, flags);
            return;
        }
        Completable c = slot < slots.length ? slots[slot] : null;
        if (c == null || generations[slot] != UserData.generation(userData)) {
            // Stale: the owner is gone. A buffer it was given still has to go back.
            if ((flags & IORING_CQE_F_BUFFER) != 0 && bufferRing != null) {
                takeRingBuffer(flags >>> IORING_CQE_BUFFER_SHIFT).release();
            }
            return;
        }
        c.complete(op, res, flags);
    }

    private void workerCompletion(int op, int res, int flags) {
        switch (op) {
            case UserData.OP_EVENTFD -> armEventFd();
            default -> {
                // OP_MSG_WAKE: the CQE itself was the wakeup. OP_MSG_SENT/OP_NOP: nothing to do.
                if (op == UserData.OP_MSG_SENT && res < 0) {
                    LOG.debug("worker {}: MSG_RING failed: {}", index(), Errno.name(-res));
                }
            }
        }
    }

    private void armEventFd() {
        long o = sqe();
        sq.read(o, eventFd, eventBuf.address(), 8, UserData.pack(UserData.OP_EVENTFD, UserData.NO_SLOT, 0));
    }

    private void refillBufferRing() {
        BufferRing br = bufferRing;
        BufferPool pool = bufferPool();
        // The kernel holds available() buffers; top the ring up from the pool while the pool has room.
        int want = br.entries() - br.available();
        while (want > 0 && pool.inUse() < pool.maxBuffers()) {
            PooledBuffer b = pool.allocate();
            if (b.id() > 0xFFFF) {
                b.release(); // buffer ids are 16 bits in the CQE
                break;
            }
            br.recycle(b);
            want--;
        }
        br.publish();
    }

    /**
     * Re-arms the connections that have waited longest, at most one per buffer in the ring. A recv issued
     * inline takes every buffer it can while its socket has data, so re-arming every starved connection
     * at once let the first few in the list take the whole ring turn after turn while the others got
     * ENOBUFS again, and starve for good (found by the conformance variant with a two-entry ring).
     */
    private void rearmStarved() {
        int n = bufferRing == null ? starvedCount : Math.min(starvedCount, bufferRing.available());
        for (int i = 0; i < n; i++) {
            UringConnection c = starved[i];
            starved[i] = null;
            c.rearmRecv();
        }
        // The rest keep their order; recvs ending with ENOBUFS during this turn queue behind them.
        System.arraycopy(starved, n, starved, 0, starvedCount - n);
        Arrays.fill(starved, starvedCount - n, starvedCount, null);
        starvedCount -= n;
    }

    // ---- wakeups --------------------------------------------------------------------------------

    @Override
    protected void wakeup() {
        UringWorker from = CURRENT.get();
        int target = ringFd;
        if (from != null && from != this && from.stack == stack && config.msgRing && target >= 0) {
            long o = from.sq.next();
            if (o >= 0) {
                from.sq.msgRing(o, target, 0, UserData.pack(UserData.OP_MSG_WAKE, UserData.NO_SLOT, 0), true,
                        UserData.pack(UserData.OP_MSG_SENT, UserData.NO_SLOT, 0));
                from.msgRingSent++;
                return;
            }
        }
        CallState st = from != null ? from.state : FOREIGN_STATE.get();
        if (eventfd_h.eventfd_write(st.segment(), eventFd, 1) < 0 && st.errno() != errno_h.EAGAIN) {
            LOG.warn("worker {}: eventfd_write failed: {}", index(), Errno.name(st.errno()));
        }
    }

    /**
     * Hands an accepted fd to this worker: from another worker with MSG_RING (the fd in the CQE's res,
     * the listener's hand-off id in its user_data), else as a task.
     */
    void handOff(int fd, UringListener listener) {
        handoffStarted();
        UringWorker from = CURRENT.get();
        int target = ringFd;
        if (from != null && from != this && from.stack == stack && config.msgRing && target >= 0) {
            long o = from.sq.next();
            if (o >= 0) {
                from.sq.msgRing(o, target, fd, UserData.pack(UserData.OP_MSG_FD, listener.handoffId(), 0), true,
                        UserData.pack(UserData.OP_MSG_SENT, UserData.NO_SLOT, 0));
                from.msgRingSent++;
                return;
            }
        }
        execute(() -> adopt(fd, listener));
    }

    /** A MSG_RING hand-off arrived; see {@link #handOff}. */
    private void msgFd(int listenerId, int fd) {
        UringListener l = stack.listenerByHandoffId(listenerId);
        adopt(fd, l);
    }

    /** Registers an accepted socket on this worker. */
    void adopt(int fd, UringListener listener) {
        handoffArrived();
        if (fd < 0) {
            return;
        }
        if (listener == null) {
            LinuxSocket.closeQuietly(scratch.state, fd);
            return;
        }
        countAccepted();
        UringConnection.accepted(this, fd, listener);
    }

    @Override
    public String toString() {
        return "io_uring worker " + index();
    }
}
