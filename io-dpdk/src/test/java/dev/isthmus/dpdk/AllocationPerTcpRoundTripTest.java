package dev.isthmus.dpdk;

import dev.isthmus.stack.ConnectOptions;
import dev.isthmus.stack.Connection;
import dev.isthmus.stack.ConnectionHandler;
import dev.isthmus.stack.Inbound;
import dev.isthmus.stack.ListenOptions;
import dev.isthmus.stack.examples.EchoServer;
import dev.isthmus.stack.spi.AbstractNetworkStack;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * TCP ping-pong of 64 bytes between two stacks on a ring cable, one connection, driven on the workers
 * (the client's onData sends the next message), and the worker threads' allocated bytes per round trip
 * (ThreadMXBean), as {@link AllocationPerDatagramTest} does for UDP: segments parsed by a flyweight,
 * built in place in mbufs, received bytes copied into pool buffers whose chunk objects are made once.
 * {@code -Disthmus.alloc.rounds=N}.
 */
@Timeout(300)
class AllocationPerTcpRoundTripTest {
    @BeforeAll
    static void eal() throws Exception {
        TestEal.start();
    }

    static final class PingClient implements ConnectionHandler {
        final MemorySegment message;
        final AtomicInteger left = new AtomicInteger();
        volatile CountDownLatch done;

        PingClient(MemorySegment message) {
            this.message = message;
        }

        @Override
        public void onData(Connection c, Inbound in) {
            while (in.readableBytes() >= message.byteSize()) {
                in.skip(message.byteSize());
                if (left.decrementAndGet() > 0) {
                    c.write(message);
                    c.flush();
                } else {
                    done.countDown();
                }
            }
        }
    }

    @Test
    void reportsWorkerAllocationPerRoundTrip() throws Exception {
        int warmup = Integer.getInteger("isthmus.alloc.warmup", 50_000);
        int rounds = Integer.getInteger("isthmus.alloc.rounds", 100_000);
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        DpdkStackProvider provider = new DpdkStackProvider();
        DpdkNetworkStack a = (DpdkNetworkStack) provider.open(RingStacksTest.options("talloc", "198.18.6.1", 1));
        DpdkNetworkStack b = (DpdkNetworkStack) provider.open(RingStacksTest.options("talloc", "198.18.6.2", 1));
        try (Arena arena = Arena.ofShared()) {
            MemorySegment message = arena.allocate(64);
            b.listen(new InetSocketAddress(7), ListenOptions.defaults(), EchoServer::new);
            PingClient client = new PingClient(message);
            Connection c = a.connect(new InetSocketAddress(InetAddress.getByName("198.18.6.2"), 7),
                    ConnectOptions.defaults().withSocketOption(java.net.StandardSocketOptions.TCP_NODELAY, true),
                    client).get(10, TimeUnit.SECONDS);
            long tidA = tid(a);
            long tidB = tid(b);
            run(c, client, warmup);
            long a0 = mx.getThreadAllocatedBytes(tidA);
            long b0 = mx.getThreadAllocatedBytes(tidB);
            long t0 = System.nanoTime();
            run(c, client, rounds);
            long elapsed = System.nanoTime() - t0;
            long da = mx.getThreadAllocatedBytes(tidA) - a0;
            long db = mx.getThreadAllocatedBytes(tidB) - b0;
            System.out.printf("dpdk ring TCP ping-pong, %d round trips of 64 bytes: %.1f us each; worker allocation"
                            + " %.1f bytes/round trip (client A), %.1f (echo B)%n", rounds, elapsed / 1e3 / rounds,
                    (double) da / rounds, (double) db / rounds);
            System.out.println(a.tcpDump());
            // Nothing per round trip: each mbuf has one chunk object for life (it once churned: 25-31 B per
            // round trip) and a chunk hands out the same view at the same bounds (EchoServer's firstChunk()).
            assertTrue((double) da / rounds < 1 && (double) db / rounds < 1,
                    "workers allocated " + da + " and " + db + " bytes for " + rounds + " round trips");
        } finally {
            a.close();
            b.close();
        }
    }

    private static long tid(DpdkNetworkStack s) throws java.io.IOException {
        return AbstractNetworkStack.callAndWait(s.dpdkWorker(0), () -> Thread.currentThread().threadId());
    }

    private static void run(Connection c, PingClient client, int n) throws Exception {
        client.done = new CountDownLatch(1);
        client.left.set(n);
        c.worker().execute(() -> {
            c.write(client.message);
            c.flush();
        });
        assertTrue(client.done.await(120, TimeUnit.SECONDS), "ping-pong stalled with " + client.left.get() + " to go");
    }
}
