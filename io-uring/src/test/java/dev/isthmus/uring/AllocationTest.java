package dev.isthmus.uring;

import dev.isthmus.stack.ListenOptions;
import dev.isthmus.stack.Listener;
import dev.isthmus.stack.NetworkStack;
import dev.isthmus.stack.NetworkStacks;
import dev.isthmus.stack.StackOptions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * No allocation per request: 64-byte ping-pong over loopback against the echo handler, reading the
 * worker thread's allocated bytes (com.sun.management.ThreadMXBean) before and after the measured run.
 * {@code -Disthmus.alloc.requests=1000000} for the full million.
 */
class AllocationTest {
    static final long BYTES_PER_REQUEST_BOUND = 8;

    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void steadyStateAllocatesNothingPerRequest() throws Exception {
        Assumptions.assumeTrue(IoUring.AVAILABLE);
        int requests = Integer.getInteger("isthmus.alloc.requests", 200_000);
        var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        try (NetworkStack s = NetworkStacks.open("io_uring", StackOptions.defaults().withWorkers(1));
             Listener l = s.listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), ListenOptions.defaults(),
                     UringStackTest.Echo::new);
             SocketChannel ch = SocketChannel.open(l.localAddress())) {
            long[] tid = new long[1];
            java.util.concurrent.CountDownLatch d = new java.util.concurrent.CountDownLatch(1);
            s.workers().get(0).execute(() -> {
                tid[0] = Thread.currentThread().threadId();
                d.countDown();
            });
            assertTrue(d.await(5, TimeUnit.SECONDS));
            ByteBuffer out = ByteBuffer.allocateDirect(64);
            ByteBuffer in = ByteBuffer.allocateDirect(64);
            pingPong(ch, out, in, 50_000);
            long before = mx.getThreadAllocatedBytes(tid[0]);
            long t0 = System.nanoTime();
            pingPong(ch, out, in, requests);
            long t1 = System.nanoTime();
            long after = mx.getThreadAllocatedBytes(tid[0]);
            double perRequest = (double) (after - before) / requests;
            System.out.printf("io_uring worker allocated %d bytes over %d requests: %.3f B/request (%.1f us/round trip)%n",
                    after - before, requests, perRequest, (t1 - t0) / 1e3 / requests);
            assertTrue(perRequest < BYTES_PER_REQUEST_BOUND, "worker allocated " + perRequest + " bytes per request");
        }
    }

    private static void pingPong(SocketChannel ch, ByteBuffer out, ByteBuffer in, int n) throws Exception {
        for (int i = 0; i < n; i++) {
            out.clear();
            out.putInt(0, i);
            while (out.hasRemaining()) {
                ch.write(out);
            }
            in.clear();
            while (in.hasRemaining()) {
                if (ch.read(in) < 0) {
                    throw new AssertionError("EOF");
                }
            }
            assertEquals(i, in.getInt(0));
        }
    }
}
