package dev.isthmus.dpdk;

import dev.isthmus.stack.UdpChannel;
import dev.isthmus.stack.UdpOptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * DpdkUdpChannel on AbstractUdpChannel: two workers close each other's channel at the same moment without
 * waiting for each other; a close from outside the stack returns with the port free again; a send after
 * close fails.
 */
@Timeout(60)
class UdpCloseTest {
    @BeforeAll
    static void eal() throws Exception {
        TestEal.start();
    }

    @Test
    void workersCloseEachOthersChannelsAndPortsComeBack() throws Exception {
        DpdkNetworkStack s = (DpdkNetworkStack) new DpdkStackProvider().open(RingStacksTest.options("close", "198.18.6.1", 2));
        try {
            for (int round = 0; round < 20; round++) {
                UdpChannel on0 = s.openUdp(new InetSocketAddress(5000), UdpOptions.defaults().withWorker(0), (c, f, d, t) -> { });
                UdpChannel on1 = s.openUdp(new InetSocketAddress(5001), UdpOptions.defaults().withWorker(1), (c, f, d, t) -> { });
                CountDownLatch both = new CountDownLatch(2);
                CountDownLatch go = new CountDownLatch(1);
                s.worker(0).execute(() -> {
                    await(go);
                    on1.close();
                    both.countDown();
                });
                s.worker(1).execute(() -> {
                    await(go);
                    on0.close();
                    both.countDown();
                });
                go.countDown();
                assertTrue(both.await(10, TimeUnit.SECONDS), "a worker waited for the other in round " + round);
                // The handed-over closes have run once each worker has run one more task.
                CompletableFuture<Void> f0 = new CompletableFuture<>();
                CompletableFuture<Void> f1 = new CompletableFuture<>();
                s.worker(0).execute(() -> f0.complete(null));
                s.worker(1).execute(() -> f1.complete(null));
                f0.get(10, TimeUnit.SECONDS);
                f1.get(10, TimeUnit.SECONDS);
            }
            UdpChannel c = s.openUdp(new InetSocketAddress(5000), UdpOptions.defaults().withWorker(1), (ch, f, d, t) -> { });
            c.close(); // from this thread: waits, so the port is free when it returns
            UdpChannel again = s.openUdp(new InetSocketAddress(5000), UdpOptions.defaults().withWorker(0), (ch, f, d, t) -> { });
            assertEquals(5000, ((InetSocketAddress) again.localAddress()).getPort());
            CompletableFuture<Throwable> sent = new CompletableFuture<>();
            s.worker(1).execute(() -> {
                try {
                    c.send(new InetSocketAddress("198.18.6.2", 9), java.lang.foreign.MemorySegment.ofArray(new byte[1]));
                    sent.complete(null);
                } catch (Throwable t) {
                    sent.complete(t);
                }
            });
            assertTrue(sent.get(10, TimeUnit.SECONDS) instanceof ClosedChannelException, String.valueOf(sent.get()));
            assertThrows(IllegalStateException.class, () -> c.send(new InetSocketAddress("198.18.6.2", 9),
                    java.lang.foreign.MemorySegment.ofArray(new byte[1])), "send off the worker thread");
        } finally {
            s.close();
        }
        assertEquals(0, s.mbufsInUseAtClose());
    }

    private static void await(CountDownLatch l) {
        try {
            l.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
