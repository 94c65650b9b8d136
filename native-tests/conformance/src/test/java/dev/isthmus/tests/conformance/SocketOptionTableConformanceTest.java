package dev.isthmus.tests.conformance;

import dev.isthmus.linux.socket.SocketOptionTable;
import dev.isthmus.stack.ConnectOptions;
import dev.isthmus.stack.Connection;
import dev.isthmus.stack.IsthmusSocketOptions;
import dev.isthmus.stack.ListenOptions;
import dev.isthmus.stack.Listener;
import dev.isthmus.stack.NetworkStack;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import static dev.isthmus.tests.conformance.Fixtures.WAIT;
import static dev.isthmus.tests.conformance.Fixtures.get;
import static dev.isthmus.tests.conformance.Fixtures.onWorker;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Every option of the kernel stacks' table ({@link SocketOptionTable}) and every option the JDK names
 * (StandardSocketOptions, jdk.net.ExtendedSocketOptions), on every stack: where the table lists the stack,
 * listen and connect take the option and the connection reads back what the kernel keeps (a read-only one
 * is refused with the same message everywhere, and reads); everywhere else listen, connect and getOption
 * refuse it, when the listener or connection is made, with the same message on every stack.
 */
@Timeout(120)
class SocketOptionTableConformanceTest {

    static List<StackUnderTest> stacks() {
        return StackUnderTest.all();
    }

    /** A value to set and what a read-back of it may be. */
    private record Probe(Object value, Predicate<Object> readBack, String expected) {
        static Probe exactly(Object v) {
            return new Probe(v, v::equals, String.valueOf(v));
        }
    }

    /** Linux doubles buffer sizes for bookkeeping (socket(7)): at least what was asked, at most four times it. */
    private static Probe buffer(int n) {
        return new Probe(n, v -> (Integer) v >= n && (Integer) v <= 4 * n, n + ".." + 4 * n);
    }

    /** The value each table option is set to, and its read-back on a connecting TCP socket over IPv4. */
    private static final Map<SocketOption<?>, Probe> PROBES = Map.ofEntries(
            Map.entry(StandardSocketOptions.TCP_NODELAY, Probe.exactly(true)),
            Map.entry(StandardSocketOptions.SO_KEEPALIVE, Probe.exactly(true)),
            Map.entry(StandardSocketOptions.SO_SNDBUF, buffer(65536)),
            Map.entry(StandardSocketOptions.SO_RCVBUF, buffer(65536)),
            Map.entry(StandardSocketOptions.SO_REUSEADDR, Probe.exactly(true)),
            Map.entry(StandardSocketOptions.SO_REUSEPORT, Probe.exactly(true)),
            Map.entry(StandardSocketOptions.SO_BROADCAST, Probe.exactly(true)),
            Map.entry(StandardSocketOptions.SO_LINGER, Probe.exactly(7)),
            // IPTOS_LOWDELAY; TCP keeps the ECN bits itself (ip(7)), so a value without them reads back as set.
            Map.entry(StandardSocketOptions.IP_TOS, Probe.exactly(0x10)),
            Map.entry(ExtendedSocketOptions.TCP_KEEPIDLE, Probe.exactly(30)),
            Map.entry(ExtendedSocketOptions.TCP_KEEPINTERVAL, Probe.exactly(5)),
            Map.entry(ExtendedSocketOptions.TCP_KEEPCOUNT, Probe.exactly(3)),
            // The kernel leaves quick-ack mode on its own (tcp(7): "not permanent"): any boolean reads back.
            Map.entry(ExtendedSocketOptions.TCP_QUICKACK, new Probe(true, v -> v instanceof Boolean, "a Boolean")),
            Map.entry(IsthmusSocketOptions.TCP_USER_TIMEOUT, Probe.exactly(5000)),
            // On a socket that is not listening, the fastopen queue length is kept and read back as set.
            Map.entry(IsthmusSocketOptions.TCP_FASTOPEN, Probe.exactly(5)),
            // 0: raising it above the current value needs CAP_NET_ADMIN (socket(7)).
            Map.entry(IsthmusSocketOptions.SO_BUSY_POLL, Probe.exactly(0)),
            Map.entry(IsthmusSocketOptions.SO_ZEROCOPY, Probe.exactly(true)));

    /** The table's options, then every option the JDK names that the table does not list. */
    static Set<SocketOption<?>> allOptions() throws Exception {
        Set<SocketOption<?>> all = new LinkedHashSet<>();
        for (SocketOptionTable.Row r : SocketOptionTable.rows()) {
            all.add(r.option());
        }
        for (Class<?> c : List.of(StandardSocketOptions.class, ExtendedSocketOptions.class)) {
            for (Field f : c.getFields()) {
                if (Modifier.isStatic(f.getModifiers()) && SocketOption.class.isAssignableFrom(f.getType())) {
                    all.add((SocketOption<?>) f.get(null));
                }
            }
        }
        return all;
    }

    /** A value of the option's type, for an option that must be refused before its value matters. */
    private static Object anyValue(SocketOption<?> o) throws Exception {
        Class<?> t = o.type();
        if (t == Boolean.class) {
            return true;
        } else if (t == Integer.class) {
            return 1;
        } else if (t == NetworkInterface.class) {
            return NetworkInterface.getByName("lo");
        } else if (t == UnixDomainPrincipal.class) {
            PosixFileAttributes a = Files.readAttributes(Path.of("/"), PosixFileAttributes.class);
            return new UnixDomainPrincipal(a.owner(), a.group());
        }
        throw new AssertionError("no test value for option " + o.name() + " of type " + t.getName());
    }

