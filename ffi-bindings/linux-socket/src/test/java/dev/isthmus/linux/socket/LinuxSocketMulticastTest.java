package dev.isthmus.linux.socket;

import dev.isthmus.ffi.posix.in_h;
import dev.isthmus.ffi.posix.socket_h;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.StandardSocketOptions;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The multicast calls of {@link LinuxSocket} on real UDP sockets and the loopback interface: the kernel accepts a
 * join, a block and unblock, and a leave, and refuses what breaks the membership rules (a second join, a leave of
 * what was not joined); the multicast option rows map to the right level per family.
 */
class LinuxSocketMulticastTest {
    private static final InetAddress GROUP4 = address("239.255.72.1");
    private static final InetAddress GROUP6 = address("ff02::4721");
    private static final InetAddress SOURCE4 = address("198.18.0.7");

    private static InetAddress address(String s) {
        try {
            return InetAddress.getByName(s);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private static int loIndex() throws IOException {
        return NetworkInterface.getByInetAddress(InetAddress.getByName("127.0.0.1")).getIndex();
    }

    @Test
    void membershipRoundTripOnIpv4AndDualStackSockets() throws IOException {
        try (Arena a = Arena.ofConfined()) {
            LinuxSocket.Scratch s = new LinuxSocket.Scratch(a);
            for (int family : new int[] {socket_h.AF_INET, socket_h.AF_INET6}) {
                int fd = LinuxSocket.socket(s, family, socket_h.SOCK_DGRAM);
                try {
                    int lo = loIndex();
                    LinuxSocket.multicastMembership(s, fd, in_h.MCAST_JOIN_GROUP, lo, GROUP4, null);
                    IOException twice = assertThrows(IOException.class,
                            () -> LinuxSocket.multicastMembership(s, fd, in_h.MCAST_JOIN_GROUP, lo, GROUP4, null));
                    assertTrue(twice.getMessage().contains("MCAST_JOIN_GROUP"), twice.getMessage());
                    LinuxSocket.multicastMembership(s, fd, in_h.MCAST_BLOCK_SOURCE, lo, GROUP4, SOURCE4);
                    LinuxSocket.multicastMembership(s, fd, in_h.MCAST_UNBLOCK_SOURCE, lo, GROUP4, SOURCE4);
                    LinuxSocket.multicastMembership(s, fd, in_h.MCAST_LEAVE_GROUP, lo, GROUP4, null);
                    assertThrows(IOException.class,
                            () -> LinuxSocket.multicastMembership(s, fd, in_h.MCAST_LEAVE_GROUP, lo, GROUP4, null));
                    LinuxSocket.multicastMembership(s, fd, in_h.MCAST_JOIN_SOURCE_GROUP, lo, GROUP4, SOURCE4);
                    LinuxSocket.multicastMembership(s, fd, in_h.MCAST_LEAVE_SOURCE_GROUP, lo, GROUP4, SOURCE4);
                    if (family == socket_h.AF_INET6) {
                        LinuxSocket.multicastMembership(s, fd, in_h.MCAST_JOIN_GROUP, lo, GROUP6, null);
                        LinuxSocket.multicastMembership(s, fd, in_h.MCAST_LEAVE_GROUP, lo, GROUP6, null);
                    }
                    assertThrows(IllegalArgumentException.class,
                            () -> LinuxSocket.multicastMembership(s, fd, in_h.IP_MULTICAST_TTL, lo, GROUP4, null));
                    assertThrows(IllegalArgumentException.class,
                            () -> LinuxSocket.multicastMembership(s, fd, in_h.MCAST_BLOCK_SOURCE, lo, GROUP4, null));
                    assertThrows(IllegalArgumentException.class,
                            () -> LinuxSocket.multicastMembership(s, fd, in_h.MCAST_JOIN_GROUP, lo, GROUP4, SOURCE4));
                } finally {
                    LinuxSocket.close(s.state, fd);
                }
            }
        }
    }

    @Test
    void multicastOptionsAndInterface() throws IOException {
        assertEquals(in_h.IPV6_MULTICAST_HOPS, SocketOptionTable.multicast(StandardSocketOptions.IP_MULTICAST_TTL, true).name());
        assertEquals(in_h.IPPROTO_IP, SocketOptionTable.multicast(StandardSocketOptions.IP_MULTICAST_LOOP, false).level());
        assertNull(SocketOptionTable.multicast(StandardSocketOptions.SO_RCVBUF, false));
        for (SocketOptionTable.Row r : SocketOptionTable.rows()) {
            assertNotSame(StandardSocketOptions.IP_MULTICAST_TTL, r.option(), "multicast rows stay out of the stream table");
        }
        try (Arena a = Arena.ofConfined()) {
            LinuxSocket.Scratch s = new LinuxSocket.Scratch(a);
            int fd = LinuxSocket.socket(s, socket_h.AF_INET6, socket_h.SOCK_DGRAM);
            try {
                LinuxSocket.setMulticastOption(s, fd, true, StandardSocketOptions.IP_MULTICAST_TTL, 9);
                assertEquals(9, LinuxSocket.getMulticastOption(s, fd, true, StandardSocketOptions.IP_MULTICAST_TTL));
                assertEquals(1, LinuxSocket.getMulticastOption(s, fd, false, StandardSocketOptions.IP_MULTICAST_TTL),
                        "the IPv4 TTL of a dual-stack socket is its own option");
                LinuxSocket.setMulticastOption(s, fd, true, StandardSocketOptions.IP_MULTICAST_LOOP, false);
                assertEquals(false, LinuxSocket.getMulticastOption(s, fd, true, StandardSocketOptions.IP_MULTICAST_LOOP));
                assertEquals(0, LinuxSocket.getMulticastInterface6(s, fd));
                LinuxSocket.setMulticastInterface(s, fd, null, loIndex());
                assertEquals(loIndex(), LinuxSocket.getMulticastInterface6(s, fd));
                assertArrayEquals(new byte[4], LinuxSocket.getMulticastInterface4(s, fd));
                LinuxSocket.setMulticastInterface(s, fd, new byte[] {127, 0, 0, 1}, 0);
                assertArrayEquals(new byte[] {127, 0, 0, 1}, LinuxSocket.getMulticastInterface4(s, fd));
                assertThrows(IllegalArgumentException.class, () -> LinuxSocket.setMulticastInterface(s, fd, new byte[16], 0));
            } finally {
                LinuxSocket.close(s.state, fd);
            }
        }
    }
}
