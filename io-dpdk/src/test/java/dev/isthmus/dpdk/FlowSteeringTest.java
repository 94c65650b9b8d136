package dev.isthmus.dpdk;

import dev.isthmus.dpdk.net.Wire;
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
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two stacks of two workers each on a ring cable. A ring cable keeps queue numbers (what A's worker q
 * sends arrives on B's queue q), not RSS, so B must steer: the ports are chosen so that each flow arrives
 * on one worker of B, is owned (by its RSS hash) by the other, and is for a channel of the first again:
 * every datagram is handed over twice, as the mbuf itself. Both flows ping-pong on the workers; B's
 * handlers run on their channel's worker, B's counters show exactly two hand-overs per datagram and none
 * dropped, and B's workers allocate nothing per datagram.
 */
@Timeout(120)
class FlowSteeringTest {
    static final String IP_A = "198.18.8.1";
    static final String IP_B = "198.18.8.2";

    @BeforeAll
    static void eal() throws Exception {
        TestEal.start();
    }

    @Test
    void flowsAreHandedToTheirOwnerAndChannelAsMbufsWithoutAllocating() throws Exception {
        int warmup = 20_000;
        int rounds = 20_000;
        DpdkStackProvider provider = new DpdkStackProvider();
        DpdkNetworkStack a = (DpdkNetworkStack) provider.open(RingStacksTest.options("steer", IP_A, 2));
        DpdkNetworkStack b = (DpdkNetworkStack) provider.open(RingStacksTest.options("steer", IP_B, 2));
        try (Arena arena = Arena.ofShared()) {
            int ipA = Wire.ip(InetAddress.getByName(IP_A).getAddress());
            int ipB = Wire.ip(InetAddress.getByName(IP_B).getAddress());
            // Flow q: from A's worker q (arrives on B's queue q) to B's channel on worker q, owned by the other.
            int[] ports = new int[2];
            for (int q = 0; q < 2; q++) {
                int p = 40000;
                while (b.rss().workerV4(ipA, ipB, p, 7000 + q) != 1 - q) {
                    p++;
                }
                ports[q] = p;
            }
            AtomicInteger wrongThread = new AtomicInteger();
            AtomicLong echoed = new AtomicLong();
            for (int q = 0; q < 2; q++) {
                b.openUdp(new InetSocketAddress(7000 + q), UdpOptions.defaults().withWorker(q), (ch, from, data, t) -> {
                    if (!((AbstractWorker) ch.worker()).inWorkerThread()) {
                        wrongThread.incrementAndGet();
                    }
                    echoed.incrementAndGet();
                    try {
                        ch.send(from, data);
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
            }
            MemorySegment payload = arena.allocate(64);
            UdpChannel[] senders = new UdpChannel[2];
            InetSocketAddress[] targets = new InetSocketAddress[2];
            AtomicInteger[] left = {new AtomicInteger(), new AtomicInteger()};
            CountDownLatch[] done = new CountDownLatch[1];
            for (int q = 0; q < 2; q++) {
                int flow = q;
                targets[q] = new InetSocketAddress(InetAddress.getByName(IP_B), 7000 + q);
                senders[q] = a.openUdp(new InetSocketAddress(ports[q]), UdpOptions.defaults().withWorker(q),
                        (ch, from, data, t) -> {
                            if (!((AbstractWorker) ch.worker()).inWorkerThread()) {
                                wrongThread.incrementAndGet();
                            }
                            if (left[flow].decrementAndGet() > 0) {
                                try {
                                    ch.send(targets[flow], payload);
                                } catch (java.io.IOException e) {
                                    throw new java.io.UncheckedIOException(e);
                                }
                            } else {
                                done[0].countDown();
                            }
                        });
            }
            com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            long[] tids = {tid(b, 0), tid(b, 1)};
            run(senders, targets, payload, left, done, warmup);
            long before = mx.getThreadAllocatedBytes(tids[0]) + mx.getThreadAllocatedBytes(tids[1]);
            run(senders, targets, payload, left, done, rounds);
            long allocated = mx.getThreadAllocatedBytes(tids[0]) + mx.getThreadAllocatedBytes(tids[1]) - before;
            long handedOut = 0;
            long handedIn = 0;
            long full = 0;
            for (int w = 0; w < 2; w++) {
                var c = b.worker(w).counters();
                System.out.println("B worker " + w + ": handedOut " + c.get("handedOut") + ", handedIn "
                        + c.get("handedIn") + ", rxFrames " + c.get("rxFrames") + ", payloadViewsMade "
                        + c.get("payloadViewsMade"));
                handedOut += c.get("handedOut");
                handedIn += c.get("handedIn");
                full += c.get("handoffRingFull");
            }
            double perDatagram = (double) allocated / (2.0 * rounds);
            System.out.printf("steered ping-pong: B's workers allocated %.2f bytes per datagram%n", perDatagram);
            assertEquals(0, wrongThread.get(), "handlers ran off their channel's worker");
            assertEquals(0, full, "hand-over rings overflowed");
            assertEquals(2 * echoed.get(), handedOut, "two hand-overs per datagram at B");
            assertEquals(handedOut, handedIn);
            assertTrue(perDatagram < 1, "B's workers allocated " + allocated + " bytes for " + 2 * rounds + " datagrams");
        } finally {
            a.close();
            b.close();
        }
        assertEquals(0, a.mbufsInUseAtClose());
        assertEquals(0, b.mbufsInUseAtClose());
    }

    private static long tid(DpdkNetworkStack s, int w) throws java.io.IOException {
        return AbstractNetworkStack.callAndWait(s.dpdkWorker(w), () -> Thread.currentThread().threadId());
    }

    private static void run(UdpChannel[] senders, InetSocketAddress[] targets, MemorySegment payload,
                            AtomicInteger[] left, CountDownLatch[] done, int n) throws Exception {
        done[0] = new CountDownLatch(2);
        for (int q = 0; q < 2; q++) {
            left[q].set(n);
            UdpChannel ch = senders[q];
            InetSocketAddress to = targets[q];
            // The first send of each flow; ARP resolves on the way (the first datagram waits for it).
            AbstractNetworkStack.runAndWait((AbstractWorker) ch.worker(), () -> {
                try {
                    ch.send(to, payload);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
        }
        assertTrue(done[0].await(60, TimeUnit.SECONDS), "ping-pong stalled: " + left[0] + ", " + left[1] + " to go");
    }
}
