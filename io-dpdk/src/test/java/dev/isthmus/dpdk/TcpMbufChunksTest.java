package dev.isthmus.dpdk;

import dev.isthmus.stack.ConnectOptions;
import dev.isthmus.stack.Connection;
import dev.isthmus.stack.ConnectionHandler;
import dev.isthmus.stack.Inbound;
import dev.isthmus.stack.ListenOptions;
import dev.isthmus.stack.Listener;
import dev.isthmus.stack.examples.EchoServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Received TCP bytes stay in their mbufs (chunks over the mbuf, freed when consumed) and are copied out
 * only under pressure: the mbufs come back to their level, and a reader that holds everything it received,
 * or has paused, does not exhaust the mbuf pool. Two stacks of one worker over a ring cable (2047 mbufs a
 * pool, so a worker may hold 511): a ring cable passes mbufs, so what the receiver holds is the sender's.
 */
@Timeout(120)
class TcpMbufChunksTest {
    static final int MBUFS = 2047;

    @BeforeAll
    static void eal() throws Exception {
        TestEal.start();
    }

    static long counter(DpdkNetworkStack s, String name) {
        return s.dpdkWorker(0).counters().get(name);
    }

    /** Sum of both stacks' mbufs in use, waited for until it is {@code level} (traffic settles), at most 5 s. */
    static int settle(DpdkNetworkStack a, DpdkNetworkStack b, int level) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        int n;
        while ((n = a.mbufsInUse() + b.mbufsInUse()) != level && System.nanoTime() < end) {
            Thread.sleep(10);
        }
        return n;
    }

    /**
     * Waits (at most 5 s) until both stacks' mbufs in use stay the same for 200 ms: the last FINs and ACKs
     * have crossed the cable. A stack closed while its frames sit in the peer's rx ring counts them as in
     * use at its close (seen: 1 or 2 on a loaded machine), though the peer then frees them.
     */
    static void quiesce(DpdkNetworkStack a, DpdkNetworkStack b) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        int last = -1;
        int same = 0;
        while (same < 10 && System.nanoTime() < end) {
            int n = a.mbufsInUse() + b.mbufsInUse();
            same = n == last ? same + 1 : 0;
            last = n;
            Thread.sleep(20);
        }
    }

    @Test
    void anEchoReadsFromTheMbufsAndGivesThemBack() throws Exception {
        DpdkStackProvider provider = new DpdkStackProvider();
        DpdkNetworkStack a = (DpdkNetworkStack) provider.open(RingStacksTest.options("z1", "198.18.2.11", 1));
        DpdkNetworkStack b = (DpdkNetworkStack) provider.open(RingStacksTest.options("z1", "198.18.2.12", 1));
        try {
            Listener l = a.listen(new InetSocketAddress(7), ListenOptions.defaults(), EchoServer::new);
            InetSocketAddress server = new InetSocketAddress(InetAddress.getByName("198.18.2.11"), 7);
            StreamClient warm = new StreamClient(1000, 1000, false, 1);
            Connection w = b.connect(server, ConnectOptions.defaults(), warm).get(10, TimeUnit.SECONDS);
            warm.done.get(10, TimeUnit.SECONDS);
            Thread.sleep(200);
            int level = a.mbufsInUse() + b.mbufsInUse(); // ARP resolved, a connection idle: the level
            long n = 8L << 20;
            StreamClient client = new StreamClient(n, n, false, 2);
            Connection c = b.connect(server, ConnectOptions.defaults(), client).get(10, TimeUnit.SECONDS);
            long crc = client.done.get(60, TimeUnit.SECONDS);
            assertEquals(client.sentCrc.getValue(), crc);
            long chunks = counter(a, "tcpMbufChunks") + counter(b, "tcpMbufChunks");
            long copied = counter(a, "tcpCopiedChunks") + counter(b, "tcpCopiedChunks");
            System.out.printf("8 MiB echoed: %d segments read from their mbufs, %d copied out%n", chunks, copied);
            // The echo server pauses reading while its output is above the high watermark: those segments
            // are copied out; the others are read where they arrived.
            assertTrue(chunks + copied >= 2 * n / 1460, "every segment each way counted: " + chunks + " + " + copied);
            assertTrue(chunks > copied, "most segments read in place: " + chunks + " vs " + copied);
            assertEquals(level, settle(a, b, level), "mbufs back to their level");
            c.close();
            w.close();
            assertNull(client.closed.get(10, TimeUnit.SECONDS));
            l.close();
            quiesce(a, b);
        } finally {
            b.close();
            a.close();
        }
        assertEquals(0, a.mbufsInUseAtClose());
        assertEquals(0, b.mbufsInUseAtClose());
    }

    /** Sends {@code total} pseudo-random bytes in pieces of {@code piece} bytes, one flush (one segment) each. */
    static final class SmallWrites implements ConnectionHandler {
        final long total;
        final int piece;
        final CRC32 crc = new CRC32();
        final Random random = new Random(7);
        final byte[] b;
        final CompletableFuture<Throwable> closed = new CompletableFuture<>();
        long written;

        SmallWrites(long total, int piece) {
            this.total = total;
            this.piece = piece;
            this.b = new byte[piece];
        }

        @Override
        public void onOpen(Connection c) {
            pump(c);
        }

        @Override
        public void onWritable(Connection c) {
            pump(c);
        }

        private void pump(Connection c) {
            while (written < total && c.isWritable()) {
                int n = (int) Math.min(piece, total - written);
                random.nextBytes(b);
                crc.update(b, 0, n);
                c.write(b, 0, n);
                c.flush();
                written += n;
            }
        }

        @Override
        public void onData(Connection c, Inbound in) {
            in.skip(in.readableBytes()); // nothing comes back
        }

        @Override
        public void onClose(Connection c, Throwable cause) {
            closed.complete(cause);
        }
    }

    /** Reads nothing until {@link #drain} (paused from the start, or just not consuming), then everything. */
    static final class Holder implements ConnectionHandler {
        final boolean pause;
        final CRC32 crc = new CRC32();
        final CompletableFuture<Connection> opened = new CompletableFuture<>();
        volatile long held;
        boolean consume;
        long received;
        final byte[] buf = new byte[65536];

        Holder(boolean pause) {
            this.pause = pause;
        }

        @Override
        public void onOpen(Connection c) {
            if (pause) {
                c.pauseReading();
            }
            opened.complete(c);
        }

        @Override
        public void onData(Connection c, Inbound in) {
            if (!consume) {
                held = in.readableBytes();
                return;
            }
            while (in.readableBytes() > 0) {
                int n = (int) Math.min(buf.length, in.readableBytes());
                in.copyTo(0, buf, 0, n);
                crc.update(buf, 0, n);
                in.skip(n);
                received += n;
            }
        }

        /** From now on everything is read (on the connection's worker). */
        void drain(Connection c) {
            c.worker().execute(() -> {
                consume = true;
                if (!c.isReadingPaused()) {
                    c.pauseReading(); // resumeReading hands the held bytes to onData again
                }
                c.resumeReading();
            });
        }
    }

    private void holdingReader(boolean pause, String cable, String ipA, String ipB) throws Exception {
        DpdkStackProvider provider = new DpdkStackProvider();
        DpdkNetworkStack a = (DpdkNetworkStack) provider.open(RingStacksTest.options(cable, ipA, 1));
        DpdkNetworkStack b = (DpdkNetworkStack) provider.open(RingStacksTest.options(cable, ipB, 1));
        try {
            Holder holder = new Holder(pause);
            Listener hl = a.listen(new InetSocketAddress(9), ListenOptions.defaults(), () -> holder);
            Listener el = a.listen(new InetSocketAddress(7), ListenOptions.defaults(), EchoServer::new);
            // 100-byte segments: a 256 KiB window of them is 2600 mbufs, more than the sender's pool has.
            long total = 1L << 20;
            SmallWrites sender = new SmallWrites(total, 100);
            Connection s = b.connect(new InetSocketAddress(InetAddress.getByName(ipA), 9), ConnectOptions.defaults()
                    .withSocketOption(StandardSocketOptions.TCP_NODELAY, true), sender).get(10, TimeUnit.SECONDS);
            Connection server = holder.opened.get(10, TimeUnit.SECONDS);
            // Wait until the receiver's window is full (the segments it takes stop growing).
            long last = -1;
            long now = 0;
            for (int i = 0; i < 100 && (now = counter(a, "tcpMbufChunks") + counter(a, "tcpCopiedChunks")) != last; i++) {
                last = now;
                Thread.sleep(500);
            }
            System.out.println(a.tcpDump() + b.tcpDump());
            int inUse = a.mbufsInUse() + b.mbufsInUse();
            long chunks = counter(a, "tcpMbufChunks");
            long copied = counter(a, "tcpCopiedChunks");
            System.out.printf("%s reader: %d bytes held, %d mbufs in use, %d segments in their mbufs, %d copied%n",
                    pause ? "paused" : "non-consuming", holder.held, inUse, chunks, copied);
            assertTrue(inUse < MBUFS / 2, "the pool is not drained by a reader that holds: " + inUse);
            assertTrue(copied > 0, "copied out under pressure");
            if (pause) {
                assertEquals(0, chunks, "a paused reader's bytes are copied out");
            } else {
                assertTrue(chunks >= MBUFS / 4 - 1, "up to the limit in place: " + chunks);
            }
            // Meanwhile another connection of the same workers still gets its mbufs.
            StreamClient other = new StreamClient(256 << 10, 256 << 10, false, 3);
            Connection o = b.connect(new InetSocketAddress(InetAddress.getByName(ipA), 7), ConnectOptions.defaults(),
                    other).get(10, TimeUnit.SECONDS);
            long crc = other.done.get(30, TimeUnit.SECONDS);
            assertEquals(other.sentCrc.getValue(), crc, "an echo beside the holding reader");
            o.close();
            // Now the reader takes everything: all the bytes, in order.
            holder.drain(server);
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (sender.written < total || holder.received < total) {
                assertTrue(System.nanoTime() < end, "received " + holder.received + " of " + total);
                Thread.sleep(10);
            }
            CompletableFuture<Long> got = new CompletableFuture<>();
            server.worker().execute(() -> got.complete(holder.crc.getValue()));
            assertEquals(sender.crc.getValue(), got.get(10, TimeUnit.SECONDS));
            s.close();
            assertNull(sender.closed.get(10, TimeUnit.SECONDS));
            hl.close();
            el.close();
            quiesce(a, b);
        } finally {
            b.close();
            a.close();
        }
        assertEquals(0, a.mbufsInUseAtClose(), "every held mbuf went back");
        assertEquals(0, b.mbufsInUseAtClose(), "every held mbuf went back");
    }

    @Test
    void aReaderThatDoesNotConsumeHoldsAtMostItsShareOfMbufs() throws Exception {
        holdingReader(false, "z2", "198.18.2.13", "198.18.2.14");
    }

    @Test
    void aPausedReadersBytesAreCopiedOut() throws Exception {
        holdingReader(true, "z3", "198.18.2.15", "198.18.2.16");
    }
}
