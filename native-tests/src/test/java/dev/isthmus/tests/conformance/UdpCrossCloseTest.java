package dev.isthmus.tests.conformance;

import dev.isthmus.stack.DatagramHandler;
import dev.isthmus.stack.NetworkStack;
import dev.isthmus.stack.UdpChannel;
import dev.isthmus.stack.UdpOptions;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Two workers closing each other's UDP channels at the same moment: neither may wait for the other (each
 * would wait behind the other's wait, forever). Both closes return within a bound, and the ports are then
 * free.
 */
@Timeout(120)
class UdpCrossCloseTest {
    private static final int ROUNDS = 20;
    private static final long BOUND_MS = 5_000;

    static List<StackUnderTest> stacks() {
        return StackUnderTest.all();
    }

    private static final DatagramHandler IGNORE = new DatagramHandler() {
        @Override
        public void onDatagram(UdpChannel ch, InetSocketAddress from, MemorySegment data, boolean truncated) {
        }
    };

    @ParameterizedTest(name = "[{0}] two workers close each other's UDP channels at once without hanging")
    @MethodSource("stacks")
    void crossClose(StackUnderTest sut) throws Exception {
        NetworkStack stack = sut.open(2);
        for (int round = 0; round < ROUNDS; round++) {
            UdpChannel a = stack.openUdp(new InetSocketAddress(sut.ipv4(), 0), UdpOptions.defaults().withWorker(0), IGNORE);
            UdpChannel b = stack.openUdp(new InetSocketAddress(sut.ipv4(), 0), UdpOptions.defaults().withWorker(1), IGNORE);
            assertEquals(0, a.worker().index());
            assertEquals(1, b.worker().index());
            CyclicBarrier together = new CyclicBarrier(2);
            CompletableFuture<Void> closedOnA = closeOn(a, b, together);
            CompletableFuture<Void> closedOnB = closeOn(b, a, together);
            try {
                closedOnA.get(BOUND_MS, TimeUnit.MILLISECONDS);
                closedOnB.get(BOUND_MS, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                // The deadlock this test is about. Its workers wait for each other for good, so the stack
                // cannot be closed either: fail now and leave it (the test JVM exits at the end).
                throw new AssertionError("round " + round + ": two workers closing each other's UDP channels did"
                        + " not return within " + BOUND_MS + " ms (one waits for the other)", e);
            }
            // The hand-over runs at the owner's next turn; then the ports can be bound again.
            reopen(stack, sut, ((InetSocketAddress) a.localAddress()).getPort());
            reopen(stack, sut, ((InetSocketAddress) b.localAddress()).getPort());
        }
        stack.close();
    }

    /** On {@code self}'s worker: wait for the other worker, then close {@code other}. */
    private static CompletableFuture<Void> closeOn(UdpChannel self, UdpChannel other, CyclicBarrier together) {
        CompletableFuture<Void> f = new CompletableFuture<>();
        self.worker().execute(() -> {
            try {
                together.await(BOUND_MS, TimeUnit.MILLISECONDS);
                other.close();
                f.complete(null);
            } catch (Throwable t) {
                f.completeExceptionally(t);
            }
        });
        return f;
    }

    private static void reopen(NetworkStack stack, StackUnderTest sut, int port) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(BOUND_MS);
        while (true) {
            try {
                stack.openUdp(new InetSocketAddress(sut.ipv4(), port), UdpOptions.defaults(), IGNORE).close();
                return;
            } catch (java.net.BindException e) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("port " + port + " still bound " + BOUND_MS + " ms after close", e);
                }
                Thread.sleep(5);
            }
        }
    }
}
