package dev.isthmus.tests.conformance;

import dev.isthmus.stack.ConnectOptions;
import dev.isthmus.stack.Connection;
import dev.isthmus.stack.ConnectionClosedException;
import dev.isthmus.stack.ListenOptions;
import dev.isthmus.stack.Listener;
import dev.isthmus.stack.NetworkStack;
import dev.isthmus.stack.NetworkStacks;
import dev.isthmus.stack.StackOptions;
import dev.isthmus.stack.UdpOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.foreign.MemorySegment;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.util.List;

import static dev.isthmus.tests.conformance.Fixtures.WAIT;
import static dev.isthmus.tests.conformance.Fixtures.get;
import static dev.isthmus.tests.conformance.Fixtures.onWorker;
import static org.junit.jupiter.api.Assertions.*;

/** Bad arguments fail fast with a clear exception, and the stack keeps working afterwards. */
@ExtendWith(LeakCheck.class)
@Timeout(60)
class BadInputTest {

    static List<StackUnderTest> stacks() {
        return StackUnderTest.all();
    }

    private interface Op {
        void run() throws Exception;
    }

    /** An address kind no stack supports. */
    private static final class Strange extends SocketAddress {
        private static final long serialVersionUID = 1L;
    }

    private static void assertIae(String what, Executable e) {
        IllegalArgumentException x = assertThrows(IllegalArgumentException.class, e, what);
        assertNotNull(x.getMessage(), what + ": an exception without a message");
        assertFalse(x.getMessage().isBlank(), what + ": a blank message");
    }

    @ParameterizedTest(name = "[{0}] bad addresses: null, unresolved, port out of range, unknown kind")
    @MethodSource("stacks")
    void badAddresses(StackUnderTest sut) throws Exception {
        try (NetworkStack stack = sut.open(1)) {
            ConnectOptions co = ConnectOptions.defaults().withTimeout(WAIT);
            assertIae("connect(null)", () -> stack.connect(null, co, Recorder.sink()));
            assertIae("connect(unresolved)", () -> stack.connect(InetSocketAddress.createUnresolved("example.invalid", 80), co, Recorder.sink()));
            assertIae("connect to port 0", () -> stack.connect(new InetSocketAddress(sut.ipv4(), 0), co, Recorder.sink()));
            assertIae("connect to an unknown address kind", () -> stack.connect(new Strange(), co, Recorder.sink()));
            assertIae("listen(null)", () -> stack.listen(null, ListenOptions.defaults(), Recorder::sink));
            assertIae("listen(unresolved)", () -> stack.listen(InetSocketAddress.createUnresolved("example.invalid", 0),
                    ListenOptions.defaults(), Recorder::sink));
            assertIae("listen on an unknown address kind", () -> stack.listen(new Strange(), ListenOptions.defaults(), Recorder::sink));
            assertIae("openUdp(unresolved)", () -> stack.openUdp(InetSocketAddress.createUnresolved("example.invalid", 0),
                    UdpOptions.defaults(), (ch, s, d, t) -> { }));
            assertIae("InetSocketAddress port 70000", () -> new InetSocketAddress(sut.ipv4(), 70000));
            assertIae("ConnectOptions worker -2", () -> ConnectOptions.defaults().withWorker(-2));
            assertIae("ListenOptions backlog 0", () -> ListenOptions.defaults().withBacklog(0));
            assertIae("StackOptions bufferSize 1000", () -> StackOptions.defaults().withBufferSize(1000));

            // A worker index beyond the stack's workers: at once or through the future, but clearly.
            try (Listener l = Fixtures.listen(stack, sut.ipv4(), Recorder::echo)) {
                Throwable t;
                try {
                    t = assertThrows(Exception.class, () -> get(stack.connect(l.localAddress(), co.withWorker(5), Recorder.sink())));
                } catch (AssertionError e) {
                    throw new AssertionError("connect on worker 5 of a 1-worker stack did not fail", e);
                }
                assertInstanceOf(IllegalArgumentException.class, t, "connect on worker 5 of 1");
                // Listening twice on the same port without SO_REUSEPORT is a BindException.
                assertThrows(BindException.class, () -> stack.listen(l.localAddress(),
                        ListenOptions.defaults().withReuseAddress(false).withAcceptStrategy(dev.isthmus.stack.AcceptStrategy.FIXED),
                        Recorder::sink), "listen on a port in use");
            }
            ConnectTest.ConnectionRoundTrip.check(stack, sut.ipv4());
        }
    }

