package dev.isthmus.tests.conformance;

import dev.isthmus.stack.ConnectOptions;
import dev.isthmus.stack.Connection;
import dev.isthmus.stack.ListenOptions;
import dev.isthmus.stack.Listener;
import dev.isthmus.stack.NetworkStack;
import jdk.net.ExtendedSocketOptions;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static dev.isthmus.tests.conformance.Fixtures.WAIT;
import static dev.isthmus.tests.conformance.Fixtures.get;
import static dev.isthmus.tests.conformance.Fixtures.onWorker;
import static org.junit.jupiter.api.Assertions.*;

/** Socket options set and read back on both ends; unsupported options and wrong value types. */
@ExtendWith(LeakCheck.class)
@Timeout(60)
class SocketOptionsTest {

    static List<StackUnderTest> stacks() {
        return StackUnderTest.all();
    }

    /** An option no stack knows. */
    private record MadeUp(String name, Class<Integer> type) implements SocketOption<Integer> {
    }

    private static <T> T roundTrip(Connection c, SocketOption<T> o, T v) throws Exception {
        return onWorker(c.worker(), () -> {
            c.setOption(o, v);
            return c.getOption(o);
        });
    }

    /**
     * Sets {@code option} (SO_RCVBUF or SO_SNDBUF) to each of {@code sizes} and checks the read-back: at
     * least what was asked (capped at net.core.{@code max}), at most 4 times it (Linux doubles the value
     * for bookkeeping, socket(7)), and not what a new socket reads back. A stack that ignores the option
     * reads back the default (or what autotuning made of it); a single size whose read-back range holds
     * the default (64 KiB for SO_RCVBUF: 128 KiB) could not tell the two apart.
     */
    private static void assertBufferSizeApplied(Connection c, SocketOption<Integer> option, String max, int... sizes)
            throws Exception {
        int fresh;
        try (Socket s = new Socket()) {
            fresh = option == StandardSocketOptions.SO_RCVBUF ? s.getReceiveBufferSize() : s.getSendBufferSize();
        }
        long cap = Long.parseLong(Files.readAllLines(Path.of("/proc/sys/net/core", max)).getFirst().trim());
        for (int asked : sizes) {
            int got = roundTrip(c, option, asked);
            String what = option.name() + " set to " + asked + " read back " + got + " (a new socket has " + fresh
                    + ", net.core." + max + " " + cap + ")";
            assertTrue(got >= Math.min(asked, cap) && got <= 4L * asked, what);
            assertNotEquals(fresh, got, what + ": the option was not applied");
        }
    }

    @ParameterizedTest(name = "[{0}] socket options read back (TCP_NODELAY, keepalive, buffers, linger)")
    @MethodSource("stacks")
    void readBack(StackUnderTest sut) throws Exception {
        try (NetworkStack stack = sut.open(2)) {
            Recorder server = Recorder.sink();
            ListenOptions lo = ListenOptions.defaults().withSocketOption(StandardSocketOptions.TCP_NODELAY, true);
            try (Listener l = stack.listen(new InetSocketAddress(sut.ipv4(), 0), lo, () -> server)) {
                Connection c = get(stack.connect(l.localAddress(),
                        ConnectOptions.defaults().withTimeout(WAIT).withSocketOption(StandardSocketOptions.SO_KEEPALIVE, true),
                        Recorder.sink()));
                Connection s = get(server.opened);
                assertEquals(true, onWorker(s.worker(), () -> s.getOption(StandardSocketOptions.TCP_NODELAY)),
                        "ListenOptions.socketOptions applied to the accepted connection");
                assertEquals(true, onWorker(c.worker(), () -> c.getOption(StandardSocketOptions.SO_KEEPALIVE)),
                        "ConnectOptions.socketOptions applied before connect");
                for (Connection x : List.of(c, s)) {
                    assertEquals(true, roundTrip(x, StandardSocketOptions.TCP_NODELAY, true));
                    assertEquals(false, roundTrip(x, StandardSocketOptions.TCP_NODELAY, false));
                    assertEquals(true, roundTrip(x, StandardSocketOptions.SO_KEEPALIVE, true));
                    assertEquals(false, roundTrip(x, StandardSocketOptions.SO_KEEPALIVE, false));
                    assertEquals(30, roundTrip(x, ExtendedSocketOptions.TCP_KEEPIDLE, 30));
                    assertEquals(5, roundTrip(x, ExtendedSocketOptions.TCP_KEEPINTERVAL, 5));
                    assertEquals(3, roundTrip(x, ExtendedSocketOptions.TCP_KEEPCOUNT, 3));
                    // Below and above the 128 KiB a new socket reads back (tcp_rmem[1], tcp(7)).
                    assertBufferSizeApplied(x, StandardSocketOptions.SO_RCVBUF, "rmem_max", 16 * 1024, 192 * 1024);
                    assertBufferSizeApplied(x, StandardSocketOptions.SO_SNDBUF, "wmem_max", 24 * 1024, 64 * 1024);
                    assertEquals(7, roundTrip(x, StandardSocketOptions.SO_LINGER, 7));
                    assertEquals(-1, roundTrip(x, StandardSocketOptions.SO_LINGER, -1), "-1 switches linger off");
                }
                c.close();
                assertNull(server.awaitClosed(WAIT));
            }
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    @ParameterizedTest(name = "[{0}] unsupported option and wrong value type fail clearly")
    @MethodSource("stacks")
    void badOptions(StackUnderTest sut) throws Exception {
        try (NetworkStack stack = sut.open(1)) {
            Recorder server = Recorder.echo();
            try (Listener l = Fixtures.listen(stack, sut.ipv4(), () -> server)) {
                Recorder client = Recorder.keeping();
                Connection c = get(stack.connect(l.localAddress(), ConnectOptions.defaults().withTimeout(WAIT), client));
                MadeUp madeUp = new MadeUp("X_MADE_UP", Integer.class);
                Exception e = assertThrows(Exception.class, () -> roundTrip(c, madeUp, 1));
                assertInstanceOf(UnsupportedOperationException.class, e, "setOption of an unknown option");
                e = assertThrows(Exception.class, () -> onWorker(c.worker(), () -> c.getOption(madeUp)));
                assertInstanceOf(UnsupportedOperationException.class, e, "getOption of an unknown option");

                SocketOption raw = StandardSocketOptions.TCP_NODELAY;
                e = assertThrows(Exception.class, () -> onWorker(c.worker(), () -> c.setOption(raw, "yes")));
                assertInstanceOf(IllegalArgumentException.class, e, "a String for a Boolean option");
                assertTrue(e.getMessage().contains("TCP_NODELAY"), "the message names the option: " + e.getMessage());
                SocketOption rawInt = StandardSocketOptions.SO_RCVBUF;
                e = assertThrows(Exception.class, () -> onWorker(c.worker(), () -> c.setOption(rawInt, null)));
                assertInstanceOf(IllegalArgumentException.class, e, "a null value");
                assertThrows(IllegalArgumentException.class,
                        () -> ConnectOptions.defaults().withSocketOption(raw, 1), "ConnectOptions checks types too");

                // The connection and the stack still work.
                assertTrue(c.isOpen());
                onWorker(c, x -> x.writeAndFlush(new byte[]{9}));
                client.awaitReceived(1, WAIT);
                c.close();
                assertNull(client.awaitClosed(WAIT));
            }
        }
    }
}
