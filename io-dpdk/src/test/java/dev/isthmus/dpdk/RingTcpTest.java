package dev.isthmus.dpdk;

import dev.isthmus.stack.ConnectOptions;
import dev.isthmus.stack.Connection;
import dev.isthmus.stack.ListenOptions;
import dev.isthmus.stack.Listener;
import dev.isthmus.stack.examples.EchoServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** TCP between two dpdk stacks joined by crossed rings: no kernel anywhere. */
@Timeout(120)
class RingTcpTest {
    @BeforeAll
    static void eal() throws Exception {
        TestEal.start();
    }

    @Test
    void echoOfSomeMebibytesWithChecksumThenRefusedPort() throws Exception {
        DpdkStackProvider provider = new DpdkStackProvider();
        DpdkNetworkStack a = (DpdkNetworkStack) provider.open(RingStacksTest.options("t1", "198.18.2.1", 1));
        DpdkNetworkStack b = (DpdkNetworkStack) provider.open(RingStacksTest.options("t1", "198.18.2.2", 1));
        try {
            Listener l = a.listen(new InetSocketAddress(7), ListenOptions.defaults(), EchoServer::new);
            assertEquals(7, ((InetSocketAddress) l.localAddress()).getPort());
            long n = 8L << 20;
            StreamClient client = new StreamClient(n, n, false, 42);
            InetSocketAddress server = new InetSocketAddress(InetAddress.getByName("198.18.2.1"), 7);
            Connection c = b.connect(server, ConnectOptions.defaults(), client).get(10, TimeUnit.SECONDS);
            long crc = client.done.get(60, TimeUnit.SECONDS);
            assertEquals(client.sentCrc.getValue(), crc, "the echo carries the same bytes");
            System.out.println(a.tcpDump());
            System.out.println(b.tcpDump());
            c.close();
            assertNull(client.closed.get(10, TimeUnit.SECONDS));

            ExecutionException e = assertThrows(ExecutionException.class, () -> b.connect(
                    new InetSocketAddress(InetAddress.getByName("198.18.2.1"), 9), ConnectOptions.defaults(),
                    new StreamClient(0, 0, false, 1)).get(10, TimeUnit.SECONDS));
            assertInstanceOf(ConnectException.class, e.getCause());
            l.close();
        } finally {
            b.close();
            a.close();
        }
        assertEquals(0, a.mbufsInUseAtClose());
        assertEquals(0, b.mbufsInUseAtClose());
    }

    /** The echo server, noting on which worker each accepted connection lives (by the peer's port). */
    static final class WhereEcho implements dev.isthmus.stack.ConnectionHandler {
        static final java.util.Map<Integer, Integer> workerByPeerPort = new java.util.concurrent.ConcurrentHashMap<>();
        private final EchoServer echo = new EchoServer();

        @Override
        public void onOpen(Connection c) {
            workerByPeerPort.put(((InetSocketAddress) c.remoteAddress()).getPort(), c.worker().index());
        }

        @Override
        public void onData(Connection c, dev.isthmus.stack.Inbound in) {
            echo.onData(c, in);
        }

        @Override
        public void onWritable(Connection c) {
            echo.onWritable(c);
        }
    }

