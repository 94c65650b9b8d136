package dev.isthmus.stack.examples;

import dev.isthmus.stack.NetworkStack;
import dev.isthmus.stack.NetworkStacks;
import dev.isthmus.stack.StackOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The UDP echo example over the JDK nio stack and loopback: one channel per worker, on consecutive ports. */
@Timeout(60)
class UdpEchoServerTest {

    @Test
    void everyWorkersPortEchoesEachDatagramToItsSender() throws Exception {
        NetworkStack stack = NetworkStacks.open("nio", StackOptions.defaults().withWorkers(2));
        InetAddress lo = InetAddress.getLoopbackAddress();
        try (UdpEchoServer echo = UdpEchoServer.open(stack, lo, 0, 2);
             DatagramChannel a = DatagramChannel.open().bind(new InetSocketAddress(lo, 0));
             DatagramChannel b = DatagramChannel.open().bind(new InetSocketAddress(lo, 0))) {
            assertEquals(2, echo.channels());
            int sent = 0;
            for (int port = echo.firstPort(); port < echo.firstPort() + 2; port++) {
                for (DatagramChannel c : new DatagramChannel[] {a, b}) {
                    for (int size : new int[] {1, 64, 1472}) {
                        byte[] d = new byte[size];
                        Arrays.fill(d, (byte) (size + port));
                        c.send(ByteBuffer.wrap(d), new InetSocketAddress(lo, port));
                        sent++;
                        ByteBuffer back = ByteBuffer.allocate(2048);
                        InetSocketAddress from = (InetSocketAddress) receive(c, back);
                        assertEquals(port, from.getPort(), "the echo comes from the port it was sent to");
                        back.flip();
                        byte[] got = new byte[back.remaining()];
                        back.get(got);
                        assertArrayEquals(d, got, size + " bytes to port " + port);
                    }
                }
            }
            assertEquals(sent, echo.echoed());
            assertEquals(0, echo.dropped());
        } finally {
            stack.close(Duration.ofSeconds(2));
        }
    }

    @Test
    void moreChannelsThanWorkersIsRefused() throws Exception {
        NetworkStack stack = NetworkStacks.open("nio", StackOptions.defaults().withWorkers(1));
        try {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> UdpEchoServer.open(stack, InetAddress.getLoopbackAddress(), 0, 2));
            assertTrue(e.getMessage().contains("one per worker"), e.getMessage());
        } finally {
            stack.close(Duration.ofSeconds(2));
        }
    }

    /** receive(2) with a timeout: a blocking DatagramChannel's receive does not honour SO_TIMEOUT. */
    private static java.net.SocketAddress receive(DatagramChannel c, ByteBuffer into) throws IOException {
        c.configureBlocking(false);
        long end = System.nanoTime() + 5_000_000_000L;
        while (System.nanoTime() < end) {
            java.net.SocketAddress from = c.receive(into);
            if (from != null) {
                return from;
            }
            Thread.onSpinWait();
        }
        throw new SocketTimeoutException("no echo within 5 s");
    }
}