    @ParameterizedTest(name = "[{0}] operations on a closed connection throw ConnectionClosedException")
    @MethodSource("stacks")
    void closedConnection(StackUnderTest sut) throws Exception {
        try (NetworkStack stack = sut.open(1)) {
            Recorder server = Recorder.echo();
            try (Listener l = Fixtures.listen(stack, sut.ipv4(), () -> server)) {
                Recorder client = Recorder.sink();
                Connection c = get(stack.connect(l.localAddress(), ConnectOptions.defaults().withTimeout(WAIT), client));
                // Off the worker thread, connection methods are refused.
                assertThrows(IllegalStateException.class, () -> c.writeAndFlush(new byte[1]), "write from a foreign thread");
                c.close();
                assertNull(client.awaitClosed(WAIT));
                assertFalse(c.isOpen());
                List<Op> ops = List.of(
                        () -> c.write(new byte[1]),
                        () -> c.write(MemorySegment.ofArray(new byte[1])),
                        () -> c.write(ByteBuffer.allocate(1)),
                        () -> c.reserve(16),
                        c::flush,
                        c::shutdownOutput,
                        c::shutdownInput,
                        () -> c.setOption(StandardSocketOptions.TCP_NODELAY, true),
                        () -> c.getOption(StandardSocketOptions.TCP_NODELAY));
                for (int i = 0; i < ops.size(); i++) {
                    Op op = ops.get(i);
                    int k = i;
                    Exception e = assertThrows(Exception.class, () -> onWorker(c.worker(), () -> {
                        op.run();
                        return null;
                    }), "operation " + k + " on a closed connection");
                    assertInstanceOf(ConnectionClosedException.class, e, "operation " + k);
                }
                c.close();
                c.abort();
                assertEquals(1, client.closeCalls.get(), "close/abort after close do not call onClose again");
                ConnectTest.ConnectionRoundTrip.check(stack, sut.ipv4());
            }
        }
    }

    @Test
    void unknownStackName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NetworkStacks.open("no-such-stack", StackOptions.defaults()));
        assertTrue(e.getMessage().contains("no-such-stack"), e.getMessage());
        for (StackUnderTest s : StackUnderTest.all()) {
            if (!s.name().equals("none")) {
                assertTrue(e.getMessage().contains(s.name()), "the message lists known stacks: " + e.getMessage());
            }
        }
        assertThrows(NullPointerException.class, () -> NetworkStacks.open(null, StackOptions.defaults()));
    }

    @ParameterizedTest(name = "[{0}] unavailable stack fails with the reason; listed by NetworkStacks.list")
    @MethodSource("stacks")
    void listedByName(StackUnderTest sut) {
        org.junit.jupiter.api.Assumptions.assumeFalse(sut.name().equals("none"), sut.skipReason());
        NetworkStacks.StackInfo info = NetworkStacks.list().stream().filter(i -> i.name().equals(sut.name())).findFirst()
                .orElseThrow(() -> new AssertionError(sut.name() + " missing from NetworkStacks.list()"));
        if (!info.available()) {
            java.io.IOException e = assertThrows(java.io.IOException.class, () -> NetworkStacks.open(sut.name()));
            assertTrue(e.getMessage().contains(info.reason()), e.getMessage());
        }
        sut.assumeAvailable();
        assertTrue(info.available());
    }
}
