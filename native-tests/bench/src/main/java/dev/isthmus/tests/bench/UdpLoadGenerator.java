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
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The UDP load: N flows (N UDP channels of a client stack, so N source ports) sending datagrams of
 * {@code size} bytes to the echo server's ports at a fixed rate, one step at a time, counting what comes
 * back ({@link UdpStepCounts}). Flow {@code f} sends to port {@code firstPort + f % ports}: the echo
 * server has one channel, on its own worker, per port.
 *
 * <p>The flows are split into lanes, one per client worker used ({@code min(ports, client workers)}):
 * flow {@code f} is on lane {@code f % lanes}. On the dpdk stack this keeps each server worker's traffic
 * on its own queue pair end to end (client tx queue i is the server's rx queue i on a memif link). Each
 * lane paces itself on its worker as a task that re-submits itself: it sends what its share of the rate
 * has made due since the step began (up to {@value #MAX_PER_TURN} a turn, {@value #BATCH} per call on one
 * flow, the next call on the next flow), so the worker reads the echoes between two turns. A step is
 * bounded: it sends for its time, then waits at most its drain time for the echoes.
 */
final class UdpLoadGenerator implements AutoCloseable {

    /** Datagrams per send call (one sendmmsg(2) on epoll). */
    static final int BATCH = 16;
    /** At most this many datagrams per pacing turn, so echoes are read in between. */
    static final int MAX_PER_TURN = 128;

    private final Arena arena = Arena.ofShared();
    private final List<Lane> lanes = new ArrayList<>();
    private final int flows;

    /**
     * Opens {@code flows} channels of {@code client}, bound to {@code local} with any free port.
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
        UdpPayload.checkSize(size);
        this.flows = flows;
        int n = Math.min(Math.min(ports, client.workers().size()), flows);
        try {
            for (int l = 0; l < n; l++) {
                lanes.add(new Lane(client.workers().get(l), size));
            }
            for (int f = 0; f < flows; f++) {
                lanes.get(f % n).addFlow(client, local,
                        new InetSocketAddress(server.getAddress(), server.getPort() + f % ports), arena);
            }
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    /** The number of flows. */
    int flows() {
        return flows;
    }

    /** The number of lanes (client workers sending). */
    int lanes() {
        return lanes.size();
    }

    /**
     * Waits until the echo server answers every flow: one datagram per flow every 100 ms until all come
     * back in one round (an ARP resolution or a memif link coming up drops the first ones). Throws if it
     * does not within {@code timeout}.
     */
    void awaitEchoes(Duration timeout) throws IOException {
        long end = System.nanoTime() + timeout.toNanos();
        long got = 0;
        for (int round = -1; System.nanoTime() < end; round--) {
            int r = round;
            for (Lane lane : lanes) {
                lane.onWorker(() -> lane.probe(r));
            }
            sleep(100);
            got = 0;
            for (Lane lane : lanes) {
                got += lane.onWorker(() -> lane.counts.result(0, 1, 0).echoed());
            }
            if (got == flows) {
                return;
            }
        }
        throw new IOException("the UDP echo server answered " + got + " of " + flows
                + " flows in the last probe within " + timeout.toSeconds() + " s");
    }

    /**
     * Sends at {@code rate} datagrams per second in all (split evenly over the lanes) for {@code seconds},
     * then waits up to {@code drain} for the echoes; returns what the step counted. Step numbers must differ
     * from one step to the next.
     */
    UdpStep step(int number, long rate, double seconds, Duration drain) throws IOException {
        if (number < 0 || rate < lanes.size() || !(seconds > 0)) {
            throw new IllegalArgumentException("step " + number + " at " + rate + "/s for " + seconds + " s over "
                    + lanes.size() + " lane(s)");
        }
        List<CompletableFuture<UdpStep>> results = new ArrayList<>();
        for (int l = 0; l < lanes.size(); l++) {
            long share = rate / lanes.size() + (l < rate % lanes.size() ? 1 : 0);
            results.add(lanes.get(l).start(number, share, seconds, drain));
        }
        UdpStep all = null;
        try {
            for (CompletableFuture<UdpStep> f : results) {
                UdpStep s = f.get((long) (seconds * 1000) + drain.toMillis() + 10_000, TimeUnit.MILLISECONDS);
                all = all == null ? s : all.plus(s);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted during a UDP step", e);
        } catch (ExecutionException e) {
            throw new IOException("UDP step failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new IOException("the UDP load generator's workers did not finish a " + seconds + " s step", e);
        }
        return all;
    }

    /** Closes the channels (the stack stays open) and then the datagrams' memory. */
    @Override
    public void close() {
        for (Lane lane : lanes) {
            lane.close();
        }
        arena.close();
    }

    private static void sleep(long millis) throws IOException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** The flows of one client worker, and its pacing loop; its fields are used on that worker only. */
    private static final class Lane {
        final Worker worker;
        final UdpStepCounts counts;
        final List<UdpChannel> channels = new ArrayList<>();
        final List<SocketAddress[]> to = new ArrayList<>();
        final List<MemorySegment[]> data = new ArrayList<>();
        final int size;
        final Runnable pump = this::pump;
        long rate;
        long total;
        long drainNanos;
        long onTime;
        long t0;
        long sendUntil;
        long drainUntil;
        long attempted;
        int nextFlow;
        CompletableFuture<UdpStep> done;

        Lane(Worker worker, int size) {
            this.worker = worker;
            this.size = size;
            this.counts = new UdpStepCounts(size);
        }

        void addFlow(NetworkStack client, InetAddress local, InetSocketAddress target, Arena arena) throws IOException {
            SocketAddress[] t = new SocketAddress[BATCH];
            MemorySegment[] d = new MemorySegment[BATCH];
            for (int i = 0; i < BATCH; i++) {
                t[i] = target;
                d[i] = arena.allocate(size, 8);
                UdpPayload.fill(d[i]);
            }
            DatagramHandler echoes = (ch, sender, bytes, truncated) -> counts.echo(bytes, truncated, System.nanoTime());
            channels.add(client.openUdp(new InetSocketAddress(local, 0),
                    UdpOptions.defaults().withWorker(worker.index()), echoes));
            to.add(t);
            data.add(d);
        }

        /** One datagram per flow, counted as step {@code r}. */
        Void probe(int r) {
            counts.begin(r);
            long now = System.nanoTime();
            for (int f = 0; f < channels.size(); f++) {
                UdpPayload.stamp(data.get(f)[0], r, now);
                try {
                    channels.get(f).send(to.get(f)[0], data.get(f)[0]);
                    counts.sent(1);
                } catch (IOException e) {
                    counts.refused(1);
                }
            }
            return null;
        }

        CompletableFuture<UdpStep> start(int number, long share, double seconds, Duration drain) {
            CompletableFuture<UdpStep> result = new CompletableFuture<>();
            worker.execute(() -> {
                counts.begin(number);
                rate = share;
                total = Math.round(share * seconds);
                attempted = 0;
                t0 = System.nanoTime();
                onTime = -1;
                sendUntil = t0 + (long) (seconds * 1e9);
                drainNanos = drain.toNanos();
                drainUntil = Long.MAX_VALUE;
                done = result;
                pump();
            });
            return result;
        }

        /**
         * One turn of the pacing loop: sends what is due ({@code rate} x the time since the step began, and
         * at the end exactly {@code total}), then waits for the echoes until none is outstanding or the
         * drain time is over, then hands the counts over.
         */
        void pump() {
            if (done == null) {
                return; // closed
            }
            long now = System.nanoTime();
            if (attempted < total) {
                if (now >= sendUntil && onTime < 0) {
                    onTime = attempted; // what the rate got out in the step's time; the rest goes now, late
                }
                long target = now >= sendUntil ? total : Math.min(total, (long) ((now - t0) * (rate / 1e9)));
                long due = Math.min(target - attempted, MAX_PER_TURN);
                counts.pump(due <= 0);
                while (due > 0) {
                    int n = (int) Math.min(due, BATCH);
                    send(nextFlow, n, now);
                    nextFlow = nextFlow + 1 == channels.size() ? 0 : nextFlow + 1;
                    attempted += n;
                    due -= n;
                }
                worker.execute(pump);
                return;
            }
            if (drainUntil == Long.MAX_VALUE) {
                drainUntil = Math.max(now, sendUntil) + drainNanos;
            }
            if (now < drainUntil && counts.outstanding() > 0) {
                worker.execute(pump);
            } else {
                CompletableFuture<UdpStep> d = done;
                done = null;
                d.complete(counts.result(rate, (sendUntil - t0) / 1e9, onTime < 0 ? attempted : onTime));
            }
        }

        private void send(int flow, int n, long now) {
            MemorySegment[] d = data.get(flow);
            int step = counts.step();
            for (int i = 0; i < n; i++) {
                UdpPayload.stamp(d[i], step, now);
            }
            int sent;
            try {
                sent = channels.get(flow).send(to.get(flow), d, n);
            } catch (IOException e) {
                sent = 0; // ENOBUFS, EAGAIN: the client's socket buffer or device queue is full
            }
            counts.sent(sent);
            counts.refused(n - sent);
        }

        <T> T onWorker(Callable<T> task) throws IOException {
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

        /** Closes the channels, then stops the pacing loop on the worker so no send reads freed memory. */
        void close() {
            channels.forEach(UdpChannel::close);
            if (worker.inWorkerThread()) {
                done = null;
                return;
            }
            CompletableFuture<Void> stopped = new CompletableFuture<>();
            try {
                worker.execute(() -> {
                    done = null;
                    stopped.complete(null);
                });
                stopped.get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                // the stack is closed: its worker runs nothing of ours any more
            }
        }
    }
}
