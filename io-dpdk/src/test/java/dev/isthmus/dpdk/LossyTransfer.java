package dev.isthmus.dpdk;

import dev.isthmus.dpdk.tcp.TcpStats.Counter;
import dev.isthmus.stack.ConnectOptions;
import dev.isthmus.stack.Connection;
import dev.isthmus.stack.ConnectionHandler;
import dev.isthmus.stack.Inbound;
import dev.isthmus.stack.ListenOptions;
import dev.isthmus.stack.Listener;
import dev.isthmus.stack.StackOptions;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;

/**
 * One bulk transfer between two dpdk stacks over a ring cable with loss and reordering injected by their
 * ports ({@link DpdkOptions#TX_LOSS}, {@link DpdkOptions#RX_REORDER} on both, so data and ACKs both
 * suffer): the client sends {@code bytes} pseudo-random bytes and shuts its output, the server CRCs them.
 * Reports what crossed, how long it took and what the sender retransmitted. Shared by the test and the
 * benchmark.
 */
final class LossyTransfer {
    /** What one run measured. */
    record Result(boolean sack, long bytes, boolean checksumOk, long nanos, long retransmits, long sackRetransmits,
                  long timeouts, long fastRetransmits, long injectedDrops, long injectedReorders, String dump) {
        double mibPerSecond() {
            return bytes / (1024.0 * 1024) / (nanos / 1e9);
        }

        @Override
        public String toString() {
            return String.format("sack %-5s %d MiB in %.2f s: %.1f MiB/s, crc %s, retransmitted %d segments"
                            + " (%d chosen by SACK, %d timeouts, %d fast retransmits), injected %d drops %d reorders",
                    sack, bytes >> 20, nanos / 1e9, mibPerSecond(), checksumOk ? "ok" : "WRONG", retransmits,
                    sackRetransmits, timeouts, fastRetransmits, injectedDrops, injectedReorders);
        }
    }

    /** Counts and CRCs what arrives; completes {@link #crc} at EOF. */
    static final class Sink implements ConnectionHandler {
        final CRC32 crc32 = new CRC32();
        final CompletableFuture<Long> crc = new CompletableFuture<>();
        private final byte[] buf = new byte[65536];
        long received;

        @Override
        public void onData(Connection c, Inbound in) {
            while (in.readableBytes() > 0) {
                int n = (int) Math.min(buf.length, in.readableBytes());
                in.copyTo(0, buf, 0, n);
                crc32.update(buf, 0, n);
                in.skip(n);
                received += n;
            }
        }

        @Override
        public void onInputShutdown(Connection c) {
            crc.complete(crc32.getValue());
            c.close();
        }

        @Override
        public void onClose(Connection c, Throwable cause) {
            if (!crc.isDone()) {
                crc.completeExceptionally(new AssertionError("closed after " + received + " bytes", cause));
            }
        }
    }

    private LossyTransfer() {
    }

    static StackOptions options(String cable, String ip, boolean sack, String lossPercent, String reorderPercent, long seed) {
        return RingStacksTest.options(cable, ip, 1)
                .withProperty(DpdkOptions.TCP_SACK, Boolean.toString(sack))
                .withProperty(DpdkOptions.TX_LOSS, lossPercent)
                .withProperty(DpdkOptions.RX_REORDER, reorderPercent)
                .withProperty(DpdkOptions.FAULT_SEED, Long.toString(seed));
    }

    /**
     * Sends {@code bytes} from a stack at {@code ipB} to one at {@code ipA} over cable {@code cable}, with
     * {@code lossPercent} of the frames of each direction dropped and {@code reorderPercent} reordered;
     * fails after {@code timeoutSeconds}.
     */
    static Result run(String cable, String ipA, String ipB, boolean sack, long bytes, String lossPercent,
                      String reorderPercent, long seed, long timeoutSeconds) throws Exception {
        DpdkStackProvider provider = new DpdkStackProvider();
        DpdkNetworkStack a = (DpdkNetworkStack) provider.open(options(cable, ipA, sack, lossPercent, reorderPercent, seed));
        DpdkNetworkStack b;
        try {
            b = (DpdkNetworkStack) provider.open(options(cable, ipB, sack, lossPercent, reorderPercent, seed + 1));
        } catch (Exception e) {
            a.close();
            throw e;
        }
        Result r;
        try {
            Sink sink = new Sink();
            Listener l = a.listen(new InetSocketAddress(5001), ListenOptions.defaults(), () -> sink);
            StreamClient client = new StreamClient(bytes, 0, true, seed);
            long t0 = System.nanoTime();
            Connection c = b.connect(new InetSocketAddress(InetAddress.getByName(ipA), 5001), ConnectOptions.defaults(), client)
                    .get(30, TimeUnit.SECONDS);
            long crc = sink.crc.get(timeoutSeconds, TimeUnit.SECONDS);
            long nanos = System.nanoTime() - t0;
            String dump = a.tcpDump() + b.tcpDump() + a.dpdkWorker(0).counters() + "\n" + b.dpdkWorker(0).counters();
            long drops = 0;
            long reorders = 0;
            for (DpdkNetworkStack s : new DpdkNetworkStack[] {a, b}) {
                var counters = s.dpdkWorker(0).counters();
                drops += counters.get("faultTxDropped") + counters.get("faultRxDropped");
                reorders += counters.get("faultTxReordered") + counters.get("faultRxReordered");
            }
            r = new Result(sack, sink.received, crc == client.sentCrc.getValue() && sink.received == bytes, nanos,
                    b.tcpCounter(Counter.RETRANSMITTED_SEGMENTS), b.tcpCounter(Counter.SACK_RETRANSMITS),
                    b.tcpCounter(Counter.TIMEOUTS), b.tcpCounter(Counter.FAST_RETRANSMITS), drops, reorders, dump);
            c.close();
            client.closed.get(60, TimeUnit.SECONDS);
            l.close();
            awaitQuiet(a, b, 60);
        } finally {
            b.close();
            a.close();
        }
        if (a.mbufsInUseAtClose() != 0 || b.mbufsInUseAtClose() != 0) {
            throw new AssertionError("mbufs not returned at close: " + a.mbufsInUseAtClose() + ", " + b.mbufsInUseAtClose());
        }
        return r;
    }

    /**
     * Waits until every connection is gone or in TIME_WAIT, and held-back frames are out: a frame left in
     * the cable at close is an mbuf of the sender's pool.
     */
    private static void awaitQuiet(DpdkNetworkStack a, DpdkNetworkStack b, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (true) {
            String dumps = a.tcpDump() + b.tcpDump();
            if (dumps.lines().noneMatch(line -> line.startsWith("  ") && !line.contains("TIME_WAIT"))) {
                Thread.sleep(20); // the last ACKs cross, held frames (at most 2 ms) leave
                return;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("connections still closing after " + seconds + " s:\n" + dumps);
            }
            Thread.sleep(10);
        }
    }
}
