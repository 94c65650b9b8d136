package dev.isthmus.tests.bench;

import dev.isthmus.stack.DatagramHandler;
import dev.isthmus.stack.NetworkStack;
import dev.isthmus.stack.UdpChannel;
import dev.isthmus.stack.UdpOptions;
import dev.isthmus.stack.Worker;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The UDP load: N flows (N UDP channels of a client stack, so N source ports) sending 64-byte (or
 * {@code size}) datagrams to the echo server's ports at a fixed rate, one step at a time, counting what
 * comes back ({@link UdpStepCounts}). Every channel lives on the client stack's worker 0, and the
 * sending runs there too, as a task that re-submits itself: a pacing loop that sends what the rate has
 * made due since the step began (up to {@value #MAX_PER_TURN} a turn, {@value #BATCH} per call on one
 * flow, the next call on the next flow), so the worker also reads the echoes between two turns.
 * A step is bounded: it sends for its time, then waits at most its drain time for the echoes.
 *
 * <p>Flow {@code f} sends to the server port {@code firstPort + f % ports}: the echo server has one channel
 * (one worker) per port.
 */
final class UdpLoadGenerator implements AutoCloseable {

    /** Datagrams per send call (one sendmmsg(2) on epoll). */
    static final int BATCH = 16;
    /** At most this many datagrams per pacing turn, so echoes are read in between. */
    static final int MAX_PER_TURN = 128;

    private final Worker worker;
    private final Arena arena = Arena.ofShared();
    private final List<UdpChannel> channels = new ArrayList<>();
    private final SocketAddress[][] to;
    private final MemorySegment[][] data;
    private final UdpStepCounts counts;
    private final Runnable pump = this::pump;

    // Worker thread only, set by the task that starts a step:
    private long rate;
    private long t0;
    private long sendUntil;
    private long drainUntil;
    private long attempted;
    private int nextFlow;
    private CompletableFuture<UdpStep> done;

    /**
     * Opens {@code flows} channels on worker 0 of {@code client}, bound to {@code local} with any free port.
     *
     * @param server the echo server's address and first port
     * @param ports  how many consecutive ports it serves (one per server worker)
     */
    UdpLoadGenerator(NetworkStack client, InetAddress local, InetSocketAddress server, int ports, int flows, int size)
            throws IOException {
        if (flows < 1 || ports < 1 || server.getPort() + ports - 1 > 65535) {
            throw new IllegalArgumentException("flows (" + flows + ") and ports (" + ports + ") must be at least 1,"
                    + " ports within 65535");
        }
        this.worker = client.workers().getFirst();
        this.counts = new UdpStepCounts(size);
        this.to = new SocketAddress[flows][BATCH];
        this.data = new MemorySegment[flows][BATCH];
        DatagramHandler echoes = (ch, sender, d, truncated) -> counts.echo(d, truncated, System.nanoTime());
        try {
            for (int f = 0; f < flows; f++) {
                InetSocketAddress target = new InetSocketAddress(server.getAddress(), server.getPort() + f % ports);
                for (int i = 0; i < BATCH; i++) {
                    to[f][i] = target;
                    data[f][i] = arena.allocate(size, 8);
                    UdpPayload.fill(data[f][i]);
                }
                channels.add(client.openUdp(new InetSocketAddress(local, 0), UdpOptions.defaults().withWorker(0), echoes));
            }
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    /** The number of flows. */
    int flows() {
        return channels.size();
    }

    /**
     * Waits until the echo server answers every flow: one datagram per flow every 100 ms until all come
     * back in one round (an ARP resolution or a memif link coming up drops the first ones). Throws if it
     * does not within {@code timeout}.
     */
    void awaitEchoes(Duration timeout) throws IOException {
        long end = System.nanoTime() + timeout.toNanos();
        int round = -1;
        long got = 0;
        while (System.nanoTime() < end) {
            int r = round--;
            onWorker(() -> {
                counts.begin(r);
                long now = System.nanoTime();
                for (int f = 0; f < channels.size(); f++) {
                    UdpPayload.stamp(data[f][0], r, now);
                    try {
                        channels.get(f).send(to[f][0], data[f][0]);
                        counts.sent(1);
                    } catch (IOException e) {
                        counts.refused(1);
                    }
                }
                return null;
            });
            sleep(100);
            got = onWorker(() -> counts.result(0, 1).echoed());
            if (got == channels.size()) {
                return;
            }
        }
        throw new IOException("the UDP echo server answered " + got + " of " + channels.size()
                + " flows in the last probe within " + timeout.toSeconds() + " s");
    }

    /**
     * Sends at {@code rate} datagrams per second for {@code seconds}, then waits up to {@code drain} for the
     * echoes; returns what the step counted. Step numbers must differ from one step to the next.
     */
    UdpStep step(int number, long rate, double seconds, Duration drain) throws IOException {
        if (number < 0 || rate < 1 || !(seconds > 0)) {
            throw new IllegalArgumentException("step " + number + " at " + rate + "/s for " + seconds + " s");
        }
        CompletableFuture<UdpStep> result = new CompletableFuture<>();
        worker.execute(() -> {
            counts.begin(number);
            this.rate = rate;
            this.attempted = 0;
            this.t0 = System.nanoTime();
            this.sendUntil = t0 + (long) (seconds * 1e9);
            this.drainUntil = sendUntil + drain.toNanos();
            this.done = result;
            pump();
        });
        try {
            return result.get((long) (seconds * 1000) + drain.toMillis() + 10_000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted during a UDP step", e);
        } catch (ExecutionException e) {
            throw new IOException("UDP step failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new IOException("the UDP load generator's worker did not finish a " + seconds + " s step", e);
        }
    }

    /** One turn of the pacing loop, on the worker. */
    private void pump() {
        long now = System.nanoTime();
        if (now < sendUntil) {
            long due = Math.min((long) ((now - t0) * (rate / 1e9)) - attempted, MAX_PER_TURN);
            counts.pump(due <= 0);
            while (due > 0) {
                int n = (int) Math.min(due, BATCH);
                send(nextFlow, n, now);
                nextFlow = nextFlow + 1 == channels.size() ? 0 : nextFlow + 1;
                attempted += n;
                due -= n;
            }
            worker.execute(pump);
        } else if (now < drainUntil && counts.outstanding() > 0) {
            worker.execute(pump);
        } else {
            CompletableFuture<UdpStep> d = done;
            done = null;
            d.complete(counts.result(rate, (sendUntil - t0) / 1e9));
        }
    }

    private void send(int flow, int n, long now) {
        MemorySegment[] d = data[flow];
        int step = counts.step();
        for (int i = 0; i < n; i++) {
            UdpPayload.stamp(d[i], step, now);
        }
        int sent;
        try {
            sent = channels.get(flow).send(to[flow], d, n);
        } catch (IOException e) {
            sent = 0; // ENOBUFS, EAGAIN: the client's socket buffer or device queue is full
        }
        counts.sent(sent);
        counts.refused(n - sent);
    }

    private <T> T onWorker(java.util.concurrent.Callable<T> task) throws IOException {
        CompletableFuture<T> f = new CompletableFuture<>();
        worker.execute(() -> {
            try {
                f.complete(task.call());
            } catch (Exception e) {
                f.completeExceptionally(e);
            }
        });
        try {
            return f.get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("the UDP load generator's worker: " + e, e);
        }
    }

    private static void sleep(long millis) throws IOException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** Closes the channels (the stack stays open) and then the datagrams' memory. */
    @Override
    public void close() {
        channels.forEach(UdpChannel::close);
        if (worker.inWorkerThread()) {
            arena.close();
            return;
        }
        // Closed on the worker, after any pacing turn still queued: a send never reads freed memory.
        CompletableFuture<Void> closed = new CompletableFuture<>();
        try {
            worker.execute(() -> {
                done = null;
                closed.complete(null);
            });
            closed.get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            // the worker is gone (stack closed): nothing of ours runs any more
        }
        arena.close();
    }
}
