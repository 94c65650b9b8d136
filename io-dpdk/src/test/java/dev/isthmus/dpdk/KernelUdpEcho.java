package dev.isthmus.dpdk;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;

/**
 * A kernel UDP socket that echoes every datagram to its sender, run inside the test's namespace in a JVM
 * of its own ({@code ip netns exec}): prints "ready" once bound, stops after {@code args[2]} seconds.
 */
public final class KernelUdpEcho {
    private KernelUdpEcho() {
    }

    public static void main(String[] args) throws Exception {
        long end = System.nanoTime() + Long.parseLong(args[2]) * 1_000_000_000L;
        try (DatagramChannel ch = DatagramChannel.open()) {
            ch.bind(new InetSocketAddress(InetAddress.getByName(args[0]), Integer.parseInt(args[1])));
            ch.configureBlocking(false);
            System.out.println("ready");
            System.out.flush();
            ByteBuffer buf = ByteBuffer.allocateDirect(65536);
            while (System.nanoTime() < end) {
                buf.clear();
                var from = ch.receive(buf);
                if (from == null) {
                    Thread.sleep(1);
                    continue;
                }
                buf.flip();
                ch.send(buf, from);
            }
        }
    }
}
