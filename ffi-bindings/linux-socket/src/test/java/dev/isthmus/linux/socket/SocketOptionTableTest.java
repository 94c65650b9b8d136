package dev.isthmus.linux.socket;

import dev.isthmus.ffi.posix.in_h;
import dev.isthmus.ffi.posix.socket_h;
import dev.isthmus.stack.IsthmusSocketOptions;
import jdk.net.ExtendedSocketOptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

/** The option table on its own, and each of its rows through {@link LinuxSocket} on a real socket. */
class SocketOptionTableTest {

    private record MadeUp(String name, Class<Integer> type) implements SocketOption<Integer> {
    }

    @Test
    void oneRowPerOptionAndEachCNameOnce() {
        Set<SocketOption<?>> options = new HashSet<>();
        Set<String> cNames = new HashSet<>();
        for (SocketOptionTable.Row r : SocketOptionTable.rows()) {
            assertTrue(options.add(r.option()), "two rows for " + r.option().name());
            assertTrue(cNames.add(r.cName()), "two rows for " + r.cName());
            assertSame(r, SocketOptionTable.find(r.option(), socket_h.AF_INET));
            assertEquals(r.option().type() == Boolean.class, r.kind() == SocketOptionTable.Kind.BOOLEAN,
                    r.option().name() + ": a Boolean option is coded as BOOLEAN and only then");
        }
        assertNull(SocketOptionTable.find(new MadeUp("X", Integer.class), socket_h.AF_INET));
    }

    @Test
    void ipTosIsTheTrafficClassOnIpv6() {
        SocketOptionTable.Row v4 = SocketOptionTable.find(StandardSocketOptions.IP_TOS, socket_h.AF_INET);
        SocketOptionTable.Row v6 = SocketOptionTable.find(StandardSocketOptions.IP_TOS, socket_h.AF_INET6);
        assertEquals(in_h.IPPROTO_IP, v4.level());
        assertEquals(in_h.IP_TOS, v4.name());
        assertEquals(in_h.IPPROTO_IPV6, v6.level());
        assertEquals(in_h.IPV6_TCLASS, v6.name());
        assertEquals(v4.stacks(), v6.stacks());
    }

    @Test
    void theDifferencesTheTableSettles() {
        // Once only epoll knew TCP_QUICKACK, and io_uring tried to set SO_INCOMING_CPU.
        assertTrue(SocketOptionTable.find(ExtendedSocketOptions.TCP_QUICKACK, socket_h.AF_INET).supportedBy(SocketOptionTable.IO_URING));
        assertTrue(SocketOptionTable.find(IsthmusSocketOptions.SO_INCOMING_CPU, socket_h.AF_INET).readOnly());
        // The userspace stack keeps what its TCP can mean (DpdkConnection), and nothing that needs a kernel socket.
        assertEquals(List.of(java.net.StandardSocketOptions.TCP_NODELAY, java.net.StandardSocketOptions.SO_KEEPALIVE,
                java.net.StandardSocketOptions.SO_SNDBUF, java.net.StandardSocketOptions.SO_RCVBUF,
                java.net.StandardSocketOptions.SO_LINGER, ExtendedSocketOptions.TCP_KEEPIDLE,
                ExtendedSocketOptions.TCP_KEEPINTERVAL, ExtendedSocketOptions.TCP_KEEPCOUNT),
                SocketOptionTable.supportedBy(SocketOptionTable.DPDK));
    }

