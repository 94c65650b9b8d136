package dev.isthmus.epoll;

import dev.isthmus.stack.NetworkStack;
import dev.isthmus.stack.NetworkStacks;
import dev.isthmus.stack.StackOptions;
import dev.isthmus.stack.UdpChannel;
import dev.isthmus.stack.UdpOptions;
import dev.isthmus.stack.spi.AbstractNetworkStack;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** epoll sends a batch of datagrams with sendmmsg(2): one system call for up to 64 of them. */
@Timeout(30)
class UdpBatchTest {

    @Test
    void sixtyFourDatagramsTakeOneSystemCall() throws Exception {
        InetAddress lo = InetAddress.getLoopbackAddress();
        try (NetworkStack stack = NetworkStacks.open("epoll", StackOptions.defaults().withWorkers(1));
             Arena arena = Arena.ofShared();
             DatagramSocket peer = new DatagramSocket(new InetSocketAddress(lo, 0))) {
            peer.setReceiveBufferSize(1 << 20);
            peer.setSoTimeout(10_000);
            UdpChannel ch = stack.openUdp(new InetSocketAddress(lo, 0), UdpOptions.defaults(), (c, s, d, t) -> { });
            SocketAddress[] to = new SocketAddress[EpollUdpChannel.SEND_BATCH];
            MemorySegment[] data = new MemorySegment[to.length];
            Arrays.fill(to, peer.getLocalSocketAddress());
            for (int i = 0; i < data.length; i++) {
                data[i] = arena.allocate(4).fill((byte) i);
            }
            long[] syscalls = new long[2];
            int sent = AbstractNetworkStack.callAndWait((dev.isthmus.stack.spi.AbstractWorker) ch.worker(), () -> {
                syscalls[0] = ch.worker().stats().syscalls();
                int n = ch.send(to, data, data.length);
                syscalls[1] = ch.worker().stats().syscalls();
                return n;
            });
            assertEquals(data.length, sent);
            assertEquals(1, syscalls[1] - syscalls[0], "a full batch must be one sendmmsg");
            for (int i = 0; i < data.length; i++) {
                DatagramPacket p = new DatagramPacket(new byte[16], 16);
                peer.receive(p);
                assertEquals(4, p.getLength());
                assertTrue(p.getData()[0] == (byte) i, "datagram " + i + " out of order");
            }
            ch.close();
        }
    }
}
