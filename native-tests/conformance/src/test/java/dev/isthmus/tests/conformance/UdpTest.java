package dev.isthmus.tests.conformance;

import dev.isthmus.stack.Capability;
import dev.isthmus.stack.DatagramHandler;
import dev.isthmus.stack.NetworkStack;
import dev.isthmus.stack.UdpChannel;
import dev.isthmus.stack.UdpOptions;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static dev.isthmus.tests.conformance.Fixtures.WAIT;
import static org.junit.jupiter.api.Assertions.*;

/** UDP send and receive, and a datagram longer than the receive size. */
@ExtendWith(LeakCheck.class)
@Timeout(60)
class UdpTest {

    static List<StackUnderTest> stacks() {
        return StackUnderTest.all();
    }

    record Got(InetSocketAddress sender, byte[] data, boolean truncated, boolean onWorker) {
    }

    static final class Queue implements DatagramHandler {
        final BlockingQueue<Got> got = new LinkedBlockingQueue<>();

        @Override
        public void onDatagram(UdpChannel ch, InetSocketAddress sender, MemorySegment data, boolean truncated) {
            got.add(new Got(sender, data.toArray(ValueLayout.JAVA_BYTE), truncated, ch.worker().inWorkerThread()));
        }

        Got take() throws InterruptedException {
            Got g = got.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertNotNull(g, "no datagram within " + WAIT);
            assertTrue(g.onWorker, "onDatagram must run on the channel's worker");
            return g;
        }
    }

    private static void send(UdpChannel ch, InetSocketAddress to, byte[] bytes) throws Exception {
        Fixtures.onWorker(ch.worker(), () -> {
            ch.send(to, MemorySegment.ofArray(bytes));
            return null;
        });
    }

    @ParameterizedTest(name = "[{0}] UDP send and receive, on the stack and with a DatagramSocket peer")
    @MethodSource("stacks")
    void sendReceive(StackUnderTest sut) throws Exception {
        try (NetworkStack stack = sut.open(2)) {
            StackUnderTest.assumeCapabilities(stack, Capability.UDP);
            Queue qa = new Queue();
            Queue qb = new Queue();
            try (UdpChannel a = stack.openUdp(new InetSocketAddress(sut.ipv4(), 0), UdpOptions.defaults().withWorker(0), qa);
                 UdpChannel b = stack.openUdp(new InetSocketAddress(sut.ipv4(), 0), UdpOptions.defaults().withWorker(1), qb);
                 DatagramSocket peer = new DatagramSocket(new InetSocketAddress(sut.peerIpv4(), 0))) {
                InetSocketAddress aAddr = (InetSocketAddress) a.localAddress();
                InetSocketAddress bAddr = (InetSocketAddress) b.localAddress();
                assertNotEquals(0, aAddr.getPort(), "ephemeral UDP port");
                assertEquals(0, a.worker().index());
                assertEquals(1, b.worker().index());
                send(a, bAddr, new byte[]{1, 2, 3});
                Got g = qb.take();
                assertArrayEquals(new byte[]{1, 2, 3}, g.data);
                assertFalse(g.truncated);
                assertEquals(aAddr, g.sender, "sender address");
                // A zero-length datagram is a datagram too.
                send(b, aAddr, new byte[0]);
                assertEquals(0, qa.take().data.length);

                peer.setSoTimeout((int) WAIT.toMillis());
                send(a, (InetSocketAddress) peer.getLocalSocketAddress(), "to java".getBytes());
                DatagramPacket p = new DatagramPacket(new byte[100], 100);
                peer.receive(p);
                assertEquals("to java", new String(p.getData(), 0, p.getLength()));
                assertEquals(aAddr, p.getSocketAddress());
                peer.send(new DatagramPacket("from java".getBytes(), 9, aAddr));
                Got g2 = qa.take();
                assertEquals("from java", new String(g2.data));
                assertEquals(peer.getLocalSocketAddress(), g2.sender);
            }
        }
    }

