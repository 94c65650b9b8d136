package dev.isthmus.epoll;

import dev.isthmus.stack.ListenOptions;
import dev.isthmus.stack.Listener;
import dev.isthmus.stack.examples.HttpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The steady state allocates nothing per request: the HTTP example on one epoll worker answers
 * keep-alive requests, one in flight (so every request is its own epoll_wait, read and writev), and the
 * worker thread's allocated bytes (com.sun.management.ThreadMXBean) are compared before and after.
 * {@code -Disthmus.alloc.requests=1000000} for a longer run.
 */
@Timeout(300)
class AllocationPerRequestTest {
    private static final byte[] REQUEST = "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final String EXPECTED = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 13\r\n\r\nHello, World!";
    private static final int REPLY = EXPECTED.length();

    @Test
    void httpKeepAliveAllocatesNothingPerRequest() throws Exception {
        int warmup = Integer.getInteger("isthmus.alloc.warmup", 100_000);
        int requests = Integer.getInteger("isthmus.alloc.requests", 300_000);
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        try (EpollNetworkStack stack = EpollTesting.open(1)) {
            EpollWorker w = stack.epollWorker(0);
            long tid = EpollTesting.on(w, () -> Thread.currentThread().threadId());
            try (Listener l = stack.listen(EpollTesting.loopback(),
                    ListenOptions.defaults().withSocketOption(StandardSocketOptions.TCP_NODELAY, true), HttpServer::new);
                 SocketChannel ch = SocketChannel.open((InetSocketAddress) l.localAddress())) {
                ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
                ByteBuffer req = ByteBuffer.allocateDirect(REQUEST.length).put(REQUEST);
                ByteBuffer reply = ByteBuffer.allocateDirect(REPLY);
                roundTrips(ch, req, reply, warmup);
                long before = mx.getThreadAllocatedBytes(tid);
                roundTrips(ch, req, reply, requests);
                long after = mx.getThreadAllocatedBytes(tid);
                double perRequest = (double) (after - before) / requests;
                System.out.printf("epoll worker allocation: %d bytes over %d HTTP requests = %.4f bytes/request%n",
                        after - before, requests, perRequest);
                assertTrue(perRequest < 1.0, "worker allocated " + (after - before) + " bytes for " + requests
                        + " requests (" + perRequest + " bytes/request)");
                byte[] got = new byte[REPLY];
                reply.flip().get(got);
                assertEquals(EXPECTED, new String(got, StandardCharsets.US_ASCII), "the last reply");
            }
        }
    }

    private static void roundTrips(SocketChannel ch, ByteBuffer req, ByteBuffer reply, int n) throws Exception {
        for (int i = 0; i < n; i++) {
            req.clear();
            while (req.hasRemaining()) {
                ch.write(req);
            }
            reply.clear();
            while (reply.hasRemaining()) {
                if (ch.read(reply) < 0) {
                    throw new java.io.EOFException("server closed after " + i + " requests");
                }
            }
        }
    }
}
