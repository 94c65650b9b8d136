package dev.isthmus.tests.bench;

import dev.isthmus.stack.ConnectOptions;
import dev.isthmus.stack.Connection;
import dev.isthmus.stack.ConnectionHandler;
import dev.isthmus.stack.Inbound;
import dev.isthmus.stack.NetworkStack;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The load generator: a client on the Isthmus facade (any stack) that keeps {@code connections}
 * connections busy and checks every reply byte for byte ({@link ReplyValidator}).
 *
 * <ul>
 *   <li>Closed loop ({@code rate == 0}): each connection keeps {@code depth} requests in flight and sends
 *       the next as soon as a reply completes; latency is from send to the reply's last byte.</li>
 *   <li>Open loop ({@code rate > 0}): each connection sends on a fixed schedule, {@code rate/connections}
 *       per second, whether replies came back or not, and latency is measured from the time each request
 *       <em>should</em> have been sent. A stalled server therefore shows up as latency of every request it
 *       delayed (Gil Tene's coordinated omission), not as one slow request among requests never sent.</li>
 * </ul>
 * Latencies go into an HdrHistogram {@link Recorder} (nanoseconds, 3 significant digits), which the
 * worker threads write wait-free while the harness takes a window out of it.
 *
 * <p>A reply that differs from the expected one, a connection the server closes or resets, and a reply
 * later than the timeout are errors: the connection is aborted and counted, and its requests never count
 * as answered.
 */
public final class LoadGenerator implements AutoCloseable {

    /** Most requests one connection may have outstanding in open loop before it waits. */
    static final int OPEN_LOOP_MAX_OUTSTANDING = 4096;
    private static final int MAX_MESSAGES = 8;

    /** Counters at one instant. */
    public record Snapshot(long replies, long errors, long timeouts, int openConnections) {
    }

    /** What one measured window saw. */
    public record Window(Histogram latencyNanos, long replies, long errors, long timeouts, long nanos) {
    }

    private final NetworkStack stack;
    private final InetSocketAddress server;
    private final Workload workload;
    private final int connections;
    private final int depth;
    private final long rate;
    private final long timeoutNanos;
    private final MemorySegment request;

    private final Recorder recorder = new Recorder(3);
    private final LongAdder replies = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final LongAdder timeouts = new LongAdder();
    private final AtomicInteger open = new AtomicInteger();
    private final List<String> messages = new ArrayList<>();
    private final List<Client> clients = new ArrayList<>();
    private volatile boolean stopping;

    private long windowStart;
    private Snapshot windowStartCounts;

    /**
     * @param stack       the client stack (the caller owns and closes it)
     * @param depth       requests in flight per connection in closed loop (pipelining); 1 for ping-pong
     * @param rate        open loop: requests per second over all connections; 0 for closed loop
     * @param timeout     a reply later than this is an error
     */
    public LoadGenerator(NetworkStack stack, InetSocketAddress server, Workload workload, int connections, int depth,
                         long rate, Duration timeout) {
        if (connections < 1 || depth < 1 || rate < 0) {
            throw new IllegalArgumentException("need connections >= 1, depth >= 1, rate >= 0; was " + connections
                    + ", " + depth + ", " + rate);
        }
        this.stack = stack;
        this.server = server;
        this.workload = workload;
        this.connections = connections;
        this.depth = depth;
        this.rate = rate;
        this.timeoutNanos = timeout.toNanos();
        byte[] r = workload.request();
        // Native, so a write copies native to native as the servers' own replies do; freed by the GC once
        // the generator and its connections are gone (Arena.ofAuto), never under a write in progress.
        this.request = Arena.ofAuto().allocate(r.length);
        MemorySegment.copy(MemorySegment.ofArray(r), 0, request, 0, r.length);
    }

    /**
     * Opens every connection and starts sending.
     *
     * @throws IOException if a connection cannot be made within {@code connectTimeout}
     */
    public void start(Duration connectTimeout) throws IOException {
        ConnectOptions co = ConnectOptions.defaults().withTimeout(connectTimeout)
                .withSocketOption(StandardSocketOptions.TCP_NODELAY, true);
        List<CompletableFuture<Connection>> futures = new ArrayList<>();
        long intervalNanos = rate == 0 ? 0 : Math.max(1, 1_000_000_000L * connections / rate);
        for (int i = 0; i < connections; i++) {
            Client c = new Client(intervalNanos);
            synchronized (clients) {
                clients.add(c);
            }
            futures.add(stack.connect(server, co, c));
        }
        long deadline = System.nanoTime() + connectTimeout.toNanos() + TimeUnit.SECONDS.toNanos(1);
        for (CompletableFuture<Connection> f : futures) {
            try {
                f.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                throw new IOException("cannot connect to " + server + ": " + cause.getMessage(), cause);
            } catch (TimeoutException e) {
                throw new IOException("cannot connect to " + server + ": no answer within " + connectTimeout.toMillis() + " ms");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while connecting", e);
            }
        }
    }

    /** Live counters, for the progress bar and for noticing a dead server. */
    public Snapshot snapshot() {
        return new Snapshot(replies.sum(), errors.sum(), timeouts.sum(), open.get());
    }

    /** Starts the measured window: what was recorded before is dropped. */
    public void beginWindow() {
        recorder.getIntervalHistogram(); // discards the warm-up
        windowStartCounts = snapshot();
        windowStart = System.nanoTime();
    }

    /** Ends the measured window and returns what it saw. */
    public Window endWindow() {
        Histogram h = recorder.getIntervalHistogram();
        long nanos = System.nanoTime() - windowStart;
        Snapshot s = snapshot();
        return new Window(h, h.getTotalCount(), s.errors() - windowStartCounts.errors(),
                s.timeouts() - windowStartCounts.timeouts(), nanos);
    }

    /** The first few error messages (distinct), for the report. */
    public List<String> errorMessages() {
        synchronized (messages) {
            return List.copyOf(messages);
        }
    }

    /** Stops sending and closes every connection; replies still in flight are not counted. */
    @Override
    public void close() {
        stopping = true;
        List<Client> all;
        synchronized (clients) {
            all = List.copyOf(clients);
        }
        for (Client c : all) {
            Connection conn = c.connection;
            if (conn != null) {
                conn.abort();
            }
        }
    }

    private void error(String message) {
        errors.increment();
        note(message);
    }

    private void note(String message) {
        synchronized (messages) {
            if (messages.size() < MAX_MESSAGES && !messages.contains(message)) {
                messages.add(message);
            }
        }
    }

    /** One connection's state; every method runs on its worker thread. */
    private final class Client implements ConnectionHandler {
        private final ReplyValidator validator = new ReplyValidator(workload.reply());
        private final long[] sentAt; // send (or intended send) times of outstanding requests, a ring
        private final int mask;
        private final long intervalNanos;
        private final Runnable tick = this::tick;
        private final Runnable watchdog = this::watchdog;
        private volatile Connection connection;
        private long head; // oldest outstanding request
        private long tail; // next request
        private long nextIntended;
        private boolean failed;

        Client(long intervalNanos) {
            this.intervalNanos = intervalNanos;
            int capacity = Integer.highestOneBit(Math.max(depth, intervalNanos == 0 ? 1 : OPEN_LOOP_MAX_OUTSTANDING) * 2 - 1);
            this.sentAt = new long[capacity];
            this.mask = capacity - 1;
        }

        @Override
        public void onOpen(Connection c) {
            connection = c;
            open.incrementAndGet();
            if (stopping) {
                c.abort();
                return;
            }
            long now = System.nanoTime();
            if (intervalNanos == 0) {
                send(depth, now);
            } else {
                // Spread the connections' schedules over one interval, so they do not all fire at once.
                nextIntended = now + (long) (Math.random() * intervalNanos);
                tick();
            }
            c.worker().schedule(watchdog, Math.max(1, timeoutNanos / 4), TimeUnit.NANOSECONDS);
        }

        private void send(int n, long now) {
            Connection c = connection;
            for (int i = 0; i < n; i++) {
                sentAt[(int) (tail++ & mask)] = now;
                c.write(request);
            }
            c.flush();
        }

        private void tick() {
            Connection c = connection;
            if (stopping || failed || !c.isOpen()) {
                return;
            }
            long now = System.nanoTime();
            boolean sent = false;
            while (nextIntended <= now && tail - head < sentAt.length) {
                sentAt[(int) (tail++ & mask)] = nextIntended; // latency counts from when it was due
                c.write(request);
                nextIntended += intervalNanos;
                sent = true;
            }
            if (sent) {
                c.flush();
            }
            // With the ring full, nothing can go out before a reply frees a slot: look again in one
            // interval rather than spinning on a schedule that is already due.
            long delay = tail - head >= sentAt.length ? intervalNanos : Math.max(0, nextIntended - System.nanoTime());
            c.worker().schedule(tick, delay, TimeUnit.NANOSECONDS);
        }

        private void watchdog() {
            Connection c = connection;
            if (stopping || failed || !c.isOpen()) {
                return;
            }
            if (tail > head && System.nanoTime() - sentAt[(int) (head & mask)] > timeoutNanos) {
                failed = true;
                timeouts.increment();
                note("no reply within " + timeoutNanos / 1_000_000 + " ms (" + (tail - head) + " outstanding)");
                c.abort();
                return;
            }
            c.worker().schedule(watchdog, Math.max(1, timeoutNanos / 4), TimeUnit.NANOSECONDS);
        }

        @Override
        public void onData(Connection c, Inbound in) {
            if (failed || stopping) {
                in.skip(in.readableBytes());
                return;
            }
            long now = System.nanoTime();
            int outstanding = (int) (tail - head);
            int done = 0;
            while (in.readableBytes() > 0) {
                MemorySegment chunk = in.firstChunk();
                int r = validator.accept(chunk, outstanding - done);
                if (r == ReplyValidator.MISMATCH) {
                    failed = true;
                    error("wrong reply: " + validator.error());
                    in.skip(in.readableBytes());
                    c.abort();
                    return;
                }
                done += r;
                in.skip(chunk.byteSize());
            }
            for (int i = 0; i < done; i++) {
                recorder.recordValue(Math.max(1, now - sentAt[(int) (head++ & mask)]));
            }
            if (done > 0) {
                replies.add(done);
                if (intervalNanos == 0) {
                    send(done, now);
                }
            }
        }

        @Override
        public void onInputShutdown(Connection c) {
            if (!stopping && !failed) {
                failed = true;
                error("the server closed a connection with " + (tail - head) + " request(s) outstanding");
            }
            c.close();
        }

        @Override
        public void onClose(Connection c, Throwable cause) {
            open.decrementAndGet();
            if (!stopping && !failed) {
                failed = true;
                error("connection lost: " + (cause == null ? "closed" : cause.getMessage()));
            }
        }
    }
}
