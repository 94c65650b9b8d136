package dev.isthmus.ffi.posix;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteOrder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SocketAddressesTest {

    @Test
    void ipv4RoundTripInNetworkOrder() throws Exception {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment sa = sockaddr_storage.allocate(arena);
            InetSocketAddress a = new InetSocketAddress(InetAddress.getByName("192.0.2.7"), 0x1F90); // 8080
            assertEquals(16, SocketAddresses.writeInet(a, sa));
            assertEquals(socket_h.AF_INET, sockaddr_in.sin_family(sa));
            // Network byte order: 0x1F first, then 0x90; the address bytes as written.
            assertEquals((byte) 0x1F, sa.get(ValueLayout.JAVA_BYTE, 2));
            assertEquals((byte) 0x90, sa.get(ValueLayout.JAVA_BYTE, 3));
            assertEquals(8080, Short.toUnsignedInt(in_h.ntohs(sockaddr_in.sin_port(sa))));
            assertEquals((byte) 192, sa.get(ValueLayout.JAVA_BYTE, 4));
            assertEquals((byte) 7, sa.get(ValueLayout.JAVA_BYTE, 7));
            assertEquals(0xC0000207, in_h.ntohl(in_addr.s_addr(sockaddr_in.sin_addr(sa))));
            assertEquals(a, SocketAddresses.read(sa, 16));
            assertEquals(socket_h.AF_INET, SocketAddresses.family(a));
        }
    }

    @Test
    void highPortsStayUnsigned() throws Exception {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment sa = sockaddr_storage.allocate(arena);
            int len = SocketAddresses.writeInet(InetAddress.getByName("::1"), 65535, sa);
            assertEquals(65535, SocketAddresses.readInet(sa, len).getPort());
        }
    }

    @Test
    void ipv6RoundTripWithScope() throws Exception {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment sa = sockaddr_storage.allocate(arena);
            InetSocketAddress a = new InetSocketAddress(InetAddress.getByName("2001:db8::1"), 443);
            assertEquals(28, SocketAddresses.writeInet(a, sa));
            assertEquals(socket_h.AF_INET6, sockaddr_in6.sin6_family(sa));
            assertEquals((byte) 0x20, in6_addr.s6_addr(sockaddr_in6.sin6_addr(sa)).get(ValueLayout.JAVA_BYTE, 0));
            assertEquals(a, SocketAddresses.read(sa, 28));

            InetAddress scoped = Inet6Address.getByAddress(null, InetAddress.getByName("fe80::1").getAddress(), 3);
            SocketAddresses.writeInet(new InetSocketAddress(scoped, 1), sa);
            assertEquals(3, sockaddr_in6.sin6_scope_id(sa));
            InetSocketAddress back = SocketAddresses.readInet(sa, 28);
            assertEquals(3, ((Inet6Address) back.getAddress()).getScopeId());
            assertEquals(scoped, back.getAddress());
        }
    }

    @Test
    void ipv4MappedForDualStackAndBack() throws Exception {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment sa = sockaddr_storage.allocate(arena);
            InetSocketAddress a = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 9);
            assertEquals(28, SocketAddresses.writeInet6(a, sa));
            assertEquals(socket_h.AF_INET6, sockaddr_in6.sin6_family(sa));
            assertEquals((byte) 0xff, sa.get(ValueLayout.JAVA_BYTE, sockaddr_in6.sin6_addr$OFFSET + 11));
            InetSocketAddress back = SocketAddresses.readInet(sa, 28);
            assertInstanceOf(Inet4Address.class, back.getAddress());
            assertEquals(a, back);
        }
    }

    @Test
    void unixRoundTripAndLengths() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment sa = sockaddr_un.allocate(arena);
            UnixDomainSocketAddress a = UnixDomainSocketAddress.of("/tmp/isthmus-test.sock");
            int len = SocketAddresses.writeUnix(a, sa);
            assertEquals(2 + "/tmp/isthmus-test.sock".length() + 1, len);
            assertEquals(socket_h.AF_UNIX, sockaddr_un.sun_family(sa));
            assertEquals(a, SocketAddresses.read(sa, len));
            // The kernel may report the length without the NUL (getsockname on a bound socket does not).
            assertEquals(a, SocketAddresses.readUnix(sa, len - 1));
            // Unnamed socket.
            assertEquals(2, SocketAddresses.writeUnix(UnixDomainSocketAddress.of(""), sa));
            assertEquals(UnixDomainSocketAddress.of(""), SocketAddresses.read(sa, 2));

            String longest = "/" + "p".repeat(SocketAddresses.MAX_UNIX_PATH - 1);
            assertEquals(110, SocketAddresses.writeUnix(UnixDomainSocketAddress.of(longest), sa));
            assertEquals(longest, SocketAddresses.readUnix(sa, 110).getPath().toString());
        }
    }

    @Test
    void badInputFailsWithAMessage() throws Exception {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment sa = sockaddr_storage.allocate(arena);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> SocketAddresses.writeInet(InetSocketAddress.createUnresolved("example.invalid", 80), sa));
            assertTrue(e.getMessage().contains("unresolved") && e.getMessage().contains("example.invalid"), e.getMessage());
            assertThrows(IllegalArgumentException.class,
                    () -> SocketAddresses.write(InetSocketAddress.createUnresolved("x", 1), sa));

            InetAddress lo = InetAddress.getByName("127.0.0.1");
            e = assertThrows(IllegalArgumentException.class, () -> SocketAddresses.writeInet(lo, 65536, sa));
            assertTrue(e.getMessage().contains("65536"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> SocketAddresses.writeInet(lo, -1, sa));

            String tooLong = "/" + "p".repeat(SocketAddresses.MAX_UNIX_PATH);
            e = assertThrows(IllegalArgumentException.class,
                    () -> SocketAddresses.writeUnix(UnixDomainSocketAddress.of(tooLong), sa));
            assertTrue(e.getMessage().contains("108 bytes"), e.getMessage());

            e = assertThrows(IllegalArgumentException.class,
                    () -> SocketAddresses.writeInet(new InetSocketAddress(InetAddress.getByName("::1"), 1), sa.asSlice(0, 16)));
            assertTrue(e.getMessage().contains("sockaddr_in6"), e.getMessage());

            sa.set(ValueLayout.JAVA_SHORT, 0, (short) socket_h.AF_INET6);
            e = assertThrows(IllegalArgumentException.class, () -> SocketAddresses.read(sa, 16));
            assertTrue(e.getMessage().contains("sockaddr_in6"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> SocketAddresses.read(sa, 1));
            assertThrows(IllegalArgumentException.class, () -> SocketAddresses.read(sa, 200));
            sa.set(ValueLayout.JAVA_SHORT, 0, (short) socket_h.AF_PACKET);
            e = assertThrows(IllegalArgumentException.class, () -> SocketAddresses.read(sa, 20));
            assertTrue(e.getMessage().contains("sa_family 17"), e.getMessage());

            // Abstract unix address: leading NUL in sun_path.
            sa.fill((byte) 0);
            sa.set(ValueLayout.JAVA_SHORT, 0, (short) socket_h.AF_UNIX);
            sa.set(ValueLayout.JAVA_BYTE, 3, (byte) 'a');
            assertThrows(IllegalArgumentException.class, () -> SocketAddresses.readUnix(sa, 4));

            SocketAddress other = new SocketAddress() { };
            assertThrows(IllegalArgumentException.class, () -> SocketAddresses.write(other, sa));
        }
    }

    @Test
    void byteOrderHelpersSwapOnLittleEndian() {
        short s = (short) 0x1234;
        int i = 0x01020304;
        if (ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN) {
            assertEquals((short) 0x3412, in_h.htons(s));
            assertEquals(0x04030201, in_h.htonl(i));
        }
        assertEquals(s, in_h.ntohs(in_h.htons(s)));
        assertEquals(i, in_h.ntohl(in_h.htonl(i)));
    }
}
