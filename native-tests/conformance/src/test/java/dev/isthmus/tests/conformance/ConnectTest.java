package dev.isthmus.tests.conformance;

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

import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static dev.isthmus.tests.conformance.Fixtures.WAIT;
import static dev.isthmus.tests.conformance.Fixtures.get;
import static org.junit.jupiter.api.Assertions.*;

/** listen / accept / connect on each address family, ephemeral ports, refused, timed out and cancelled connects. */
@ExtendWith(LeakCheck.class)
@Timeout(60)
class ConnectTest {

    static List<StackUnderTest> stacks() {
        return StackUnderTest.all();
    }

    /** Connects the stack's own client to its own server on {@code local} and checks a round trip. */
    private static void roundTrip(NetworkStack stack, SocketAddress local) throws Exception {
        Recorder server = Recorder.echo();
        try (Listener l = stack.listen(local, ListenOptions.defaults(), () -> server)) {
            SocketAddress bound = l.localAddress();
            assertEquals(local.getClass(), bound.getClass(), "listener address kind");
            Recorder client = Recorder.keeping();
            Connection c = get(stack.connect(bound, ConnectOptions.defaults().withTimeout(WAIT), client));
            assertTrue(c.isOpen());
            assertEquals(bound, c.remoteAddress(), "client remoteAddress");
            Connection s = get(server.opened);
            assertEquals(c.localAddress(), s.remoteAddress(), "server sees the client's local address");
            byte[] hello = "hello, isthmus".getBytes(StandardCharsets.US_ASCII);
            Fixtures.onWorker(c, x -> x.writeAndFlush(hello));
            client.awaitReceived(hello.length, WAIT);
            assertArrayEquals(hello, client.bytes());
            c.close();
            assertNull(client.awaitClosed(WAIT), "orderly close has no cause");
            assertNull(server.awaitClosed(WAIT), "server side: orderly close has no cause");
            assertFalse(c.isOpen());
            client.assertContract();
            server.assertContract();
        }
    }

    @ParameterizedTest(name = "[{0}] listen, accept, connect on IPv4")
    @MethodSource("stacks")
    void ipv4(StackUnderTest sut) throws Exception {
        try (NetworkStack stack = sut.open(2)) {
            StackUnderTest.assumeCapabilities(stack, Capability.IPV4);
            roundTrip(stack, new InetSocketAddress(sut.ipv4(), 0));
        }
    }

    @ParameterizedTest(name = "[{0}] listen, accept, connect on IPv6")
    @MethodSource("stacks")
    void ipv6(StackUnderTest sut) throws Exception {
        try (NetworkStack stack = sut.open(2)) {
            roundTrip(stack, new InetSocketAddress(sut.ipv6(stack), 0));
        }
    }

    @ParameterizedTest(name = "[{0}] listen, accept, connect on a Unix socket")
    @MethodSource("stacks")
    void unix(StackUnderTest sut) throws Exception {
        try (NetworkStack stack = sut.open(2)) {
            StackUnderTest.assumeCapabilities(stack, Capability.UNIX_SOCKETS);
            Path dir = Files.createTempDirectory("isthmus-conf");
            Path sock = dir.resolve("s.sock");
            try {
                roundTrip(stack, UnixDomainSocketAddress.of(sock));
            } finally {
                Files.deleteIfExists(sock);
                Files.delete(dir);
            }
        }
    }

    @ParameterizedTest(name = "[{0}] port 0 picks an ephemeral port that a plain Socket reaches")
    @MethodSource("stacks")
    void ephemeralPort(StackUnderTest sut) throws Exception {
        try (NetworkStack stack = sut.open(2)) {
            Recorder server = Recorder.echo();
            try (Listener l = Fixtures.listen(stack, sut.ipv4(), () -> server)) {
                InetSocketAddress a = (InetSocketAddress) l.localAddress();
                assertNotEquals(0, a.getPort(), "Listener.localAddress must hold the real port");
                assertEquals(sut.ipv4(), a.getAddress());
                try (Socket peer = new Socket()) {
                    peer.connect(a, (int) WAIT.toMillis());
                    peer.setSoTimeout((int) WAIT.toMillis());
                    OutputStream out = peer.getOutputStream();
                    out.write(42);
                    assertEquals(42, peer.getInputStream().read());
                }
                assertNull(server.awaitClosed(WAIT));
            }
        }
    }