    @ParameterizedTest(name = "[{0}] UDP datagram longer than maxDatagramSize arrives truncated")
    @MethodSource("stacks")
    void truncated(StackUnderTest sut) throws Exception {
        try (NetworkStack stack = sut.open(1)) {
            StackUnderTest.assumeCapabilities(stack, Capability.UDP);
            Queue q = new Queue();
            try (UdpChannel small = stack.openUdp(new InetSocketAddress(sut.ipv4(), 0),
                    UdpOptions.defaults().withMaxDatagramSize(100), q);
                 DatagramSocket peer = new DatagramSocket(new InetSocketAddress(sut.peerIpv4(), 0))) {
                byte[] big = new byte[1000];
                for (int i = 0; i < big.length; i++) {
                    big[i] = (byte) i;
                }
                peer.send(new DatagramPacket(big, big.length, small.localAddress()));
                Got g = q.take();
                assertTrue(g.truncated, "1000 bytes into a 100-byte receive must say truncated");
                assertArrayEquals(java.util.Arrays.copyOf(big, 100), g.data, "the datagram's start");
                peer.send(new DatagramPacket(big, 100, small.localAddress()));
                Got exact = q.take();
                assertFalse(exact.truncated, "exactly maxDatagramSize is not truncated");
                assertEquals(100, exact.data.length);
            }
        }
    }

    @ParameterizedTest(name = "[{0}] UDP batch send: 100 datagrams in order, native and heap memory")
    @MethodSource("stacks")
    void batchSend(StackUnderTest sut) throws Exception {
        try (NetworkStack stack = sut.open(1);
             java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofShared()) {
            StackUnderTest.assumeCapabilities(stack, Capability.UDP);
            Queue q = new Queue();
            try (UdpChannel a = stack.openUdp(new InetSocketAddress(sut.ipv4(), 0), UdpOptions.defaults(), q);
                 DatagramSocket peer = new DatagramSocket(new InetSocketAddress(sut.peerIpv4(), 0))) {
                peer.setReceiveBufferSize(1 << 20);
                peer.setSoTimeout((int) WAIT.toMillis());
                int count = 100;
                java.net.SocketAddress[] to = new java.net.SocketAddress[count];
                MemorySegment[] data = new MemorySegment[count];
                for (int i = 0; i < count; i++) {
                    to[i] = peer.getLocalSocketAddress();
                    // Native memory (the batched path) except one heap segment in the second call.
                    data[i] = arena.allocate(8);
                    data[i].set(ValueLayout.JAVA_INT, 0, i);
                    data[i].set(ValueLayout.JAVA_INT, 4, ~i);
                }
                int first = Fixtures.onWorker(a.worker(), () -> a.send(to, data, 70));
                assertEquals(70, first, "datagrams the kernel took");
                MemorySegment[] rest = java.util.Arrays.copyOfRange(data, 70, count);
                rest[5] = MemorySegment.ofArray(rest[5].toArray(ValueLayout.JAVA_BYTE));
                int second = Fixtures.onWorker(a.worker(),
                        () -> a.send(java.util.Arrays.copyOfRange(to, 70, count), rest, count - 70));
                assertEquals(count - 70, second);
                byte[] buf = new byte[64];
                for (int i = 0; i < count; i++) {
                    DatagramPacket p = new DatagramPacket(buf, buf.length);
                    peer.receive(p);
                    assertEquals(8, p.getLength());
                    java.nio.ByteBuffer bb = java.nio.ByteBuffer.wrap(buf, 0, 8).order(java.nio.ByteOrder.nativeOrder());
                    assertEquals(i, bb.getInt(), "datagram order");
                    assertEquals(~i, bb.getInt());
                }
                assertThrows(IllegalArgumentException.class,
                        () -> Fixtures.onWorker(a.worker(), () -> a.send(to, data, count + 1)));
            }
        }
    }
}