    /**
     * Two stacks of two workers each: net_ring delivers a frame on the sender's queue number, so about
     * half the segments of each direction land on the worker that does not own their flow and are
     * handed over. Every connection must live on the worker the RSS hash of its inbound tuple names, on
     * both sides, and every echo must complete with the right CRC, without a reset.
     */
    @Test
    void connectionsOnTwoWorkersLiveOnTheirRssOwnerAndEcho() throws Exception {
        DpdkStackProvider provider = new DpdkStackProvider();
        DpdkNetworkStack a = (DpdkNetworkStack) provider.open(RingStacksTest.options("t3", "198.18.2.5", 2));
        DpdkNetworkStack b = (DpdkNetworkStack) provider.open(RingStacksTest.options("t3", "198.18.2.6", 2));
        int aIp = dev.isthmus.dpdk.net.Wire.ip(InetAddress.getByName("198.18.2.5").getAddress());
        int bIp = dev.isthmus.dpdk.net.Wire.ip(InetAddress.getByName("198.18.2.6").getAddress());
        try {
            Listener l = a.listen(new InetSocketAddress(7), ListenOptions.defaults(), WhereEcho::new);
            InetSocketAddress server = new InetSocketAddress(InetAddress.getByName("198.18.2.5"), 7);
            int n = 8;
            long bytes = 1L << 20;
            StreamClient[] clients = new StreamClient[n];
            Connection[] conns = new Connection[n];
            for (int i = 0; i < n; i++) {
                clients[i] = new StreamClient(bytes, bytes, false, 100 + i);
                conns[i] = b.connect(server, ConnectOptions.defaults().withWorker(i % 2), clients[i]).get(10, TimeUnit.SECONDS);
            }
            int crossed = 0;
            for (int i = 0; i < n; i++) {
                long crc = clients[i].done.get(60, TimeUnit.SECONDS); // first: then all is sent and sentCrc final
                assertEquals(clients[i].sentCrc.getValue(), crc, "echo " + i);
                int port = ((InetSocketAddress) conns[i].localAddress()).getPort();
                assertEquals(i % 2, conns[i].worker().index(), "the connecting worker keeps its connection");
                assertEquals(i % 2, b.rss().workerV4(aIp, bIp, 7, port), "connect picked a port hashing to its worker");
                int owner = a.rss().workerV4(bIp, aIp, port, 7);
                assertEquals(owner, WhereEcho.workerByPeerPort.get(port), "accepted on the SYN's RSS owner, port " + port);
                crossed += owner != i % 2 ? 1 : 0;
            }
            String dumps = a.tcpDump() + b.tcpDump();
            System.out.println(dumps);
            assertTrue(!dumps.contains("resets_sent"), dumps);
            long handedIn = 0;
            for (int w = 0; w < 2; w++) {
                handedIn += a.dpdkWorker(w).counters().get("handedIn") + b.dpdkWorker(w).counters().get("handedIn");
            }
            System.out.printf("%d connections on 2+2 workers, %d accepted on the other worker number; %d frames handed over%n",
                    n, crossed, handedIn);
            assertEquals(crossed > 0, handedIn > 0, "frames of a flow whose queue is not its owner's are handed over");
            // A fixed local port: the connect runs on the worker that port's replies hash to, and asking
            // for the other worker fails with a BindException that says where they land.
            int fixed = 40001;
            int owner = b.rss().workerV4(aIp, bIp, 7, fixed);
            StreamClient f = new StreamClient(1000, 1000, false, 9);
            Connection fc = b.connect(server, ConnectOptions.defaults().withLocalAddress(new InetSocketAddress(fixed)), f)
                    .get(10, TimeUnit.SECONDS);
            assertEquals(owner, fc.worker().index(), "a fixed-port connect on the port's RSS owner");
            long fcrc = f.done.get(10, TimeUnit.SECONDS);
            assertEquals(f.sentCrc.getValue(), fcrc);
            fc.close();
            ExecutionException wrong = assertThrows(ExecutionException.class, () -> b.connect(server,
                    ConnectOptions.defaults().withLocalAddress(new InetSocketAddress(fixed + 1))
                            .withWorker(1 - b.rss().workerV4(aIp, bIp, 7, fixed + 1)),
                    new StreamClient(0, 0, false, 1)).get(10, TimeUnit.SECONDS));
            assertInstanceOf(java.net.BindException.class, wrong.getCause());
            assertTrue(wrong.getCause().getMessage().contains("land on worker"), wrong.getCause().getMessage());
            for (Connection c : conns) {
                c.close();
            }
            for (StreamClient c : clients) {
                assertNull(c.closed.get(10, TimeUnit.SECONDS));
            }
            l.close();
            // Over a ring cable a frame sent is an mbuf of the sender's pool until the receiver frees it:
            // close only once the FIN exchanges are over, so that no frame is left in a closed stack's ring.
            awaitOnlyTimeWait(a, b);
        } finally {
            b.close();
            a.close();
        }
        assertEquals(0, a.mbufsInUseAtClose());
        assertEquals(0, b.mbufsInUseAtClose());
    }

