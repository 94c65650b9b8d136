package dev.isthmus.dpdk;

import dev.isthmus.dpdk.net.DropReason;
import dev.isthmus.stack.DatagramHandler;
import dev.isthmus.stack.StackOptions;
import dev.isthmus.stack.UdpChannel;
import dev.isthmus.stack.UdpOptions;
import dev.isthmus.stack.spi.AbstractNetworkStack;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Two dpdk stacks joined by crossed rings (rte_eth_from_rings) exchange UDP without the kernel. */
@Timeout(120)
class RingStacksTest {
    @BeforeAll
    static void eal() throws Exception {
        TestEal.start();
    }

    static StackOptions options(String cable, String ip, int workers) {
        return StackOptions.defaults().withWorkers(workers)
                .withProperty(DpdkOptions.PORT, "ring:" + cable)
                .withProperty(DpdkOptions.IP, ip)
                .withProperty(DpdkOptions.MBUFS, "2047");
    }

    record Received(InetSocketAddress from, byte[] data) {
    }

    static DatagramHandler collector(LinkedBlockingQueue<Received> q) {
        return (ch, from, data, truncated) -> q.add(new Received(from, data.toArray(ValueLayout.JAVA_BYTE)));
    }

    static byte[] payload(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (seed * 31 + i);
        }
        return b;
    }

    static void send(UdpChannel ch, InetSocketAddress to, byte[] data) throws Exception {
        AbstractNetworkStack.runAndWait((dev.isthmus.stack.spi.AbstractWorker) ch.worker(), () -> {
            try (Arena a = Arena.ofConfined()) {
                MemorySegment s = a.allocate(Math.max(1, data.length));
                MemorySegment.copy(MemorySegment.ofArray(data), 0, s, 0, data.length);
                ch.send(to, s.asSlice(0, data.length));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    @Test
    void udpBothWaysSmallMtuSizedAndFragmented() throws Exception {
        DpdkStackProvider provider = new DpdkStackProvider();
        DpdkNetworkStack a = (DpdkNetworkStack) provider.open(options("c1", "198.18.1.1", 1));
        DpdkNetworkStack b = (DpdkNetworkStack) provider.open(options("c1", "198.18.1.2", 1));
        try {
            LinkedBlockingQueue<Received> atA = new LinkedBlockingQueue<>();
            LinkedBlockingQueue<Received> atB = new LinkedBlockingQueue<>();
            UdpChannel ca = a.openUdp(new InetSocketAddress(0), UdpOptions.defaults().withMaxDatagramSize(65535),
                    collector(atA));
            UdpChannel cb = b.openUdp(new InetSocketAddress(InetAddress.getByName("198.18.1.2"), 9000),
                    UdpOptions.defaults().withMaxDatagramSize(65535), collector(atB));
            InetSocketAddress toB = new InetSocketAddress(InetAddress.getByName("198.18.1.2"), 9000);
            InetSocketAddress aAddr = (InetSocketAddress) ca.localAddress();
            assertTrue(aAddr.getPort() >= 49152, "ephemeral port " + aAddr);

            // Let the first exchange resolve ARP; then take the mbuf level of a running pair.
            send(ca, toB, payload(1, 0));
            assertNotNull(atB.poll(10, TimeUnit.SECONDS), "first datagram (after ARP)");
            // The handler runs before its burst's mbufs are freed: let the turn end before the level is taken.
            Thread.sleep(50);
            int levelA = a.mbufsInUse();
            int levelB = b.mbufsInUse();

            int[] sizes = {0, 1, 64, 1472, 1473, 4000, 9000, 65507};
            for (int size : sizes) {
                byte[] d = payload(size, size);
                send(ca, toB, d);
                Received r = atB.poll(10, TimeUnit.SECONDS);
                assertNotNull(r, size + " bytes A -> B");
                assertArrayEquals(d, r.data(), size + " bytes A -> B");
                assertEquals(aAddr.getPort(), r.from().getPort());
                assertEquals("198.18.1.1", r.from().getAddress().getHostAddress());

                send(cb, r.from(), d);
                Received back = atA.poll(10, TimeUnit.SECONDS);
                assertNotNull(back, size + " bytes B -> A");
                assertArrayEquals(d, back.data(), size + " bytes B -> A");
            }
            // A batch: one burst's worth of sends, then all arrive in order.
            AbstractNetworkStack.runAndWait((dev.isthmus.stack.spi.AbstractWorker) ca.worker(), () -> {
                try (Arena ar = Arena.ofConfined()) {
                    InetSocketAddress[] to = new InetSocketAddress[40];
                    MemorySegment[] data = new MemorySegment[40];
                    for (int i = 0; i < 40; i++) {
                        to[i] = toB;
                        data[i] = ar.allocateFrom(ValueLayout.JAVA_INT, i);
                    }
                    assertEquals(40, ca.send(to, data, 40));
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            for (int i = 0; i < 40; i++) {
                Received r = atB.poll(10, TimeUnit.SECONDS);
                assertNotNull(r, "batch datagram " + i);
                assertEquals(i, MemorySegment.ofArray(r.data()).get(ValueLayout.JAVA_INT_UNALIGNED, 0));
            }

            // To a closed port: B answers with port unreachable, counted as a drop by reason.
            send(ca, new InetSocketAddress(InetAddress.getByName("198.18.1.2"), 9001), payload(10, 1));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (b.dpdkWorker(0).netStats().drops(DropReason.UDP_NO_PORT) == 0 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertEquals(1, b.dpdkWorker(0).netStats().drops(DropReason.UDP_NO_PORT));
            while (a.dpdkWorker(0).netStats().drops(DropReason.ICMP_IGNORED) == 0 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertEquals(1, a.dpdkWorker(0).netStats().drops(DropReason.ICMP_IGNORED), "A got the ICMP error");

            assertThrows(java.net.BindException.class, () -> b.openUdp(toB, UdpOptions.defaults(), collector(atB)));

            Thread.sleep(50);
            assertEquals(levelA, a.mbufsInUse(), "A's mbufs back to their level");
            assertEquals(levelB, b.mbufsInUse(), "B's mbufs back to their level");
            System.out.println("A: " + a.dpdkWorker(0).netStats());
            System.out.println("B: " + b.dpdkWorker(0).netStats());
        } finally {
            a.close();
            b.close();
        }
        assertEquals(0, a.mbufsInUseAtClose());
        assertEquals(0, b.mbufsInUseAtClose());
    }

    @Test
    void stacksOpenAndCloseManyTimesInOneJvm() throws Exception {
        DpdkStackProvider provider = new DpdkStackProvider();
        for (int i = 0; i < 5; i++) {
            DpdkNetworkStack a = (DpdkNetworkStack) provider.open(options("again", "198.18.2.1", 2));
            DpdkNetworkStack b = (DpdkNetworkStack) provider.open(options("again", "198.18.2.2", 2));
            LinkedBlockingQueue<Received> atB = new LinkedBlockingQueue<>();
            UdpChannel ca = a.openUdp(new InetSocketAddress(0), UdpOptions.defaults().withWorker(1), collector(new LinkedBlockingQueue<>()));
            b.openUdp(new InetSocketAddress(7), UdpOptions.defaults().withWorker(0), collector(atB));
            byte[] d = payload(100, i);
            send(ca, new InetSocketAddress(InetAddress.getByName("198.18.2.2"), 7), d);
            Received r = atB.poll(10, TimeUnit.SECONDS);
            assertNotNull(r, "round " + i);
            assertArrayEquals(d, r.data());
            // The datagram's mbuf is a's (a ring cable passes mbufs), freed by b's worker 0 with its batch
            // after the handler ran: a task there runs after that turn, so a gets it back before closing.
            java.util.concurrent.CountDownLatch turnDone = new java.util.concurrent.CountDownLatch(1);
            b.dpdkWorker(0).execute(turnDone::countDown);
            assertTrue(turnDone.await(10, TimeUnit.SECONDS));
            a.close();
            b.close();
            assertEquals(0, a.mbufsInUseAtClose(), "round " + i);
            assertEquals(0, b.mbufsInUseAtClose(), "round " + i);
        }
    }

    @Test
    void aStackAloneOnACableGetsItsFramesBackAtClose() throws Exception {
        DpdkNetworkStack a = (DpdkNetworkStack) new DpdkStackProvider().open(options("alone", "198.18.4.1", 1));
        UdpChannel ch = a.openUdp(new InetSocketAddress(0), UdpOptions.defaults(), collector(new LinkedBlockingQueue<>()));
        // Queued for ARP, then the request (and the announcement) wait in the cable for a reader.
        send(ch, new InetSocketAddress(InetAddress.getByName("198.18.4.2"), 9), payload(10, 1));
        Thread.sleep(50);
        assertTrue(a.mbufsInUse() >= 2, "announcement and ARP request in the cable: " + a.mbufsInUse());
        a.close();
        assertEquals(0, a.mbufsInUseAtClose());
    }

    @Test
    void badOptionsFailWithTheirName() {
        DpdkStackProvider provider = new DpdkStackProvider();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> provider.open(StackOptions.defaults().withProperty(DpdkOptions.PORT, "ring:x")));
        assertTrue(e.getMessage().contains(DpdkOptions.IP), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> provider.open(options("x", "198.18.1.300", 1)));
        assertTrue(e.getMessage().contains(DpdkOptions.IP), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> provider.open(options("x", "198.18.1.1", 1)
                .withProperty(DpdkOptions.NETMASK, "255.0.255.0")));
        assertTrue(e.getMessage().contains(DpdkOptions.NETMASK), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> provider.open(options("x", "198.18.1.1", 1)
                .withProperty(DpdkOptions.MTU, "9000")));
        assertTrue(e.getMessage().contains(DpdkOptions.MTU), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> provider.open(options("x", "198.18.1.1", 1)
                .withProperty(DpdkOptions.MAC, "01:00:5e:00:00:01")));
        assertTrue(e.getMessage().contains(DpdkOptions.MAC), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> provider.open(options("x", "198.18.1.1", 1)
                .withProperty(DpdkOptions.GATEWAY, "10.0.0.1")));
        assertTrue(e.getMessage().contains("gateway"), e.getMessage());
    }
}
