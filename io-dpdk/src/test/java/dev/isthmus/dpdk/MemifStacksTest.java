package dev.isthmus.dpdk;

import dev.isthmus.stack.StackOptions;
import dev.isthmus.stack.UdpChannel;
import dev.isthmus.stack.UdpOptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * Two dpdk stacks of one JVM joined by net_memif (server and client on one abstract socket), the device
 * the benchmark is to use: UDP both ways, including fragmented datagrams.
 */
@Timeout(120)
class MemifStacksTest {
    @BeforeAll
    static void eal() throws Exception {
        TestEal.start();
    }

    static StackOptions options(String devargs, String ip) {
        return StackOptions.defaults().withWorkers(1).withProperty(DpdkOptions.PORT, devargs)
                .withProperty(DpdkOptions.IP, ip).withProperty(DpdkOptions.MBUFS, "2047");
    }

    @Test
    void udpBothWaysOverMemif() throws Exception {
        String socket = "/run/isthmus-memif-" + ProcessHandle.current().pid() + ".sock";
        DpdkStackProvider provider = new DpdkStackProvider();
        DpdkNetworkStack a = (DpdkNetworkStack) provider.open(options("net_memif0,role=server,id=0,socket=" + socket,
                "198.18.7.1"));
        DpdkNetworkStack b = null;
        try {
            b = (DpdkNetworkStack) provider.open(options("net_memif1,role=client,id=0,socket=" + socket, "198.18.7.2"));
            LinkedBlockingQueue<RingStacksTest.Received> atA = new LinkedBlockingQueue<>();
            LinkedBlockingQueue<RingStacksTest.Received> atB = new LinkedBlockingQueue<>();
            UdpChannel ca = a.openUdp(new InetSocketAddress(0), UdpOptions.defaults().withMaxDatagramSize(65535),
                    RingStacksTest.collector(atA));
            UdpChannel cb = b.openUdp(new InetSocketAddress(9000), UdpOptions.defaults().withMaxDatagramSize(65535),
                    RingStacksTest.collector(atB));
            InetSocketAddress toB = new InetSocketAddress(InetAddress.getByName("198.18.7.2"), 9000);
            // The memif connection comes up asynchronously; until it does, frames are dropped at tx (counted),
            // so the first datagram is sent until one arrives.
            RingStacksTest.Received first = null;
            for (int i = 0; i < 40 && first == null; i++) {
                RingStacksTest.send(ca, toB, RingStacksTest.payload(8, i));
                first = atB.poll(250, TimeUnit.MILLISECONDS);
            }
            assertNotNull(first, "no datagram crossed the memif link");
            atB.clear();
            for (int size : new int[] {1, 1472, 5000}) {
                byte[] d = RingStacksTest.payload(size, size);
                RingStacksTest.send(ca, toB, d);
                RingStacksTest.Received r = atB.poll(10, TimeUnit.SECONDS);
                assertNotNull(r, size + " bytes A -> B");
                assertArrayEquals(d, r.data());
                RingStacksTest.send(cb, r.from(), d);
                RingStacksTest.Received back = atA.poll(10, TimeUnit.SECONDS);
                assertNotNull(back, size + " bytes B -> A");
                assertArrayEquals(d, back.data());
            }
        } finally {
            if (b != null) {
                b.close();
            }
            a.close();
        }
        assertEquals(0, a.mbufsInUseAtClose());
        assertEquals(0, b.mbufsInUseAtClose());
    }
}
