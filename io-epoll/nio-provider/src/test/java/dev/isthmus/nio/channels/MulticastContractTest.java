package dev.isthmus.nio.channels;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ProtocolFamily;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.MembershipKey;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.spi.SelectorProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * MulticastChannel's documented behaviour on the loopback interface, run on the JDK's provider and on ours with
 * an AF_INET and a dual-stack (AF_INET6) channel: membership keys (same key on a second join, the any-source /
 * source-specific conflicts, block/unblock rules, drop, invalid after close), the argument checks, the
 * IP_MULTICAST_* options, and datagrams to a group joined on loopback, looped back to this host. Traffic between
 * two hosts is {@link MulticastNamespaceTest}.
 */
class MulticastContractTest {
    private static final InetAddress GROUP4 = address("239.255.71.1");
    private static final InetAddress GROUP4B = address("239.255.71.2");
    private static final InetAddress GROUP6 = address("ff02::4711");
    private static final InetAddress SOURCE4 = address("198.18.0.9");
    private static final InetAddress SOURCE4B = address("198.18.0.10");
    private static final InetAddress SOURCE6 = address("2001:db8::9");

    record Case(SelectorProvider provider, ProtocolFamily family) {
        DatagramChannel open() throws IOException {
            return family == null ? provider.openDatagramChannel() : provider.openDatagramChannel(family);
        }

        @Override
        public String toString() {
            return provider.getClass().getSimpleName() + "/" + (family == null ? "default" : family);
        }
    }

    static Stream<Case> cases() {
        SelectorProvider jdk = SelectorProvider.provider();
        if (jdk instanceof IsthmusSelectorProvider) {
            throw new IllegalStateException("the test JVM must run on the JDK's default provider");
        }
        List<Case> l = new ArrayList<>();
        for (SelectorProvider p : List.of(jdk, new IsthmusSelectorProvider())) {
            l.add(new Case(p, StandardProtocolFamily.INET));
            l.add(new Case(p, null));
        }
        return l.stream();
    }