    @ParameterizedTest(name = "[{0}] connect from a chosen local address")
    @MethodSource("stacks")
    void localAddress(StackUnderTest sut) throws Exception {
        // 127.0.0.2 is ours too (lo holds 127.0.0.0/8), so the server seeing it proves the bind happened.
        org.junit.jupiter.api.Assumptions.assumeTrue(sut.ipv4().isLoopbackAddress(), () -> sut.label()
                + ": needs a second local address of the stack (127.0.0.2 on lo); this stack has one, " + sut.ipv4().getHostAddress());
        InetAddress local = InetAddress.getByAddress(new byte[]{127, 0, 0, 2});
        try (NetworkStack stack = sut.open(1)) {
            Recorder server = Recorder.echo();
            try (Listener l = stack.listen(new InetSocketAddress(sut.ipv4(), 0), ListenOptions.defaults(), () -> server)) {
                Connection c = get(stack.connect(l.localAddress(), ConnectOptions.defaults().withTimeout(WAIT)
                        .withLocalAddress(new InetSocketAddress(local, 0)), Recorder.sink()));
                InetSocketAddress mine = (InetSocketAddress) c.localAddress();
                assertEquals(local, mine.getAddress(), "client localAddress");
                assertNotEquals(0, mine.getPort(), "port 0 in the local address picks an ephemeral port");
                InetSocketAddress seen = (InetSocketAddress) get(server.opened).remoteAddress();
                assertEquals(mine, seen, "the server sees the chosen local address");
                c.close();
                assertNull(server.awaitClosed(WAIT));
            }
        }
    }

    @ParameterizedTest(name = "[{0}] connect refused fails with ConnectException")
    @MethodSource("stacks")
    void refused(StackUnderTest sut) throws Exception {
        try (NetworkStack stack = sut.open(1); Socket bound = new Socket()) {
            // A bound TCP socket that does not listen answers SYNs with RST: ECONNREFUSED, and nobody
            // else can take the port meanwhile.
            bound.bind(new InetSocketAddress(sut.peerIpv4(), 0));
            long fds = Fixtures.socketFds();
            Recorder h = Recorder.sink();
            CompletableFuture<Connection> f = stack.connect(bound.getLocalSocketAddress(),
                    ConnectOptions.defaults().withTimeout(WAIT), h);
            ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
            assertInstanceOf(ConnectException.class, e.getCause(), "cause of a refused connect");
            assertFalse(h.opened.isDone(), "onOpen must not run for a refused connect");
            Fixtures.awaitFdsBackTo(fds, Fixtures::socketFds, "after a refused connect");
            // The stack stays usable.
            ConnectionRoundTrip.check(stack, sut.ipv4());
        }
    }

    @ParameterizedTest(name = "[{0}] connect timeout fails with ConnectException")
    @MethodSource("stacks")
    void timeout(StackUnderTest sut) throws Exception {
        try (NetworkStack stack = sut.open(1); Fixtures.Blackhole hole = new Fixtures.Blackhole(sut.peerIpv4())) {
            long fds = Fixtures.socketFds();
            Recorder h = Recorder.sink();
            long t0 = System.nanoTime();
            CompletableFuture<Connection> f = stack.connect(hole.address(),
                    ConnectOptions.defaults().withTimeout(Duration.ofMillis(300)), h);
            ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
            long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertInstanceOf(ConnectException.class, e.getCause(), "cause of a timed-out connect");
            assertTrue(took >= 290, "connect failed after " + took + " ms, before its 300 ms timeout: " + e.getCause());
            assertFalse(h.opened.isDone());
            Fixtures.awaitFdsBackTo(fds, Fixtures::socketFds, "after a timed-out connect");
            ConnectionRoundTrip.check(stack, sut.ipv4());
        }
    }

    @ParameterizedTest(name = "[{0}] connect cancelled releases its socket")
    @MethodSource("stacks")
    void cancelled(StackUnderTest sut) throws Exception {
        try (NetworkStack stack = sut.open(1); Fixtures.Blackhole hole = new Fixtures.Blackhole(sut.peerIpv4())) {
            long fds = Fixtures.socketFds();
            Recorder h = Recorder.sink();
            CompletableFuture<Connection> f = stack.connect(hole.address(),
                    ConnectOptions.defaults().withTimeout(Duration.ofSeconds(60)), h);
            if (!sut.isDpdk()) { // a userspace connection has no fd: its SYN is sent by the time connect returns
                Fixtures.eventually("the connecting socket exists", () -> Fixtures.socketFds() > fds);
            }
            assertTrue(f.cancel(true), "cancel of a pending connect");
            assertThrows(CancellationException.class, f::join);
            Fixtures.awaitFdsBackTo(fds, Fixtures::socketFds, "after a cancelled connect");
            assertFalse(h.opened.isDone(), "onOpen must not run for a cancelled connect");
            ConnectionRoundTrip.check(stack, sut.ipv4());
        }
    }

    /** A quick echo on a fresh listener: proves a stack still works after an error. */
    static final class ConnectionRoundTrip {
        private ConnectionRoundTrip() {
        }

        static void check(NetworkStack stack, InetAddress addr) throws Exception {
            try (Listener l = Fixtures.listen(stack, addr, Recorder::echo); Socket peer = new Socket()) {
                peer.connect(l.localAddress(), (int) WAIT.toMillis());
                peer.setSoTimeout((int) WAIT.toMillis());
                peer.getOutputStream().write(new byte[]{1, 2, 3});
                InputStream in = peer.getInputStream();
                assertArrayEquals(new byte[]{1, 2, 3}, in.readNBytes(3), "echo after an error");
            }
        }
    }
}
