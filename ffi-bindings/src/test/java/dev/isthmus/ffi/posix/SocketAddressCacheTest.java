package dev.isthmus.ffi.posix;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.net.InetSocketAddress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SocketAddressCacheTest {

    @Test
    void readGivesTheSameObjectForBytesSeenBeforeAndTheRightOneAlways() throws Exception {
        SocketAddressCache c = new SocketAddressCache();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment name = arena.allocate(SocketAddresses.MAX_LENGTH);
            InetSocketAddress[] first = new InetSocketAddress[16];
            for (int f = 0; f < 16; f++) {
                InetSocketAddress peer = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 40_000 + f);
                int len = SocketAddresses.writeInet(peer, name);
                first[f] = c.read(name, len);
                assertEquals(peer, first[f]);
            }
            for (int f = 0; f < 16; f++) {
                int len = SocketAddresses.writeInet(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 40_000 + f), name);
                assertSame(first[f], c.read(name, len), "flow " + f);
            }
            // IPv6, and the same IPv4 peer as a mapped address from an AF_INET6 socket: other bytes, other entry.
            InetSocketAddress v6 = new InetSocketAddress(InetAddress.getByName("::1"), 7);
            int len6 = SocketAddresses.writeInet6(v6, name);
            assertEquals(v6, c.read(name, len6));
            int mapped = SocketAddresses.writeInet6(first[0], name);
            InetSocketAddress m = c.read(name, mapped);
            assertEquals(first[0], m);
            assertNotSame(first[0], m);
            // Far more peers than slots: replaced entries, right answers.
            for (int i = 0; i < SocketAddressCache.SIZE * 8; i++) {
                InetSocketAddress p = new InetSocketAddress(InetAddress.getByAddress(new byte[] {10, 0, (byte) (i >> 8), (byte) i}), 1 + i);
                int len = SocketAddresses.writeInet(p, name);
                assertEquals(p, c.read(name, len));
                assertEquals(p, c.read(name, len));
            }
            assertThrows(IllegalArgumentException.class, () -> c.read(name, 2), "too short for an internet address");
        }
    }

    @Test
    void writeEncodesAsSocketAddressesDoesForEitherSocketFamily() throws Exception {
        SocketAddressCache c = new SocketAddressCache();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment got = arena.allocate(SocketAddresses.MAX_LENGTH);
            MemorySegment want = arena.allocate(SocketAddresses.MAX_LENGTH);
            for (int i = 0; i < SocketAddressCache.SIZE * 4; i++) {
                InetSocketAddress to = new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, (byte) (i >> 8), (byte) i}), 1000 + i);
                for (int round = 0; round < 2; round++) {
                    for (boolean v6 : new boolean[] {false, true}) {
                        got.fill((byte) 0x55);
                        want.fill((byte) 0x55);
                        int n = c.write(to, v6, got);
                        int m = v6 ? SocketAddresses.writeInet6(to, want) : SocketAddresses.writeInet(to, want);
                        assertEquals(m, n);
                        assertEquals(-1, MemorySegment.mismatch(got, 0, n, want, 0, m), to + " as " + (v6 ? "sockaddr_in6" : "sockaddr_in"));
                    }
                }
            }
        }
    }
}