    private static InetAddress address(String s) {
        try {
            return InetAddress.getByName(s);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private static NetworkInterface lo() throws IOException {
        return NetworkInterface.getByInetAddress(InetAddress.getByName("127.0.0.1"));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void joinTwiceGivesTheSameKeyAndDropInvalidatesIt(Case c) throws IOException {
        try (DatagramChannel ch = c.open()) {
            NetworkInterface lo = lo();
            MembershipKey k = ch.join(GROUP4, lo);
            assertTrue(k.isValid());
            assertSame(ch, k.channel());
            assertEquals(GROUP4, k.group());
            assertEquals(lo, k.networkInterface());
            assertNull(k.sourceAddress());
            assertSame(k, ch.join(GROUP4, lo), "a second join returns the existing key");
            MembershipKey other = ch.join(GROUP4B, lo);
            assertFalse(k == other);
            k.drop();
            assertFalse(k.isValid());
            k.drop(); // a no-op on an invalid key
            assertTrue(other.isValid());
            MembershipKey again = ch.join(GROUP4, lo);
            assertTrue(again.isValid());
            assertFalse(again == k, "a join after drop is a new membership");
        }
    }

    @ParameterizedTest
    @MethodSource("cases")
    void anySourceAndSourceSpecificMembershipsExcludeEachOther(Case c) throws IOException {
        try (DatagramChannel ch = c.open()) {
            NetworkInterface lo = lo();
            MembershipKey any = ch.join(GROUP4, lo);
            assertThrows(IllegalStateException.class, () -> ch.join(GROUP4, lo, SOURCE4));
            any.drop();
            MembershipKey ssm = ch.join(GROUP4, lo, SOURCE4);
            assertEquals(SOURCE4, ssm.sourceAddress());
            assertSame(ssm, ch.join(GROUP4, lo, SOURCE4));
            MembershipKey ssm2 = ch.join(GROUP4, lo, SOURCE4B);
            assertFalse(ssm == ssm2, "another source is another key");
            assertThrows(IllegalStateException.class, () -> ch.join(GROUP4, lo));
            assertThrows(IllegalStateException.class, () -> ssm.block(SOURCE4B), "source-specific keys cannot block");
            ssm.drop();
            ssm2.drop();
            assertTrue(ch.join(GROUP4, lo).isValid());
        }
    }

    @ParameterizedTest
    @MethodSource("cases")
    void blockAndUnblock(Case c) throws IOException {
        try (DatagramChannel ch = c.open()) {
            MembershipKey k = ch.join(GROUP4, lo());
            assertThrows(IllegalStateException.class, () -> k.unblock(SOURCE4), "not blocked");
            assertSame(k, k.block(SOURCE4));
            assertSame(k, k.block(SOURCE4), "blocking twice is a no-op");
            assertSame(k, k.unblock(SOURCE4));
            assertThrows(IllegalStateException.class, () -> k.unblock(SOURCE4));
            assertThrows(IllegalArgumentException.class, () -> k.block(InetAddress.getByName("0.0.0.0")));
            assertThrows(IllegalArgumentException.class, () -> k.block(GROUP4B));
            k.block(SOURCE4B);
            k.drop();
            assertThrows(IllegalStateException.class, () -> k.block(SOURCE4));
            assertThrows(IllegalStateException.class, () -> k.unblock(SOURCE4B));
        }
    }

    @ParameterizedTest
    @MethodSource("cases")
    void argumentChecks(Case c) throws IOException {
        try (DatagramChannel ch = c.open()) {
            NetworkInterface lo = lo();
            assertThrows(IllegalArgumentException.class, () -> ch.join(InetAddress.getByName("198.18.0.1"), lo));
            assertThrows(NullPointerException.class, () -> ch.join(GROUP4, lo, null));
            assertThrows(IllegalArgumentException.class, () -> ch.join(GROUP4, lo, InetAddress.getByName("0.0.0.0")));
            assertThrows(IllegalArgumentException.class, () -> ch.join(GROUP4, lo, GROUP4B));
            assertThrows(IllegalArgumentException.class, () -> ch.join(GROUP4, lo, SOURCE6));
            if (c.family() == StandardProtocolFamily.INET) {
                assertThrows(IllegalArgumentException.class, () -> ch.join(GROUP6, lo));
            } else {
                MembershipKey k6 = ch.join(GROUP6, lo);
                assertEquals(GROUP6, k6.group());
                assertSame(k6, ch.join(GROUP6, lo));
                assertThrows(IllegalArgumentException.class, () -> ch.join(GROUP6, lo, SOURCE4));
                MembershipKey s6 = ch.join(address("ff0e::4712"), lo, SOURCE6);
                s6.drop();
                k6.block(SOURCE6);
                k6.unblock(SOURCE6);
                k6.drop();
                assertFalse(k6.isValid());
            }
        }
    }

    @ParameterizedTest
    @MethodSource("cases")
    void closeInvalidatesKeysAndRefusesJoins(Case c) throws IOException {
        DatagramChannel ch = c.open();
        MembershipKey k = ch.join(GROUP4, lo());
        ch.close();
        assertFalse(k.isValid());
        k.drop();
        assertThrows(ClosedChannelException.class, () -> ch.join(GROUP4, lo()));
        assertThrows(ClosedChannelException.class, () -> ch.getOption(StandardSocketOptions.IP_MULTICAST_TTL));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void multicastOptions(Case c) throws IOException {
        try (DatagramChannel ch = c.open()) {
            assertTrue(ch.supportedOptions().contains(StandardSocketOptions.IP_MULTICAST_IF));
            assertTrue(ch.supportedOptions().contains(StandardSocketOptions.IP_MULTICAST_TTL));
            assertTrue(ch.supportedOptions().contains(StandardSocketOptions.IP_MULTICAST_LOOP));
            assertNull(ch.getOption(StandardSocketOptions.IP_MULTICAST_IF), "the routing table chooses by default");
            assertEquals(1, ch.getOption(StandardSocketOptions.IP_MULTICAST_TTL));
            assertEquals(true, ch.getOption(StandardSocketOptions.IP_MULTICAST_LOOP));
            ch.setOption(StandardSocketOptions.IP_MULTICAST_TTL, 7);
            assertEquals(7, ch.getOption(StandardSocketOptions.IP_MULTICAST_TTL));
            ch.setOption(StandardSocketOptions.IP_MULTICAST_LOOP, false);
            assertEquals(false, ch.getOption(StandardSocketOptions.IP_MULTICAST_LOOP));
            ch.setOption(StandardSocketOptions.IP_MULTICAST_IF, lo());
            assertEquals(lo(), ch.getOption(StandardSocketOptions.IP_MULTICAST_IF));
            assertThrows(IllegalArgumentException.class, () -> ch.setOption(StandardSocketOptions.IP_MULTICAST_TTL, 256));
            assertThrows(IllegalArgumentException.class, () -> ch.setOption(StandardSocketOptions.IP_MULTICAST_TTL, -1));
            assertThrows(IllegalArgumentException.class, () -> ch.setOption(StandardSocketOptions.IP_MULTICAST_IF, null));
            assertEquals(7, ch.getOption(StandardSocketOptions.IP_MULTICAST_TTL));
        }
    }

    /**
     * A datagram to a group joined on loopback reaches the member (looped back: IP_MULTICAST_LOOP), is seen by
     * the selector, and stops arriving once the membership is dropped; a blocked source is filtered.
     */
    @ParameterizedTest
    @MethodSource("cases")
    void datagramsToAGroupJoinedOnLoopback(Case c) throws IOException {
        NetworkInterface lo = lo();
        try (DatagramChannel rx = c.open(); DatagramChannel tx = c.open(); Selector sel = c.provider().openSelector()) {
            rx.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            rx.bind(new InetSocketAddress(0));
            int port = ((InetSocketAddress) rx.getLocalAddress()).getPort();
            MembershipKey k = rx.join(GROUP4, lo);
            rx.configureBlocking(false);
            rx.register(sel, SelectionKey.OP_READ);
            tx.setOption(StandardSocketOptions.IP_MULTICAST_IF, lo);
            tx.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
            InetSocketAddress to = new InetSocketAddress(GROUP4, port);
            assertEquals(5, tx.send(ByteBuffer.wrap("hello".getBytes()), to));
            assertEquals(1, sel.select(10_000));
            ByteBuffer b = ByteBuffer.allocate(100);
            InetSocketAddress from = (InetSocketAddress) rx.receive(b);
            assertEquals("hello", new String(b.array(), 0, b.position()));
            assertEquals(tx.getLocalAddress(), normalize(from));
            sel.selectedKeys().clear();

            // (our selector may report the key once more: its readiness is cleared when a receive meets EAGAIN)
            k.block(InetAddress.getByName("127.0.0.1"));
            tx.send(ByteBuffer.wrap("blocked".getBytes()), to);
            sel.select(300);
            b.clear();
            assertNull(rx.receive(b), "a blocked source's datagram is filtered");
            k.unblock(InetAddress.getByName("127.0.0.1"));
            tx.send(ByteBuffer.wrap("unblocked".getBytes()), to);
            assertEquals("unblocked", receive(rx, sel, b));
            k.drop();
            tx.send(ByteBuffer.wrap("dropped".getBytes()), to);
            sel.select(300);
            b.clear();
            assertNull(rx.receive(b), "no datagram after drop");
        }
    }

    /** The next datagram, waiting for it through the selector (at most 10 s). */
    private static String receive(DatagramChannel rx, Selector sel, ByteBuffer b) throws IOException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            sel.select(1000);
            sel.selectedKeys().clear();
            b.clear();
            if (rx.receive(b) != null) {
                return new String(b.array(), 0, b.position());
            }
        }
        throw new AssertionError("no datagram in 10 s");
    }

    /** An IPv4-mapped source (a dual-stack socket) as the plain IPv4 address, to compare with getLocalAddress. */
    private static InetSocketAddress normalize(InetSocketAddress a) throws IOException {
        return new InetSocketAddress(InetAddress.getByAddress(a.getAddress().getAddress()), a.getPort());
    }
}
