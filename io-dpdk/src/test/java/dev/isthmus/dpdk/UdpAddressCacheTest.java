package dev.isthmus.dpdk;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

class UdpAddressCacheTest {
    private static final int IP = 0xC6120001; // 198.18.0.1

    @Test
    void aPeerSeenBeforeGetsTheSameObjectForEveryFlowOfABenchmark() throws Exception {
        UdpAddressCache c = new UdpAddressCache();
        List<InetSocketAddress> first = new ArrayList<>();
        for (int port = 40_000; port < 40_016; port++) {
            InetSocketAddress a = c.sender(IP, port);
            assertEquals(new InetSocketAddress(InetAddress.getByName("198.18.0.1"), port), a);
            first.add(a);
        }
        for (int round = 0; round < 3; round++) {
            for (int f = 0; f < 16; f++) {
                assertSame(first.get(f), c.sender(IP, 40_000 + f), "flow " + f + " round " + round);
            }
        }
        assertNotSame(first.get(0), c.sender(IP + 1, 40_000), "another host, another object");
    }

    @Test
    void everyAddressIsRightEvenWhenTheTableOverflows() throws Exception {
        UdpAddressCache c = new UdpAddressCache();
        // Far more peers than slots: entries are replaced, answers stay right.
        for (int i = 0; i < UdpAddressCache.SIZE * 8; i++) {
            int ip = IP + i;
            InetSocketAddress a = c.sender(ip, 1 + (i % 60_000));
            assertEquals(InetAddress.getByAddress(new byte[] {(byte) (ip >>> 24), (byte) (ip >>> 16), (byte) (ip >>> 8), (byte) ip}),
                    a.getAddress());
            assertEquals(1 + (i % 60_000), a.getPort());
            InetSocketAddress fresh = new InetSocketAddress(a.getAddress(), a.getPort());
            assertEquals(ip, c.ipOf(fresh));
            assertEquals(ip, c.ipOf(fresh), "twice, from the cache");
            assertEquals(ip, c.ipOf(a));
        }
    }
}
