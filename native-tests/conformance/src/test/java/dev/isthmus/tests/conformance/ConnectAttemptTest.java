package dev.isthmus.tests.conformance;

import dev.isthmus.stack.ConnectOptions;
import dev.isthmus.stack.Connection;
import dev.isthmus.stack.Listener;
import dev.isthmus.stack.NetworkStack;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static dev.isthmus.tests.conformance.Fixtures.WAIT;
import static dev.isthmus.tests.conformance.Fixtures.get;
import static dev.isthmus.tests.conformance.Fixtures.onWorker;
import static org.junit.jupiter.api.Assertions.*;

/**
 * What every stack's connect attempt shares: with portPerWorker, the local port lands on the worker that
 * makes the connection ({@code port % workers == worker.index()}), whether the worker is named, picked
 * round-robin or the caller is a worker; and a connect that times out fails with the same message
 * everywhere.
 */
@Timeout(120)
class ConnectAttemptTest {
    private static final int WORKERS = 3;

    static List<StackUnderTest> stacks() {
        return StackUnderTest.all();
    }

    private static int localPort(Connection c) {
        return ((InetSocketAddress) c.localAddress()).getPort();
    }

    @ParameterizedTest(name = "[{0}] portPerWorker: the local port of a connect lands on its worker")
    @MethodSource("stacks")
    void localPortLandsOnTheWorker(StackUnderTest sut) throws Exception {
        try (NetworkStack stack = sut.open(WORKERS)) {
            try (Listener l = Fixtures.listen(stack, sut.ipv4(), Recorder::sink)) {
                ConnectOptions o = ConnectOptions.defaults().withTimeout(WAIT).withPortPerWorker(true);
                for (int round = 0; round < 2; round++) {
                    for (int w = 0; w < WORKERS; w++) {
                        Connection c = get(stack.connect(l.localAddress(), o.withWorker(w), Recorder.sink()));
                        assertEquals(w, c.worker().index(), "the connection lives on the worker asked for");
                        assertEquals(w, localPort(c) % WORKERS, "local port " + localPort(c) + " of a connect on worker " + w);
                        c.close();
                    }
                    // Round robin: whichever worker it lands on, the port follows.
                    Connection c = get(stack.connect(l.localAddress(), o, Recorder.sink()));
                    assertEquals(c.worker().index(), localPort(c) % WORKERS, "round-robin connect, port " + localPort(c));
                    c.close();
                }
                // Called from a worker thread, for that worker (as a server would call it from a callback).
                for (int w = 0; w < WORKERS; w++) {
                    int self = w;
                    CompletableFuture<Connection> f = onWorker(stack.workers().get(w),
                            () -> stack.connect(l.localAddress(), o.withWorker(self), Recorder.sink()));
                    Connection c = get(f);
                    assertEquals(self, c.worker().index());
                    assertEquals(self, localPort(c) % WORKERS, "connect from worker " + self + ", port " + localPort(c));
                    c.close();
                }
            }
        }
    }

    @ParameterizedTest(name = "[{0}] a connect that times out fails with the common message")
    @MethodSource("stacks")
    void timeoutMessage(StackUnderTest sut) throws Exception {
        try (NetworkStack stack = sut.open(1); Fixtures.Blackhole hole = new Fixtures.Blackhole(sut.peerIpv4())) {
            Duration timeout = Duration.ofMillis(300);
            CompletableFuture<Connection> f = stack.connect(hole.address(),
                    ConnectOptions.defaults().withTimeout(timeout), Recorder.sink());
            ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
            assertInstanceOf(ConnectException.class, e.getCause());
            assertEquals("connect(" + hole.address() + "): timed out after 300 ms", e.getCause().getMessage());
        }
    }
}