    /** Waits (up to 10 s) until every TCP connection of both stacks is gone or in TIME_WAIT, which sends nothing. */
    static void awaitOnlyTimeWait(DpdkNetworkStack a, DpdkNetworkStack b) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        String dumps;
        while (true) {
            dumps = a.tcpDump() + b.tcpDump();
            boolean active = dumps.lines().anyMatch(line -> line.startsWith("  ") && !line.contains("TIME_WAIT"));
            if (!active) {
                return;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("FIN exchanges still running after 10 s:\n" + dumps);
            }
            Thread.sleep(10);
        }
    }

    /** Counts what it reads; at EOF answers "got N" on the half-closed connection, then closes. */
    static final class CountThenAnswer implements dev.isthmus.stack.ConnectionHandler {
        static final java.util.concurrent.CompletableFuture<Throwable> lastClose = new java.util.concurrent.CompletableFuture<>();
        long n;

        @Override
        public void onData(Connection c, dev.isthmus.stack.Inbound in) {
            n += in.readableBytes();
            in.skip(in.readableBytes());
        }

        @Override
        public void onInputShutdown(Connection c) {
            byte[] b = ("got " + n).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            c.write(b, 0, b.length);
            c.flush();
            c.close();
        }

        @Override
        public void onClose(Connection c, Throwable cause) {
            lastClose.complete(cause);
        }
    }

    @Test
    void halfCloseOptionsAndAbort() throws Exception {
        DpdkStackProvider provider = new DpdkStackProvider();
        DpdkNetworkStack a = (DpdkNetworkStack) provider.open(RingStacksTest.options("t2", "198.18.2.3", 1));
        DpdkNetworkStack b = (DpdkNetworkStack) provider.open(RingStacksTest.options("t2", "198.18.2.4", 1));
        try {
            Listener l = a.listen(new InetSocketAddress(0), ListenOptions.defaults(), CountThenAnswer::new);
            InetSocketAddress server = new InetSocketAddress(InetAddress.getByName("198.18.2.3"),
                    ((InetSocketAddress) l.localAddress()).getPort());
            // Half-close: we shut our output after 100000 bytes; the server reads on to EOF, then answers.
            byte[] answer = "got 100000".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            StreamClient client = new StreamClient(100_000, answer.length, true, 5);
            Connection c = b.connect(server, ConnectOptions.defaults()
                    .withSocketOption(java.net.StandardSocketOptions.TCP_NODELAY, true), client).get(10, TimeUnit.SECONDS);
            java.util.zip.CRC32 crc = new java.util.zip.CRC32();
            crc.update(answer);
            assertEquals(crc.getValue(), client.done.get(20, TimeUnit.SECONDS), "the answer after our FIN");
            assertNull(client.closed.get(10, TimeUnit.SECONDS));
            assertNull(CountThenAnswer.lastClose.get(10, TimeUnit.SECONDS), "orderly on the server too");

            // Options: the facade's names, mapped onto the TCB; others refused as on the other stacks.
            StreamClient idle = new StreamClient(0, 1, false, 6);
            Connection d = b.connect(server, ConnectOptions.defaults(), idle).get(10, TimeUnit.SECONDS);
            java.util.concurrent.CompletableFuture<String> got = new java.util.concurrent.CompletableFuture<>();
            d.worker().execute(() -> {
                try {
                    d.setOption(java.net.StandardSocketOptions.TCP_NODELAY, true);
                    d.setOption(java.net.StandardSocketOptions.SO_KEEPALIVE, true);
                    d.setOption(jdk.net.ExtendedSocketOptions.TCP_KEEPIDLE, 30);
                    got.complete(d.getOption(java.net.StandardSocketOptions.TCP_NODELAY) + " "
                            + d.getOption(java.net.StandardSocketOptions.SO_KEEPALIVE) + " "
                            + d.getOption(jdk.net.ExtendedSocketOptions.TCP_KEEPIDLE));
                    d.setOption(java.net.StandardSocketOptions.IP_TOS, 0x10);
                    got.complete("IP_TOS accepted");
                } catch (UnsupportedOperationException e) {
                    got.complete(got.getNow("") + " / " + e.getMessage());
                } catch (Exception e) {
                    got.completeExceptionally(e);
                }
            });
            assertEquals("true true 30", got.get(10, TimeUnit.SECONDS));
            assertThrows(UnsupportedOperationException.class, () -> b.connect(server, ConnectOptions.defaults()
                    .withSocketOption(java.net.StandardSocketOptions.IP_TOS, 0x10), new StreamClient(0, 0, false, 1)));
            // SO_LINGER 0, then close: RST instead of FIN, as Linux does; the server's connection closes with a
            // reset. (abort() itself: the conformance suite's CloseTest, on this stack too.)
            java.util.concurrent.CompletableFuture<Object> lingerSet = new java.util.concurrent.CompletableFuture<>();
            d.worker().execute(() -> {
                try {
                    d.setOption(java.net.StandardSocketOptions.SO_LINGER, 0);
                    lingerSet.complete(d.getOption(java.net.StandardSocketOptions.SO_LINGER));
                } catch (Exception e) {
                    lingerSet.completeExceptionally(e);
                }
            });
            assertEquals(0, lingerSet.get(10, TimeUnit.SECONDS));
            d.close();
            Throwable cause = idle.closed.get(10, TimeUnit.SECONDS);
            assertTrue(cause == null || cause instanceof java.io.IOException, String.valueOf(cause));
            Thread.sleep(200);
            String dump = a.tcpDump();
            assertTrue(dump.contains("resets_received=1"), dump);
            l.close();
        } finally {
            b.close();
            a.close();
        }
        assertEquals(0, a.mbufsInUseAtClose());
        assertEquals(0, b.mbufsInUseAtClose());
    }
}
