package dev.isthmus.nio.channels;

import dev.isthmus.ffi.posix.errno_h;
import dev.isthmus.uring.StandaloneRing;

import java.io.IOException;
import java.nio.channels.SelectionKey;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A selector's read-ahead: after epoll_wait, one recv per ready stream channel, all of them in ONE io_uring_enter,
 * so that the reads a server then makes are served from memory instead of one read(2) each. A readiness API
 * cannot go below one read and one write per request; this takes the read out of the per-request count.
 *
 * <p>Steps, per selection ({@link EpollSelector} calls them):
 * <ol>
 * <li>{@link #offer}: for a channel epoll reported EPOLLIN for, whose key wants OP_READ, which is non-blocking,
 *     connected, open for input and has nothing read ahead yet, and whose read lock the selector gets without
 *     waiting (a thread inside read() right now reads for itself): take a block from the pool, prepare a recv
 *     with MSG_DONTWAIT into it, and keep the read lock until the result is stored (so no read overtakes it).
 * <li>{@link #run}: one io_uring_enter submits them all. A recv on a socket with MSG_DONTWAIT completes at issue,
 *     so the completions are there when enter returns (the ring has no DEFER_TASKRUN); if not, enter again with
 *     GETEVENTS until every one is in.
 * <li>Each result goes to its channel's {@link PendingInput}: bytes, end of stream, or an error that the next read
 *     throws. -EAGAIN (a spurious edge) clears READABLE. Fewer bytes than the block means the receive queue was
 *     empty at that moment (tcp_recvmsg copies what is queued), so READABLE is cleared as a short read(2) clears
 *     it; data that comes later raises a new edge. Then the read locks are released.
 * </ol>
 *
 * <p>Block size {@value #BLOCK_BYTES}: a whole TLS record (RFC 8446 section 5.1, at most 2^14 bytes of plaintext)
 * or any ordinary HTTP request head fits, and blocks are held only while bytes wait to be read, not per connection.
 *
 * <p>The switch: {@value #PROPERTY} ({@code true}, the default, or {@code false}); where io_uring cannot run the
 * read-ahead is off with one logged line why.
 */
final class ReadAhead implements StandaloneRing.Completions {
    static final String PROPERTY = "isthmus.nio.selector.readahead";
    static final int BLOCK_BYTES = 16 * 1024;

    private final StandaloneRing ring;
    private final ReadAheadPool pool;
    private final NativeSocketChannel[] channels;
    private final ReadAheadPool.Block[] blocks;
    private final long[] snapshots;
    private final int[] results;
    private int count;
    private long enters;
    private long prepared;
    private boolean stopped;

    private ReadAhead(StandaloneRing ring, int batch) {
        this.ring = ring;
        this.pool = new ReadAheadPool(BLOCK_BYTES);
        this.channels = new NativeSocketChannel[batch];
        this.blocks = new ReadAheadPool.Block[batch];
        this.snapshots = new long[batch];
        this.results = new int[batch];
    }

    /** A read-ahead for up to {@code batch} channels per selection, or null when it is switched off or cannot run. */
    static ReadAhead open(int batch) {
        if (!enabled(System.getProperty(PROPERTY), StandaloneRing::unavailability, ReadAhead::log)) {
            return null;
        }
        try {
            return new ReadAhead(StandaloneRing.openShared(batch), batch);
        } catch (IOException | RuntimeException e) {
            log("Isthmus selector read-ahead is off: its io_uring could not be set up (" + e.getMessage() + ")");
            return null;
        }
    }

    /**
     * Whether the read-ahead runs for property value {@code value} (null: not set) when {@code uringUnavailability}
     * gives why io_uring cannot run (null: it can); {@code log} gets the line that says why it is off.
     *
     * @throws IllegalArgumentException for a value other than true or false
     */
    static boolean enabled(String value, Supplier<String> uringUnavailability, Consumer<String> log) {
        if (value != null && !value.equals("true") && !value.equals("false")) {
            throw new IllegalArgumentException("-D" + PROPERTY + "=" + value
                    + ": expected true or false (or no value: on where io_uring can run)");
        }
        if ("false".equals(value)) {
            return false;
        }
        String why = uringUnavailability.get();
        if (why != null) {
            log.accept("Isthmus selector read-ahead is off: io_uring cannot run here (" + why + ")");
            return false;
        }
        return true;
    }

    private static void log(String line) {
        System.getLogger(ReadAhead.class.getName()).log(System.Logger.Level.INFO, line);
    }

    /** Prepares a recv for {@code ch} if it qualifies (see the class comment, step 1); selector thread. */
    void offer(EpollSelectionKey k, NativeSocketChannel ch) throws IOException {
        if (stopped || (k.interest() & SelectionKey.OP_READ) == 0 || count == channels.length || !ch.readAheadCandidate()) {
            return;
        }
        if (!ch.readLock().tryLock()) {
            return;
        }
        if (!ch.readAheadCandidate()) { // checked again under the lock: a read may have just left data or shut input
            ch.readLock().unlock();
            return;
        }
        ReadAheadPool.Block block = pool.take();
        int i = count++;
        channels[i] = ch;
        blocks[i] = block;
        snapshots[i] = ch.readiness().snapshot();
        results[i] = Integer.MIN_VALUE;
        ring.recvNoWait(ring.sqe(), ch.fd(), block.address, BLOCK_BYTES, i);
        prepared++;
    }

    /** Submits the prepared recvs in one io_uring_enter, stores the results, releases the read locks (step 2, 3). */
    void run() throws IOException {
        if (count == 0) {
            return;
        }
        int n = count;
        try {
            long before = ring.submitted();
            ring.submitAndWait(0);
            enters++;
            int reaped = ring.reap(this);
            long taken = ring.submitted() - before;
            if (taken < n) {
                // EAGAIN/EBUSY from io_uring_enter: the rest are published but not taken, and an enter that
                // submits nothing would wait for them for ever. What completed is stored below; the rest never ran.
                throw new IOException("io_uring_enter took " + taken + " of " + n + " recvs");
            }
            while (reaped < n) {
                ring.submitAndWait(n - reaped);
                enters++;
                reaped += ring.reap(this);
            }
        } finally {
            for (int i = 0; i < n; i++) {
                finish(channels[i], blocks[i], snapshots[i], results[i]);
                channels[i] = null;
                blocks[i] = null;
            }
            count = 0;
        }
    }

    @Override
    public void complete(long userData, int res, int flags) {
        results[(int) userData] = res;
    }

    private void finish(NativeSocketChannel ch, ReadAheadPool.Block block, long snapshot, int res) {
        try {
            if (res == Integer.MIN_VALUE) {
                pool.give(block); // not completed: enter failed (its exception propagates); the recv never ran
            } else if (res == -errno_h.EAGAIN) {
                pool.give(block);
                ch.readiness().clear(snapshot, Readiness.READABLE);
            } else {
                ch.pendingInput().store(pool, block, res);
                if (res > 0 && res < BLOCK_BYTES) {
                    ch.readiness().clear(snapshot, Readiness.READABLE);
                }
            }
        } finally {
            ch.readLock().unlock();
        }
    }

    /** The channel leaves this selector: bytes still in one of our blocks move to the heap. */
    void detach(NativeSocketChannel ch) {
        ch.pendingInput().detach(pool);
    }

    /** io_uring_enter calls made so far (for the test that a selection makes one). */
    long enters() {
        return enters;
    }

    /** recvs prepared so far. */
    long prepared() {
        return prepared;
    }

    ReadAheadPool pool() {
        return pool;
    }

    /**
     * Reads ahead no more (io_uring_enter failed): the ring closes now; blocks that channels still hold stay
     * valid until they come back or the selector closes.
     */
    void stop() {
        if (!stopped) {
            stopped = true;
            ring.close();
        }
    }

    /** After every channel has left the selector: closes the ring and frees the blocks. */
    void close() {
        stop();
        pool.close();
    }
}