    private static Object value(SocketOption<?> o) throws Exception {
        Probe p = PROBES.get(o);
        return p != null ? p.value() : anyValue(o);
    }

    private static String notSupported(SocketOption<?> o, NetworkStack stack) {
        return "socket option " + o.name() + " is not supported by the " + stack.name() + " stack";
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static ListenOptions listenWith(SocketOption o, Object v) {
        return ListenOptions.defaults().withSocketOption(o, v);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static ConnectOptions connectWith(SocketOption o, Object v) {
        return ConnectOptions.defaults().withTimeout(WAIT).withSocketOption(o, v);
    }

    @Test
    void everyTableOptionHasAProbeAndNamesKnownStacks() {
        Set<String> known = Set.of(SocketOptionTable.EPOLL, SocketOptionTable.IO_URING, SocketOptionTable.NIO,
                SocketOptionTable.DPDK);
        for (SocketOptionTable.Row r : SocketOptionTable.rows()) {
            assertTrue(known.containsAll(r.stacks()), r + " names an unknown stack");
            assertFalse(r.stacks().isEmpty(), r + " is supported by no stack");
            assertTrue(r.readOnly() || PROBES.containsKey(r.option()), "no probe for settable " + r.option().name());
            // The two kernel stacks share the table: an option is on both or on neither.
            assertEquals(r.supportedBy(SocketOptionTable.EPOLL), r.supportedBy(SocketOptionTable.IO_URING), r.toString());
        }
    }

    @ParameterizedTest(name = "[{0}] every option: accepted as the table says, or refused alike at listen and connect")
    @MethodSource("stacks")
    void optionsBehaveAsTheTableSays(StackUnderTest sut) throws Exception {
        try (NetworkStack stack = sut.open(1)) {
            List<String> failures = new ArrayList<>();
            Recorder server = Recorder.sink();
            try (Listener plain = stack.listen(new InetSocketAddress(sut.ipv4(), 0), ListenOptions.defaults(), () -> server)) {
                Connection probe = get(stack.connect(plain.localAddress(), ConnectOptions.defaults().withTimeout(WAIT),
                        Recorder.sink()));
                for (SocketOption<?> o : allOptions()) {
                    SocketOptionTable.Row row = SocketOptionTable.find(o, dev.isthmus.ffi.posix.socket_h.AF_INET);
                    boolean supported = row != null && row.supportedBy(stack.name());
                    try {
                        if (!supported) {
                            checkRefused(stack, plain, probe, o, sut);
                        } else if (row.readOnly()) {
                            checkReadOnly(stack, plain, probe, o, sut);
                        } else {
                            checkAccepted(stack, plain, o, sut);
                        }
                    } catch (AssertionError | Exception e) {
                        failures.add(o.name() + ": " + e);
                    }
                }
                probe.close();
            }
            assertTrue(failures.isEmpty(), "on " + sut.label() + ":\n" + String.join("\n", failures));
        }
    }

    private void checkRefused(NetworkStack stack, Listener plain, Connection probe, SocketOption<?> o,
                              StackUnderTest sut) throws Exception {
        Object v = value(o);
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                () -> stack.listen(new InetSocketAddress(sut.ipv4(), 0), listenWith(o, v), Recorder::sink).close(),
                "listen refuses it");
        assertEquals(notSupported(o, stack), e.getMessage(), "listen");
        e = assertThrows(UnsupportedOperationException.class,
                () -> stack.connect(plain.localAddress(), connectWith(o, v), Recorder.sink()), "connect refuses it");
        assertEquals(notSupported(o, stack), e.getMessage(), "connect");
        Exception g = assertThrows(Exception.class, () -> onWorker(probe.worker(), () -> probe.getOption(o)));
        assertInstanceOf(UnsupportedOperationException.class, g, "getOption");
        assertEquals(notSupported(o, stack), g.getMessage(), "getOption");
    }

    private void checkReadOnly(NetworkStack stack, Listener plain, Connection probe, SocketOption<?> o,
                               StackUnderTest sut) throws Exception {
        Object v = anyValue(o);
        String msg = "socket option " + o.name() + " is read-only";
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                () -> stack.listen(new InetSocketAddress(sut.ipv4(), 0), listenWith(o, v), Recorder::sink).close());
        assertEquals(msg, e.getMessage(), "listen");
        e = assertThrows(UnsupportedOperationException.class,
                () -> stack.connect(plain.localAddress(), connectWith(o, v), Recorder.sink()));
        assertEquals(msg, e.getMessage(), "connect");
        Object got = onWorker(probe.worker(), () -> probe.getOption(o));
        assertInstanceOf(o.type(), got, "getOption of a read-only option");
    }

    private void checkAccepted(NetworkStack stack, Listener plain, SocketOption<?> o, StackUnderTest sut)
            throws Exception {
        Probe p = PROBES.get(o);
        // listen takes it (its sockets are made, bound and listening; it is applied to what they accept).
        stack.listen(new InetSocketAddress(sut.ipv4(), 0), listenWith(o, p.value()), Recorder::sink).close();
        Connection c = get(stack.connect(plain.localAddress(), connectWith(o, p.value()), Recorder.sink()));
        try {
            Object got = onWorker(c.worker(), () -> c.getOption(o));
            assertTrue(p.readBack().test(got), "read back " + got + ", expected " + p.expected());
        } finally {
            c.close();
        }
    }
}