    @Test
    void checkSettableGivesTheCommonMessages() {
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                () -> SocketOptionTable.checkSettable(List.of(IsthmusSocketOptions.TCP_USER_TIMEOUT), SocketOptionTable.NIO));
        assertEquals("socket option TCP_USER_TIMEOUT is not supported by the nio stack", e.getMessage());
        e = assertThrows(UnsupportedOperationException.class,
                () -> SocketOptionTable.checkSettable(List.of(new MadeUp("X_MADE_UP", Integer.class)), SocketOptionTable.EPOLL));
        assertEquals("socket option X_MADE_UP is not supported by the epoll stack", e.getMessage());
        e = assertThrows(UnsupportedOperationException.class,
                () -> SocketOptionTable.checkSettable(List.of(IsthmusSocketOptions.SO_INCOMING_CPU), SocketOptionTable.IO_URING));
        assertEquals("socket option SO_INCOMING_CPU is read-only", e.getMessage());
        SocketOptionTable.checkSettable(SocketOptionTable.supportedBy(SocketOptionTable.NIO), SocketOptionTable.NIO);
    }

    /** Every settable row on an unconnected TCP socket: set, then read back (buffers: the kernel doubles them). */
    @Test
    void everyRowSetsAndReadsOnARealSocket() throws IOException {
        try (Arena a = Arena.ofConfined()) {
            LinuxSocket.Scratch s = new LinuxSocket.Scratch(a);
            for (int family : new int[]{socket_h.AF_INET, socket_h.AF_INET6}) {
                int fd = LinuxSocket.socket(s, family, socket_h.SOCK_STREAM);
                try {
                    for (SocketOptionTable.Row r : SocketOptionTable.rows()) {
                        SocketOption<?> o = r.option();
                        if (r.readOnly()) {
                            assertThrows(UnsupportedOperationException.class,
                                    () -> LinuxSocket.setOption(s, fd, family, SocketOptionTable.EPOLL, o, 1));
                            assertInstanceOf(Integer.class, LinuxSocket.getOption(s, fd, family, SocketOptionTable.EPOLL, o));
                            continue;
                        }
                        Object v = switch (r.kind()) {
                            case BOOLEAN -> true;
                            case LINGER -> 4;
                            // Within every option's range (TCP_KEEPCNT <= 127, TCP_FASTOPEN <= somaxconn).
                            case INT -> o == StandardSocketOptions.IP_TOS ? 0x10
                                    : o == IsthmusSocketOptions.SO_BUSY_POLL ? 0
                                    : o == StandardSocketOptions.SO_SNDBUF || o == StandardSocketOptions.SO_RCVBUF ? 8192 : 100;
                        };
                        LinuxSocket.setOption(s, fd, family, SocketOptionTable.EPOLL, o, v);
                        Object got = LinuxSocket.getOption(s, fd, family, SocketOptionTable.EPOLL, o);
                        if (o == StandardSocketOptions.SO_SNDBUF || o == StandardSocketOptions.SO_RCVBUF) {
                            assertTrue((Integer) got >= 8192, o.name() + " read back " + got);
                        } else if (o != ExtendedSocketOptions.TCP_QUICKACK) {
                            assertEquals(v, got, o.name() + " on family " + family);
                        }
                    }
                } finally {
                    LinuxSocket.close(s.state, fd);
                }
            }
        }
    }

    @Test
    void rawOptionsFromHeapAndNativeMemory() throws IOException {
        try (Arena a = Arena.ofConfined()) {
            LinuxSocket.Scratch s = new LinuxSocket.Scratch(a);
            int fd = LinuxSocket.socket(s, socket_h.AF_INET, socket_h.SOCK_STREAM);
            try {
                MemorySegment heap = MemorySegment.ofArray(new int[]{1});
                LinuxSocket.setRaw(s, fd, socket_h.SOL_SOCKET, socket_h.SO_KEEPALIVE, heap);
                MemorySegment out = a.allocate(ValueLayout.JAVA_INT);
                assertEquals(4, LinuxSocket.getRaw(s, fd, socket_h.SOL_SOCKET, socket_h.SO_KEEPALIVE, out));
                assertEquals(1, out.get(ValueLayout.JAVA_INT, 0));
                int[] back = new int[1];
                assertEquals(4, LinuxSocket.getRaw(s, fd, socket_h.SOL_SOCKET, socket_h.SO_KEEPALIVE, MemorySegment.ofArray(back)));
                assertEquals(1, back[0]);
                IOException e = assertThrows(IOException.class,
                        () -> LinuxSocket.setRaw(s, fd, 99999, 1, heap));
                assertTrue(e.getMessage().startsWith("setsockopt(99999, 1)"), e.getMessage());
            } finally {
                LinuxSocket.close(s.state, fd);
            }
        }
    }
}
