package dev.isthmus.stack;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A listener whose {@link #accept()} blocks until a connection arrives and returns it as a
 * {@link BlockingConnection}: a thread-per-connection server on any stack, typically with one virtual
 * thread per accepted connection.
 * <pre>{@code
 * try (BlockingListener l = BlockingListener.listen(stack, addr, ListenOptions.defaults())) {
 *     while (true) {
 *         BlockingConnection c = l.accept();
 *         Thread.startVirtualThread(() -> serve(c));
 *     }
 * }
 * }</pre>
 * Connections are accepted by the stack as they come, on the workers its {@link AcceptStrategy} picks,
 * and wait in a queue of {@link ListenOptions#backlog()} entries (bytes that arrive meanwhile are kept);
 * when the queue is full a new connection is aborted, as the kernel drops what overflows its backlog.
 */
public final class BlockingListener implements AutoCloseable {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition arrived = lock.newCondition();
    private final ArrayDeque<BlockingConnection> queue = new ArrayDeque<>();
    private final int queueLimit;
    private final int inboundCapacity;
    private Listener listener;
    private boolean closed;
    private long overflowed;

    private BlockingListener(int queueLimit, int inboundCapacity) {
        this.queueLimit = queueLimit;
        this.inboundCapacity = inboundCapacity;
    }

    /** Listens on {@code local}; see {@link NetworkStack#listen} for the addresses and exceptions. */
    public static BlockingListener listen(NetworkStack stack, SocketAddress local, ListenOptions options) throws IOException {
        return listen(stack, local, options, BlockingConnection.DEFAULT_INBOUND_CAPACITY);
    }

    /** As {@link #listen(NetworkStack, SocketAddress, ListenOptions)}, with each connection's inbound ring size. */
    public static BlockingListener listen(NetworkStack stack, SocketAddress local, ListenOptions options,
                                          int inboundCapacity) throws IOException {
        Objects.requireNonNull(stack, "stack");
        Objects.requireNonNull(options, "options");
        if (inboundCapacity < 1) {
            throw new IllegalArgumentException("inboundCapacity must be at least 1, was " + inboundCapacity);
        }
        BlockingListener bl = new BlockingListener(options.backlog(), inboundCapacity);
        Listener l = stack.listen(local, options,
                () -> new BlockingConnection(bl.inboundCapacity, bl::enqueue).handler());
        bl.lock.lock();
        try {
            bl.listener = l;
        } finally {
            bl.lock.unlock();
        }
        return bl;
    }

    /** The bound address (with the real port when port 0 was asked for). */
    public SocketAddress localAddress() {
        lock.lock();
        try {
            return listener.localAddress();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Blocks until a connection is there and returns it.
     *
     * @throws SocketException        once the listener is closed
     * @throws InterruptedIOException if the thread is interrupted
     */
    public BlockingConnection accept() throws IOException {
        return take(-1);
    }

    /**
     * Like {@link #accept()}, waiting at most {@code timeout}.
     *
     * @throws SocketTimeoutException if none came in time
     */
    public BlockingConnection accept(Duration timeout) throws IOException {
        long nanos = timeout.toNanos();
        if (nanos < 0) {
            throw new IllegalArgumentException("timeout must not be negative, was " + timeout);
        }
        return take(nanos);
    }

    /** Connections aborted because the accept queue was full. */
    public long overflowed() {
        lock.lock();
        try {
            return overflowed;
        } finally {
            lock.unlock();
        }
    }

    private BlockingConnection take(long nanos) throws IOException {
        lock.lock();
        try {
            long left = nanos;
            while (queue.isEmpty()) {
                if (closed) {
                    throw new SocketException("listener closed");
                }
                if (nanos >= 0 && left <= 0) {
                    throw new SocketTimeoutException("no connection within " + TimeUnit.NANOSECONDS.toMillis(nanos) + " ms");
                }
                try {
                    if (nanos < 0) {
                        arrived.await();
                    } else {
                        left = arrived.awaitNanos(left);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted in accept");
                }
            }
            return queue.poll();
        } finally {
            lock.unlock();
        }
    }

    /** Called on a worker when a connection opened. */
    private void enqueue(BlockingConnection c) {
        boolean reject;
        lock.lock();
        try {
            reject = closed || queue.size() >= queueLimit;
            if (!reject) {
                queue.add(c);
                arrived.signalAll();
            } else if (!closed) {
                overflowed++;
            }
        } finally {
            lock.unlock();
        }
        if (reject) {
            c.abort();
        }
    }

    /** Stops listening, aborts connections nobody accepted, wakes threads in accept. Idempotent. */
    @Override
    public void close() {
        ArrayDeque<BlockingConnection> left;
        Listener l;
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            left = new ArrayDeque<>(queue);
            queue.clear();
            l = listener;
            arrived.signalAll();
        } finally {
            lock.unlock();
        }
        l.close();
        left.forEach(BlockingConnection::abort);
    }
}
