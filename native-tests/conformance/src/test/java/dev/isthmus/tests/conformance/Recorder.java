package dev.isthmus.tests.conformance;

import dev.isthmus.stack.Connection;
import dev.isthmus.stack.ConnectionHandler;
import dev.isthmus.stack.Inbound;

import java.io.ByteArrayOutputStream;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.zip.CRC32C;

/**
 * A {@link ConnectionHandler} that records what happens to its connection, for the tests to wait on:
 * open, bytes received (count and CRC32C, optionally the bytes themselves), EOF, close and its cause.
 * It can echo what it receives and can push a {@link Source} while the connection is writable.
 * It also checks the threading contract: every callback on the connection's own worker thread, onOpen
 * first, onClose once and last.
 */
final class Recorder implements ConnectionHandler {

    /** Produces outbound bytes; called on the worker at open and at each onWritable. */
    interface Source {
        void pump(Connection c);
    }

    final CompletableFuture<Connection> opened = new CompletableFuture<>();
    final CompletableFuture<Void> inputShutdown = new CompletableFuture<>();
    /** Completes with onClose's cause (null for an orderly close). */
    final CompletableFuture<Throwable> closed = new CompletableFuture<>();
    final AtomicInteger closeCalls = new AtomicInteger();
    final AtomicInteger writableCalls = new AtomicInteger();
    /** Broken threading or ordering rules, reported by {@link #assertContract()}. */
    final ConcurrentLinkedQueue<String> violations = new ConcurrentLinkedQueue<>();

    private final boolean echo;
    private final boolean keepBytes;
    private final CRC32C crc = new CRC32C();
    private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
    private long received;
    private volatile Thread thread;
    private Source source;
    private Consumer<Connection> onEof = Connection::close;
    private Consumer<Connection> onOpenAction = c -> { };

    private Recorder(boolean echo, boolean keepBytes) {
        this.echo = echo;
        this.keepBytes = keepBytes;
    }

    /** Counts and checksums what arrives. */
    static Recorder sink() {
        return new Recorder(false, false);
    }

    /** Also keeps the bytes (for small transfers). */
    static Recorder keeping() {
        return new Recorder(false, true);
    }

    /** Writes back everything it receives (and counts it). */
    static Recorder echo() {
        return new Recorder(true, false);
    }

    Recorder source(Source s) {
        this.source = s;
        return this;
    }

    /** What to do at EOF instead of the default close (e.g. write a reply first, or nothing). */
    Recorder onEof(Consumer<Connection> action) {
        this.onEof = action;
        return this;
    }

    /** Something to do on the worker right after open. */
    Recorder onOpenDo(Consumer<Connection> action) {
        this.onOpenAction = action;
        return this;
    }

    private void checkThread(Connection c, String callback) {
        if (!c.worker().inWorkerThread()) {
            violations.add(callback + " ran on " + Thread.currentThread().getName() + ", not on worker " + c.worker().index());
        }
        Thread t = thread;
        if (t != null && t != Thread.currentThread()) {
            violations.add(callback + " ran on " + Thread.currentThread().getName() + " after earlier callbacks on " + t.getName());
        }
        if (closeCalls.get() > 0) {
            violations.add(callback + " after onClose");
        }
    }

    @Override
    public void onOpen(Connection c) {
        checkThread(c, "onOpen");
        thread = Thread.currentThread();
        if (opened.isDone()) {
            violations.add("onOpen twice");
        }
        opened.complete(c);
        onOpenAction.accept(c);
        if (source != null) {
            source.pump(c);
        }
    }

    @Override
    public void onData(Connection c, Inbound in) {
        checkThread(c, "onData");
        if (!opened.isDone()) {
            violations.add("onData before onOpen");
        }
        while (in.readableBytes() > 0) {
            MemorySegment chunk = in.firstChunk();
            if (chunk.byteSize() == 0) {
                violations.add("firstChunk empty while readableBytes=" + in.readableBytes());
                break;
            }
            // Counted before it is echoed: a stack may write at once (epoll does), and a test that saw
            // the echo arrive must find it counted here.
            synchronized (this) {
                crc.update(chunk.asByteBuffer());
                if (keepBytes) {
                    kept.writeBytes(chunk.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE));
                }
                received += chunk.byteSize();
                notifyAll();
            }
            if (echo) {
                c.write(chunk);
            }
            in.skip(chunk.byteSize());
        }
        if (echo) {
            c.flush();
        }
    }

    @Override
    public void onInputShutdown(Connection c) {
        checkThread(c, "onInputShutdown");
        inputShutdown.complete(null);
        onEof.accept(c);
    }

    @Override
    public void onWritable(Connection c) {
        checkThread(c, "onWritable");
        writableCalls.incrementAndGet();
        if (source != null) {
            source.pump(c);
        }
    }

    @Override
    public void onClose(Connection c, Throwable cause) {
        if (!c.worker().inWorkerThread()) {
            violations.add("onClose ran on " + Thread.currentThread().getName());
        }
        if (closeCalls.incrementAndGet() > 1) {
            violations.add("onClose called " + closeCalls.get() + " times");
        }
        closed.complete(cause);
        synchronized (this) {
            notifyAll();
        }
    }

    synchronized long received() {
        return received;
    }

    synchronized long crc() {
        return crc.getValue();
    }

    synchronized byte[] bytes() {
        return kept.toByteArray();
    }

    /** Waits until at least {@code n} bytes arrived; fails on timeout or if the connection closed first. */
    synchronized void awaitReceived(long n, Duration timeout) throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (received < n) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new TimeoutException("received " + received + " of " + n + " bytes");
            }
            if (closed.isDone() && received < n) {
                throw new AssertionError("connection closed (cause " + closed.getNow(null) + ") after " + received
                        + " of " + n + " bytes");
            }
            TimeUnit.NANOSECONDS.timedWait(this, Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)));
        }
    }

    /** Waits for onClose and returns its cause. */
    Throwable awaitClosed(Duration timeout) throws Exception {
        return closed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Fails if any callback broke the threading/ordering contract. */
    void assertContract() {
        if (!violations.isEmpty()) {
            throw new AssertionError("handler contract broken: " + violations);
        }
    }
}
