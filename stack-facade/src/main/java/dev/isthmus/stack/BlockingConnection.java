package dev.isthmus.stack;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketOption;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * A {@link Connection} seen through blocking calls, for code that runs one (virtual) thread per
 * connection: {@link #read}, {@link #write}, {@link #in()}, {@link #out()}, {@link #shutdownOutput()} and
 * {@link #close()} block the calling thread, not the worker. Built only on the public event API.
 * <pre>{@code
 * try (BlockingConnection c = BlockingConnection.connect(stack, addr, ConnectOptions.defaults())) {
 *     c.out().write(request);
 *     c.shutdownOutput();
 *     byte[] reply = c.in().readAllBytes();
 * }
 * }</pre>
 *
 * <h2>How it works</h2>
 * The worker runs a small {@link ConnectionHandler} that copies each {@code onData} into a byte ring
 * (the {@link Inbound} views die with the callback, so they must be copied) and records EOF, writability
 * and close; the blocking methods wait on one lock and condition for those changes ({@link ReentrantLock}
 * does not pin a virtual thread). A write copies the caller's bytes (at most 64 KiB per hand-over) and
 * hands them to the worker with {@link Worker#execute}, which writes and flushes them.
 *
 * <h2>Backpressure</h2>
 * Outbound it is exact: a writer waits while the connection is not {@link Connection#isWritable()
 * writable} (until {@link ConnectionHandler#onWritable}) and while more than 256 KiB of its hand-overs
 * have not yet reached the connection, so a slow peer blocks the writer and memory stays bounded.
 * Inbound it is exact too: the ring holds {@code inboundCapacity} bytes. When it is full, {@code onData}
 * copies what fits, leaves the rest unconsumed in {@link Inbound} and calls
 * {@link Connection#pauseReading()}, so the kernel's receive window fills and TCP slows the peer. Once a
 * reader has drained the ring to half, it asks the worker to {@link Connection#resumeReading()}, and
 * the stack hands the bytes it kept to {@code onData} again. (Without a pause the ring could not be
 * bounded: bytes left in {@code Inbound} are shown again only when more arrive, which a request/response
 * peer may never do.)
 *
 * <h2>Threads</h2>
 * Any thread except the connection's own worker may call the blocking methods (on the worker they would
 * deadlock, and throw {@link IllegalStateException}). One reader and one writer may work at the same time.
 */
public final class BlockingConnection implements AutoCloseable {
    /** Default nominal size of the inbound ring. */
    public static final int DEFAULT_INBOUND_CAPACITY = 256 * 1024;
    /** Bytes copied and handed to the worker per task. */
    private static final int WRITE_CHUNK = 64 * 1024;
    /** Bytes handed over but not yet written into the connection, above which writers wait. */
    private static final long MAX_IN_FLIGHT = 256 * 1024;
    /** How long {@link #close()} waits for onClose after an abort. */
    private static final long ABORT_WAIT_NANOS = TimeUnit.SECONDS.toNanos(5);

    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled on every change: data, EOF, writability, hand-over done, open, close. */
    private final Condition changed = lock.newCondition();
    private final Handler handler = new Handler();
    private final int inboundCapacity;
    private final Consumer<BlockingConnection> onOpen;

    // Guarded by lock.
    private Connection connection;
    private byte[] ring;
    private int head;
    private int count;
    private boolean eof;
    /** Reading is paused because the ring was full. */
    private boolean paused;
    private boolean closed;
    private Throwable closeCause;
    private boolean writable = true;
    private long inFlight;
    private long lostBytes;
    private boolean outputShut;
    private boolean localClose;

    private InputStream in;
    private OutputStream out;

    BlockingConnection(int inboundCapacity, Consumer<BlockingConnection> onOpen) {
        if (inboundCapacity < 1) {
            throw new IllegalArgumentException("inboundCapacity must be at least 1, was " + inboundCapacity);
        }
        this.inboundCapacity = inboundCapacity;
        this.ring = new byte[inboundCapacity];
        this.onOpen = onOpen;
    }

    /** {@link #connect(NetworkStack, SocketAddress, ConnectOptions, int)} with the default inbound capacity. */
    public static BlockingConnection connect(NetworkStack stack, SocketAddress remote, ConnectOptions options)
            throws IOException {
        return connect(stack, remote, options, DEFAULT_INBOUND_CAPACITY);
    }

    /**
     * Connects and blocks until the connection is open.
     *
     * @throws ConnectException         if refused or timed out ({@link ConnectOptions#timeout()})
     * @throws InterruptedIOException   if the thread was interrupted (the attempt is cancelled)
     * @throws IllegalArgumentException for a bad address, as {@link NetworkStack#connect} says
     */
    public static BlockingConnection connect(NetworkStack stack, SocketAddress remote, ConnectOptions options,
                                             int inboundCapacity) throws IOException {
        Objects.requireNonNull(stack, "stack");
        Objects.requireNonNull(options, "options");
        BlockingConnection bc = new BlockingConnection(inboundCapacity, c -> { });
        CompletableFuture<Connection> f = stack.connect(remote, options, bc.handler);
        // The stack enforces the timeout; the extra second only guards against a stack that does not.
        long waitMillis = options.timeout().toMillis() + 1000;
        try {
            f.get(waitMillis, TimeUnit.MILLISECONDS);
            return bc;
        } catch (InterruptedException e) {
            f.cancel(true);
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("connect to " + remote + " interrupted");
        } catch (TimeoutException e) {
            f.cancel(true);
            throw new ConnectException("connect to " + remote + ": no answer within " + waitMillis + " ms");
        } catch (CancellationException e) {
            throw new ConnectException("connect to " + remote + " was cancelled");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new IOException("connect to " + remote + " failed", cause);
        }
    }

    /** The handler to give to {@link NetworkStack#connect} or a listener's factory. */
    ConnectionHandler handler() {
        return handler;
    }

    /** The local address. */
    public SocketAddress localAddress() {
        return openConnection().localAddress();
    }

    /** The peer's address. */
    public SocketAddress remoteAddress() {
        return openConnection().remoteAddress();
    }

    /** False once the connection is closed by either side. */
    public boolean isOpen() {
        lock.lock();
        try {
            return connection != null && !closed && !localClose;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Reads up to {@code len} bytes, blocking until at least one is there.
     *
     * @return the number of bytes read, or -1 at end of stream (the peer shut its output or closed)
     * @throws IOException if the connection was reset or closed locally
     */
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        checkNotWorker();
        if (len == 0) {
            return 0;
        }
        lock.lock();
        try {
            while (count == 0) {
                if (localClose) {
                    throw new SocketException("connection closed");
                }
                if (eof || (closed && closeCause == null)) {
                    return -1;
                }
                if (closed) {
                    throw new IOException("connection failed: " + closeCause.getMessage(), closeCause);
                }
                await();
            }
            int n = Math.min(len, count);
            int first = Math.min(n, ring.length - head);
            System.arraycopy(ring, head, b, off, first);
            System.arraycopy(ring, 0, b, off + first, n - first);
            head = (head + n) % ring.length;
            count -= n;
            if (count == 0) {
                head = 0;
            }
            if (paused && count <= ring.length / 2) {
                paused = false;
                resume(connection);
            }
            return n;
        } finally {
            lock.unlock();
        }
    }

    /** Asks the worker to read again; the stack then redelivers what it kept. */
    private static void resume(Connection c) {
        try {
            c.worker().execute(() -> {
                if (c.isOpen()) {
                    c.resumeReading();
                }
            });
        } catch (RejectedExecutionException stackClosed) {
            // Nothing more will arrive; the reader sees the close.
        }
    }

    /**
     * Writes all of {@code b[off, off+len)}, blocking while the connection is not writable. When this
     * returns, the bytes are copied and on their way to the worker; {@link #flush()} waits until the
     * connection took them.
     *
     * @throws IOException if the connection is closed, reset or its output was shut down
     */
    public void write(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        checkNotWorker();
        while (len > 0) {
            int n = Math.min(len, WRITE_CHUNK);
            Connection c;
            lock.lock();
            try {
                while (true) {
                    checkWritableState();
                    if (connection != null && writable && inFlight < MAX_IN_FLIGHT) {
                        break;
                    }
                    await();
                }
                inFlight += n;
                c = connection;
            } finally {
                lock.unlock();
            }
            byte[] copy = Arrays.copyOfRange(b, off, off + n);
            try {
                c.worker().execute(() -> handler.send(c, copy));
            } catch (RejectedExecutionException e) {
                handedOver(n, true);
                throw new SocketException("stack closed: " + e.getMessage());
            }
            off += n;
            len -= n;
        }
    }

    /** Blocks until every byte written so far was taken by the connection. */
    public void flush() throws IOException {
        checkNotWorker();
        lock.lock();
        try {
            while (inFlight > 0) {
                await();
            }
            if (lostBytes > 0) {
                throw new WritesDiscardedException(lostBytes, "the connection closed before they were handed over", closeCause);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Sends FIN after the bytes written so far (half-close); reading goes on. */
    public void shutdownOutput() throws IOException {
        flush();
        Connection c;
        lock.lock();
        try {
            checkWritableState();
            outputShut = true;
            c = connection;
        } finally {
            lock.unlock();
        }
        runOnWorker(c, () -> {
            if (c.isOpen()) {
                c.shutdownOutput();
            }
            lock.lock();
            try {
                if (eof) {
                    c.close(); // both directions are done
                }
            } finally {
                lock.unlock();
            }
        });
    }

    /**
     * Sets a socket option on the worker and waits for it.
     *
     * @see Connection#setOption
     */
    public <T> void setOption(SocketOption<T> option, T value) throws IOException {
        Connection c = openConnection();
        runOnWorker(c, () -> c.setOption(option, value));
    }

    /** Reads a socket option on the worker. */
    public <T> T getOption(SocketOption<T> option) throws IOException {
        Connection c = openConnection();
        CompletableFuture<T> f = new CompletableFuture<>();
        runOnWorker(c, () -> f.complete(c.getOption(option)));
        return f.join();
    }

    /**
     * Closes gracefully and blocks until the connection is closed: pending bytes go out first, for at
     * most the stack's {@link StackOptions#closeDrainTimeout()}, after which the connection is aborted.
     *
     * @throws WritesDiscardedException if bytes written here were never sent
     */
    @Override
    public void close() throws IOException {
        Connection c;
        lock.lock();
        try {
            if (localClose || connection == null) {
                localClose = true;
                return;
            }
            localClose = true;
            c = connection;
            changed.signalAll(); // a blocked reader or writer sees the close
        } finally {
            lock.unlock();
        }
        try {
            // Through the worker, so that the close comes after the writes handed over before it.
            c.worker().execute(c::close);
        } catch (RejectedExecutionException stackClosed) {
            c.close();
        }
        long drain = c.worker().stack().options().closeDrainTimeout().toNanos();
        if (!awaitClosed(drain)) {
            c.abort();
            awaitClosed(ABORT_WAIT_NANOS);
        }
        lock.lock();
        try {
            long discarded = lostBytes;
            if (closeCause instanceof WritesDiscardedException w) {
                discarded += w.discardedBytes();
            }
            if (discarded > 0) {
                throw new WritesDiscardedException(discarded, "connection closed before they were sent", closeCause);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Abortive close: discards what is pending and resets the connection (the peer sees ECONNRESET). */
    public void abort() {
        Connection c;
        lock.lock();
        try {
            localClose = true;
            c = connection;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (c != null) {
            c.abort();
        }
    }

    /** A stream view for reading; closing it closes the connection. */
    public synchronized InputStream in() {
        if (in == null) {
            in = new In();
        }
        return in;
    }

    /** A stream view for writing; every write is flushed to the kernel soon; closing it closes the connection. */
    public synchronized OutputStream out() {
        if (out == null) {
            out = new Out();
        }
        return out;
    }

    private boolean awaitClosed(long nanos) {
        lock.lock();
        try {
            long left = nanos;
            while (!closed && left > 0) {
                left = changed.awaitNanos(left);
            }
            return closed;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return closed;
        } finally {
            lock.unlock();
        }
    }

    private void checkWritableState() throws IOException {
        if (localClose) {
            throw new SocketException("connection closed");
        }
        if (closed) {
            throw closeCause == null ? new SocketException("connection closed by the peer")
                    : new IOException("connection failed: " + closeCause.getMessage(), closeCause);
        }
        if (outputShut) {
            throw new SocketException("output was shut down");
        }
    }

    private Connection openConnection() {
        lock.lock();
        try {
            if (connection == null) {
                throw new IllegalStateException("connection not open yet");
            }
            return connection;
        } finally {
            lock.unlock();
        }
    }

    private void checkNotWorker() {
        Connection c;
        lock.lock();
        try {
            c = connection;
        } finally {
            lock.unlock();
        }
        if (c != null && c.worker().inWorkerThread()) {
            throw new IllegalStateException("a blocking call on the connection's own worker thread would deadlock");
        }
    }

    /** Waits for a change; interruption becomes InterruptedIOException with the flag kept. Holds lock. */
    private void await() throws InterruptedIOException {
        try {
            changed.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while blocked on a connection");
        }
    }

    private void handedOver(int n, boolean lost) {
        lock.lock();
        try {
            inFlight -= n;
            if (lost) {
                lostBytes += n;
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private interface WorkerTask {
        void run() throws IOException;
    }

    /** Runs {@code task} on the connection's worker and waits for it; its exception is rethrown here. */
    private void runOnWorker(Connection c, WorkerTask task) throws IOException {
        checkNotWorker();
        CompletableFuture<Void> f = new CompletableFuture<>();
        try {
            c.worker().execute(() -> {
                try {
                    task.run();
                    f.complete(null);
                } catch (Throwable t) {
                    f.completeExceptionally(t);
                }
            });
        } catch (RejectedExecutionException e) {
            throw new SocketException("stack closed: " + e.getMessage());
        }
        try {
            f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the worker");
        } catch (ExecutionException e) {
            Throwable t = e.getCause();
            if (t instanceof IOException io) {
                throw io;
            }
            if (t instanceof ConnectionClosedException cc) {
                throw new SocketException(cc.getMessage());
            }
            if (t instanceof RuntimeException re) {
                throw re;
            }
            throw new IOException(t);
        }
    }

    /** Runs on the worker: copies in, records state, writes what the blocking side handed over. */
    private final class Handler implements ConnectionHandler {
        @Override
        public void onOpen(Connection c) {
            lock.lock();
            try {
                connection = c;
                changed.signalAll();
            } finally {
                lock.unlock();
            }
            onOpen.accept(BlockingConnection.this);
        }

        @Override
        public void onData(Connection c, Inbound data) {
            long avail = data.readableBytes();
            boolean pause;
            lock.lock();
            try {
                if (localClose) {
                    data.skip(avail); // nobody will read it
                    return;
                }
                int n = (int) Math.min(avail, ring.length - count);
                int tail = (head + count) % ring.length;
                int first = Math.min(n, ring.length - tail);
                data.copyTo(0, ring, tail, first);
                data.copyTo(first, ring, 0, n - first);
                count += n;
                data.skip(n);
                // Full: what did not fit stays in Inbound until the reader makes room (see the class comment).
                pause = count == ring.length;
                paused |= pause;
                changed.signalAll();
            } finally {
                lock.unlock();
            }
            if (pause) {
                c.pauseReading();
            }
        }

        @Override
        public void onInputShutdown(Connection c) {
            boolean bothDone;
            lock.lock();
            try {
                eof = true;
                bothDone = outputShut;
                changed.signalAll();
            } finally {
                lock.unlock();
            }
            // Unlike the default, keep the connection for writing (half-close) unless output is done too.
            if (bothDone) {
                c.close();
            }
        }

        @Override
        public void onWritable(Connection c) {
            lock.lock();
            try {
                writable = true;
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void onClose(Connection c, Throwable cause) {
            lock.lock();
            try {
                if (connection == null) {
                    connection = c;
                }
                closed = true;
                closeCause = cause;
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }

        /** Writes one hand-over; bytes that find the connection closed count as lost, never silently. */
        void send(Connection c, byte[] bytes) {
            boolean lost = false;
            boolean nowWritable = true;
            try {
                c.write(bytes, 0, bytes.length);
                c.flush();
                nowWritable = c.isWritable();
            } catch (ConnectionClosedException e) {
                lost = true;
            }
            lock.lock();
            try {
                if (!nowWritable) {
                    writable = false;
                }
                inFlight -= bytes.length;
                if (lost) {
                    lostBytes += bytes.length;
                }
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    private final class In extends InputStream {
        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = BlockingConnection.this.read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return BlockingConnection.this.read(b, off, len);
        }

        @Override
        public int available() {
            lock.lock();
            try {
                return count;
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void close() throws IOException {
            BlockingConnection.this.close();
        }
    }

    private final class Out extends OutputStream {
        @Override
        public void write(int b) throws IOException {
            BlockingConnection.this.write(new byte[]{(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            BlockingConnection.this.write(b, off, len);
        }

        @Override
        public void flush() throws IOException {
            BlockingConnection.this.flush();
        }

        @Override
        public void close() throws IOException {
            BlockingConnection.this.close();
        }
    }
}
