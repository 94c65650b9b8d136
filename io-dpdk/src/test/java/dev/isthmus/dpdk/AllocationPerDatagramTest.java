package dev.isthmus.dpdk;

import dev.isthmus.stack.UdpChannel;
import dev.isthmus.stack.UdpOptions;
import dev.isthmus.stack.spi.AbstractNetworkStack;
import dev.isthmus.stack.spi.AbstractWorker;
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
 * UDP ping-pong between two stacks on a ring cable over {@value #FLOWS} client ports in turn, driven entirely on the workers (each handler sends
 * the next datagram), and the worker threads' allocated bytes per round trip (ThreadMXBean). Frames are
 * read and built at their mbuf's address, and the payload view {@code onDatagram} receives comes from the
 * worker's {@link PayloadViews} (one per mbuf and size, made once): nothing is allocated per datagram, so
 * the bound is under one byte per round trip, as for the kernel stacks. The warm-up also fills the views.
 * {@code -Disthmus.alloc.rounds=N} for a longer run.
 */
@Timeout(300)
class AllocationPerDatagramTest {
    /** Client channels used in turn (a power of two). */
    static final int FLOWS = 16;
    @BeforeAll
    static void eal() throws Exception {
        TestEal.start();
    }

    @Test
    void reportsWorkerAllocationPerRoundTrip() throws Exception {
        int warmup = Integer.getInteger("isthmus.alloc.warmup", 50_000);
        int rounds = Integer.getInteger("isthmus.alloc.rounds", 100_000);
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        DpdkStackProvider provider = new DpdkStackProvider();
        DpdkNetworkStack a = (DpdkNetworkStack) provider.open(RingStacksTest.options("alloc", "198.18.5.1", 1));
        DpdkNetworkStack b = (DpdkNetworkStack) provider.open(RingStacksTest.options("alloc", "198.18.5.2", 1));
        try (Arena arena = Arena.ofShared()) {
            MemorySegment payload = arena.allocate(64);
            InetSocketAddress toB = new InetSocketAddress(InetAddress.getByName("198.18.5.2"), 7);
            b.openUdp(new InetSocketAddress(7), UdpOptions.defaults(), (ch, from, data, t) -> {
                try {
                    ch.send(from, data); // echo straight from the mbuf's data
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            AtomicInteger left = new AtomicInteger();
            CountDownLatch[] done = new CountDownLatch[1];
            // FLOWS client channels (source ports) in turn, as the UDP benchmark's flows: the echo side sees
            // a different sender each datagram, so a one-entry sender cache would allocate per datagram.
            UdpChannel[] flows = new UdpChannel[FLOWS];
            int[] next = {0};
            for (int f = 0; f < FLOWS; f++) {
                flows[f] = a.openUdp(new InetSocketAddress(0), UdpOptions.defaults(), (ch, from, data, t) -> {
                    if (left.decrementAndGet() > 0) {
                        try {
                            flows[next[0]++ & (FLOWS - 1)].send(toB, payload);
                        } catch (java.io.IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    } else {
                        done[0].countDown();
                    }
                });
            }
            UdpChannel ca = flows[0];
            long tidA = tid(a);
            long tidB = tid(b);
            run(ca, toB, payload, left, done, warmup);
            long a0 = mx.getThreadAllocatedBytes(tidA);
            long b0 = mx.getThreadAllocatedBytes(tidB);
            long t0 = System.nanoTime();
            run(ca, toB, payload, left, done, rounds);
            long elapsed = System.nanoTime() - t0;
            long da = mx.getThreadAllocatedBytes(tidA) - a0;
            long db = mx.getThreadAllocatedBytes(tidB) - b0;
            System.out.printf("dpdk ring ping-pong, %d round trips of 64 bytes: %.1f us each; worker allocation"
                            + " %.1f bytes/round trip (sender A), %.1f (echo B)%n", rounds, elapsed / 1e3 / rounds,
                    (double) da / rounds, (double) db / rounds);
            System.out.println("A counters: " + a.worker(0).counters());
            System.out.println("B counters: " + b.worker(0).counters());
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

    private static void run(UdpChannel ca, InetSocketAddress toB, MemorySegment payload, AtomicInteger left,
                            CountDownLatch[] done, int n) throws Exception {
        done[0] = new CountDownLatch(1);
        left.set(n);
        AbstractNetworkStack.runAndWait((AbstractWorker) ca.worker(), () -> {
            // the handler goes on with the next flow after this one
            try {
                ca.send(toB, payload);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        assertTrue(done[0].await(120, TimeUnit.SECONDS), "ping-pong stalled with " + left.get() + " to go");
    }
}
