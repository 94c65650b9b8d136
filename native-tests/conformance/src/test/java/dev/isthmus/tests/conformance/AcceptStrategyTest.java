package dev.isthmus.tests.conformance;

import dev.isthmus.stack.AcceptStrategy;
import dev.isthmus.stack.Capability;
import dev.isthmus.stack.ConnectOptions;
import dev.isthmus.stack.Connection;
import dev.isthmus.stack.ListenOptions;
import dev.isthmus.stack.Listener;
import dev.isthmus.stack.NetworkStack;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static dev.isthmus.tests.conformance.Fixtures.WAIT;
import static dev.isthmus.tests.conformance.Fixtures.get;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Each accept strategy with two workers, checking which worker every accepted connection runs on.
 * Clients are plain sockets or a second stack, so that they do not count as live connections on the
 * server's workers (CONNECTION_DISTRIBUTION counts those).
 */
@ExtendWith(LeakCheck.class)
@Timeout(60)
class AcceptStrategyTest {
    private static final int WORKERS = 2;

    static List<StackUnderTest> stacks() {
        return StackUnderTest.all();
    }

    private record Accepted(List<Recorder> handlers) {
        Accepted() {
            this(Collections.synchronizedList(new ArrayList<>()));
        }

        Recorder next() {
            Recorder r = Recorder.sink();
            handlers.add(r);
            return r;
        }

        int worker(int i) throws Exception {
            return get(handlers.get(i).opened).worker().index();
        }

        void awaitCount(int n) throws InterruptedException {
            Fixtures.eventually(n + " accepted", () -> handlers.size() >= n);
        }
    }

    private static Listener listen(NetworkStack stack, StackUnderTest sut, ListenOptions o, Accepted a) throws Exception {
        return stack.listen(new InetSocketAddress(sut.ipv4(), 0), o, a::next);
    }

