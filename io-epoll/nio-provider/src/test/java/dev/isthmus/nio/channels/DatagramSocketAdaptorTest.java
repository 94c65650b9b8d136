package dev.isthmus.nio.channels;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.nio.channels.DatagramChannel;
import java.nio.channels.IllegalBlockingModeException;
import java.nio.channels.spi.SelectorProvider;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code DatagramChannel.socket()}, the DatagramSocket adaptor, run on the JDK's provider and on ours: send and
 * receive (with the packet's buffer length kept across receives), setSoTimeout, connect/disconnect, options,
 * multicast join/leave through the adaptor, the blocking-mode rule, and close.
 */
class DatagramSocketAdaptorTest {
    static Stream<SelectorProvider> providers() {
        return SelectorProviderContractTest.providers();
    }

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    @ParameterizedTest
    @MethodSource("providers")
    void sendAndReceiveThroughTheAdaptors(SelectorProvider p) throws IOException {
        try (DatagramChannel a = p.openDatagramChannel(); DatagramChannel b = p.openDatagramChannel()) {
            DatagramSocket sa = a.socket();
            DatagramSocket sb = b.socket();
            assertSame(sa, a.socket(), "one adaptor per channel");
            assertSame(a, sa.getChannel());
            assertFalse(sa.isBound());
            assertEquals(0, sa.getLocalPort());
            sa.bind(new InetSocketAddress(LOOPBACK, 0));
            sb.bind(null);
            assertTrue(sa.isBound());
            assertEquals(a.getLocalAddress(), sa.getLocalSocketAddress());
            assertThrows(SocketException.class, () -> sa.bind(new InetSocketAddress(LOOPBACK, 0)), "already bound");

            byte[] msg = "first datagram".getBytes();
            sb.send(new DatagramPacket(msg, msg.length, sa.getLocalSocketAddress()));
            byte[] buf = new byte[100];
            DatagramPacket in = new DatagramPacket(buf, 10, 50);
            sa.receive(in);
            assertEquals(msg.length, in.getLength());
            assertEquals(10, in.getOffset());
            assertEquals(new String(msg), new String(buf, 10, in.getLength()));
            assertEquals(sb.getLocalPort(), in.getPort());

            // the same packet, reused: the JDK receives into its whole buffer again, not just the last length
            byte[] longer = "a second, longer datagram".getBytes();
            sb.send(new DatagramPacket(longer, longer.length, sa.getLocalSocketAddress()));
            sa.receive(in);
            assertEquals(longer.length, in.getLength());
            assertEquals(new String(longer), new String(buf, 10, in.getLength()));

            // a datagram longer than the packet is truncated to it
            in.setLength(4);
            sb.send(new DatagramPacket(longer, longer.length, sa.getLocalSocketAddress()));
            sa.receive(in);
            assertEquals(4, in.getLength());
            assertEquals("a se", new String(buf, 10, 4));
        }
    }

    @ParameterizedTest
    @MethodSource("providers")
    void setSoTimeoutBoundsReceive(SelectorProvider p) throws Exception {
        try (DatagramChannel a = p.openDatagramChannel()) {
            DatagramSocket s = a.socket();
            s.bind(new InetSocketAddress(LOOPBACK, 0));
            assertEquals(0, s.getSoTimeout());
            s.setSoTimeout(200);
            assertEquals(200, s.getSoTimeout());
            assertThrows(IllegalArgumentException.class, () -> s.setSoTimeout(-1));
            long t0 = System.nanoTime();
            assertThrows(SocketTimeoutException.class, () -> s.receive(new DatagramPacket(new byte[10], 10)));
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertTrue(ms >= 150, "returned after " + ms + " ms");
            assertTrue(a.isOpen(), "a time-out leaves the socket open");

            // a datagram that arrives within the time-out is received
            s.setSoTimeout(20_000);
            CompletableFuture<String> got = CompletableFuture.supplyAsync(() -> {
                try {
                    DatagramPacket in = new DatagramPacket(new byte[10], 10);
                    s.receive(in);
                    return new String(in.getData(), 0, in.getLength());
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            Thread.sleep(100);
            try (DatagramSocket tx = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
                tx.send(new DatagramPacket("late".getBytes(), 4, s.getLocalSocketAddress()));
            }
            assertEquals("late", got.get(20, TimeUnit.SECONDS));
        }
    }

    @ParameterizedTest
    @MethodSource("providers")
    void closeEndsABlockedReceive(SelectorProvider p) throws Exception {
        DatagramChannel a = p.openDatagramChannel();
        DatagramSocket s = a.socket();
        s.bind(new InetSocketAddress(LOOPBACK, 0));
        CompletableFuture<Throwable> failure = CompletableFuture.supplyAsync(() -> {
            try {
                s.receive(new DatagramPacket(new byte[10], 10));
                return null;
            } catch (Throwable t) {
                return t;
            }
        });
        Thread.sleep(200);
        s.close();
        assertInstanceOf(SocketException.class, failure.get(10, TimeUnit.SECONDS));
        assertTrue(s.isClosed());
        assertFalse(a.isOpen());
        assertNull(s.getLocalSocketAddress());
        assertEquals(-1, s.getLocalPort());
        assertThrows(SocketException.class, () -> s.getSoTimeout());
        assertThrows(SocketException.class, () -> s.send(new DatagramPacket(new byte[1], 1, new InetSocketAddress(LOOPBACK, 9))));
        assertThrows(SocketException.class, () -> s.getReceiveBufferSize());
    }

    @ParameterizedTest
    @MethodSource("providers")
    void connectAndDisconnect(SelectorProvider p) throws IOException {
        try (DatagramChannel a = p.openDatagramChannel(); DatagramChannel b = p.openDatagramChannel();
             DatagramChannel c = p.openDatagramChannel()) {
            DatagramSocket sa = a.socket();
            sa.bind(new InetSocketAddress(LOOPBACK, 0));
            b.bind(new InetSocketAddress(LOOPBACK, 0));
            c.bind(new InetSocketAddress(LOOPBACK, 0));
            assertFalse(sa.isConnected());
            assertNull(sa.getInetAddress());
            assertEquals(-1, sa.getPort());
            sa.connect(b.getLocalAddress());
            assertTrue(sa.isConnected());
            assertTrue(a.isConnected());
            assertEquals(b.getLocalAddress(), sa.getRemoteSocketAddress());
            assertEquals(((InetSocketAddress) b.getLocalAddress()).getPort(), sa.getPort());

            // a packet without an address goes to the peer, and takes its address
            DatagramPacket out = new DatagramPacket("to-peer".getBytes(), 7);
            sa.send(out);
            assertEquals(b.getLocalAddress(), out.getSocketAddress());
            java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(20);
            b.receive(buf);
            assertEquals("to-peer", new String(buf.array(), 0, buf.position()));
            // another address differs from the connected one
            assertThrows(IllegalArgumentException.class,
                    () -> sa.send(new DatagramPacket(new byte[1], 1, c.getLocalAddress())));
            // connect replaces the association
            sa.connect(c.getLocalAddress());
            assertEquals(c.getLocalAddress(), sa.getRemoteSocketAddress());
            sa.disconnect();
            assertFalse(sa.isConnected());
            assertNull(sa.getRemoteSocketAddress());
            assertThrows(IllegalArgumentException.class, () -> sa.send(new DatagramPacket(new byte[1], 1)), "Address not set");
            assertThrows(IllegalArgumentException.class, () -> sa.connect((java.net.SocketAddress) null));
        }
    }

    @ParameterizedTest
    @MethodSource("providers")
    void optionsThroughTheAdaptor(SelectorProvider p) throws IOException {
        try (DatagramChannel a = p.openDatagramChannel()) {
            DatagramSocket s = a.socket();
            s.setReceiveBufferSize(65536);
            assertTrue(s.getReceiveBufferSize() >= 65536);
            assertEquals(a.getOption(StandardSocketOptions.SO_RCVBUF), s.getReceiveBufferSize());
            s.setSendBufferSize(32768);
            assertTrue(s.getSendBufferSize() >= 32768);
            assertThrows(IllegalArgumentException.class, () -> s.setSendBufferSize(0));
            s.setReuseAddress(true);
            assertTrue(s.getReuseAddress());
            assertFalse(s.getBroadcast());
            s.setBroadcast(true);
            assertTrue(s.getBroadcast());
            s.setTrafficClass(0x10);
            assertEquals(0x10, s.getTrafficClass());
            s.setOption(StandardSocketOptions.IP_MULTICAST_TTL, 3);
            assertEquals(3, s.getOption(StandardSocketOptions.IP_MULTICAST_TTL));
            assertEquals(a.supportedOptions(), s.supportedOptions());
        }
    }

    @ParameterizedTest
    @MethodSource("providers")
    void nonBlockingChannelRefusesAdaptorIo(SelectorProvider p) throws IOException {
        try (DatagramChannel a = p.openDatagramChannel()) {
            a.bind(new InetSocketAddress(LOOPBACK, 0));
            a.configureBlocking(false);
            DatagramSocket s = a.socket();
            assertThrows(IllegalBlockingModeException.class, () -> s.receive(new DatagramPacket(new byte[1], 1)));
            assertThrows(IllegalBlockingModeException.class,
                    () -> s.send(new DatagramPacket(new byte[1], 1, a.getLocalAddress())));
        }
    }

    @ParameterizedTest
    @MethodSource("providers")
    void joinAndLeaveThroughTheAdaptor(SelectorProvider p) throws IOException {
        try (DatagramChannel a = p.openDatagramChannel()) {
            DatagramSocket s = a.socket();
            java.net.NetworkInterface lo = java.net.NetworkInterface.getByInetAddress(InetAddress.getByName("127.0.0.1"));
            InetSocketAddress group = new InetSocketAddress(InetAddress.getByName("239.255.71.3"), 0);
            s.joinGroup(group, lo);
            assertThrows(SocketException.class, () -> s.joinGroup(group, lo), "Already a member of group");
            s.leaveGroup(group, lo);
            assertThrows(SocketException.class, () -> s.leaveGroup(group, lo), "Not a member of group");
            assertThrows(SocketException.class,
                    () -> s.joinGroup(new InetSocketAddress(InetAddress.getByName("198.18.0.1"), 0), lo));
        }
    }

    @ParameterizedTest
    @MethodSource("providers")
    void heapAndArrayOffsetsSurviveAReceive(SelectorProvider p) throws IOException {
        try (DatagramChannel a = p.openDatagramChannel(); DatagramChannel b = p.openDatagramChannel()) {
            a.bind(new InetSocketAddress(LOOPBACK, 0));
            b.bind(new InetSocketAddress(LOOPBACK, 0));
            byte[] data = new byte[200];
            for (int i = 0; i < data.length; i++) {
                data[i] = (byte) i;
            }
            b.socket().send(new DatagramPacket(data, 50, 100, a.getLocalAddress()));
            byte[] buf = new byte[300];
            java.util.Arrays.fill(buf, (byte) 0x7f);
            DatagramPacket in = new DatagramPacket(buf, 100, 150);
            a.socket().receive(in);
            assertEquals(100, in.getLength());
            assertArrayEquals(java.util.Arrays.copyOfRange(data, 50, 150), java.util.Arrays.copyOfRange(buf, 100, 200));
            assertEquals((byte) 0x7f, buf[99], "nothing written before the offset");
            assertEquals((byte) 0x7f, buf[200], "nothing written past the datagram");
        }
    }
}