    /**
     * On dpdk a flow lives on the worker its RSS hash names and accept never moves it: a strategy that
     * picks the worker after the SYN is refused at listen, with a message that says so. Checks that, then
     * skips the rest of the case (it has nothing to run on).
     */
    private static void assumeStrategyApplies(NetworkStack stack, StackUnderTest sut, ListenOptions o) {
        if (!sut.isDpdk()) {
            return;
        }
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                () -> stack.listen(new InetSocketAddress(sut.ipv4(), 0), o, Recorder::sink).close());
        assertTrue(e.getMessage().contains("RSS hash"), "the refusal says why: " + e.getMessage());
        org.junit.jupiter.api.Assumptions.abort(sut.label() + ": accept strategy " + o.acceptStrategy()
                + " cannot apply (a flow lives on the worker its RSS hash names); listen refuses it, as checked: "
                + e.getMessage());
    }

    @ParameterizedTest(name = "[{0}] REUSEPORT: connections spread over both workers")
    @MethodSource("stacks")
    void reuseport(StackUnderTest sut) throws Exception {
        try (NetworkStack stack = sut.open(WORKERS)) {
            if (!sut.isDpdk()) { // dpdk places by the RSS hash of the 4-tuple: what REUSEPORT promises
                StackUnderTest.assumeCapabilities(stack, Capability.REUSEPORT);
            }
            Accepted a = new Accepted();
            int n = 32;
            int[] per = new int[WORKERS];
            List<Socket> peers = new ArrayList<>();
            try (Listener l = listen(stack, sut, ListenOptions.defaults().withAcceptStrategy(AcceptStrategy.REUSEPORT), a)) {
                for (int i = 0; i < n; i++) {
                    Socket s = new Socket();
                    peers.add(s);
                    s.connect(l.localAddress(), (int) WAIT.toMillis());
                }
                a.awaitCount(n);
                for (int i = 0; i < n; i++) {
                    per[a.worker(i)]++;
                    a.handlers.get(i).assertContract();
                }
            } finally {
                for (Socket s : peers) {
                    s.close();
                }
            }
            // The kernel hashes the 4-tuple; 32 distinct source ports all on one of two sockets has
            // probability 2^-31.
            for (int w = 0; w < WORKERS; w++) {
                assertTrue(per[w] > 0, "worker " + w + " got no connection of " + n + ": " + java.util.Arrays.toString(per));
            }
        }
    }

    @ParameterizedTest(name = "[{0}] CONNECTION_DISTRIBUTION: the worker with fewest live connections")
    @MethodSource("stacks")
    void connectionDistribution(StackUnderTest sut) throws Exception {
        try (NetworkStack stack = sut.open(WORKERS)) {
            assumeStrategyApplies(stack, sut, ListenOptions.defaults().withAcceptStrategy(AcceptStrategy.CONNECTION_DISTRIBUTION));
            Accepted a = new Accepted();
            List<Socket> peers = new ArrayList<>();
            try (Listener l = listen(stack, sut, ListenOptions.defaults().withAcceptStrategy(AcceptStrategy.CONNECTION_DISTRIBUTION), a)) {
                // One at a time, each kept open: the counts must stay balanced.
                for (int i = 0; i < 8; i++) {
                    Socket s = new Socket();
                    peers.add(s);
                    s.connect(l.localAddress(), (int) WAIT.toMillis());
                    a.awaitCount(i + 1);
                    get(a.handlers.get(i).opened);
                }
                int[] per = new int[WORKERS];
                for (int i = 0; i < 8; i++) {
                    per[a.worker(i)]++;
                }
                assertArrayEquals(new int[]{4, 4}, per, "8 live connections on 2 workers");
                // Close the three on worker 0 that came last; the next three must all go to worker 0.
                List<Integer> onZero = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    if (a.worker(i) == 0) {
                        onZero.add(i);
                    }
                }
                for (int k = 0; k < 3; k++) {
                    int i = onZero.get(k);
                    peers.get(i).close();
                    assertNull(a.handlers.get(i).awaitClosed(WAIT));
                }
                for (int k = 0; k < 3; k++) {
                    Socket s = new Socket();
                    peers.add(s);
                    s.connect(l.localAddress(), (int) WAIT.toMillis());
                    a.awaitCount(9 + k);
                    assertEquals(0, a.worker(8 + k), "new connection " + k + " after worker 0 lost three");
                }
            } finally {
                for (Socket s : peers) {
                    s.close();
                }
            }
        }
    }

    @ParameterizedTest(name = "[{0}] PORT: worker = remote port % workers; portPerWorker clients keep their worker number")
    @MethodSource("stacks")
    void port(StackUnderTest sut) throws Exception {
        try (NetworkStack server = sut.open(WORKERS); NetworkStack clients = sut.open(WORKERS)) {
            assumeStrategyApplies(server, sut, ListenOptions.defaults().withAcceptStrategy(AcceptStrategy.PORT));
            Accepted a = new Accepted();
            try (Listener l = listen(server, sut, ListenOptions.defaults().withAcceptStrategy(AcceptStrategy.PORT), a)) {
                List<Connection> conns = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    int w = i % WORKERS;
                    Connection c = get(clients.connect(l.localAddress(),
                            ConnectOptions.defaults().withTimeout(WAIT).withWorker(w).withPortPerWorker(true), Recorder.sink()));
                    assertEquals(w, c.worker().index(), "ConnectOptions.worker");
                    int localPort = ((InetSocketAddress) c.localAddress()).getPort();
                    assertEquals(w, localPort % WORKERS, "portPerWorker picked local port " + localPort + " for worker " + w);
                    conns.add(c);
                }
                a.awaitCount(8);
                for (int i = 0; i < 8; i++) {
                    Connection s = get(a.handlers.get(i).opened);
                    int remotePort = ((InetSocketAddress) s.remoteAddress()).getPort();
                    assertEquals(remotePort % WORKERS, s.worker().index(), "server worker for remote port " + remotePort);
                }
                // Plain sockets with kernel-chosen ports follow the same rule.
                for (int i = 0; i < 6; i++) {
                    try (Socket p = new Socket()) {
                        p.connect(l.localAddress(), (int) WAIT.toMillis());
                        a.awaitCount(9 + i);
                        Connection s = get(a.handlers.get(8 + i).opened);
                        assertEquals(p.getLocalPort() % WORKERS, s.worker().index());
                    }
                }
                conns.forEach(Connection::close);
            }
        }
    }

    @ParameterizedTest(name = "[{0}] FIXED: every connection on the fixed worker")
    @MethodSource("stacks")
    void fixed(StackUnderTest sut) throws Exception {
        try (NetworkStack stack = sut.open(WORKERS)) {
            assumeStrategyApplies(stack, sut, ListenOptions.defaults().withFixedWorker(1));
            Accepted a = new Accepted();
            try (Listener l = listen(stack, sut, ListenOptions.defaults().withFixedWorker(1), a)) {
                for (int i = 0; i < 6; i++) {
                    try (Socket p = new Socket()) {
                        p.connect(l.localAddress(), (int) WAIT.toMillis());
                        a.awaitCount(i + 1);
                        assertEquals(1, a.worker(i), "FIXED worker 1");
                    }
                }
            }
        }
    }
}
