package dev.isthmus.nio.channels;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousServerSocketChannel;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.CompletionHandler;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How {@link UringSocketChannel} starts a read or a write: one system call on the initiating thread first (a write
 * always, a read when the socket is known to hold bytes), an io_uring request only when that meets EAGAIN. The
 * group's SQE count ({@link UringChannelGroup#submitted()}, updated by the ring thread before it completes any
 * request) tells the two apart.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class UringDirectTransferTest {
    private static final long WAIT_S = 20;

    private UringChannelGroup group;
    private AsynchronousSocketChannel client;
    private AsynchronousSocketChannel peer;

    @BeforeEach
    void connect() throws Exception {
        IsthmusAsynchronousChannelProvider p = new IsthmusAsynchronousChannelProvider(AsyncBackend.IO_URING);
        group = (UringChannelGroup) p.openAsynchronousChannelGroup(1, Executors.defaultThreadFactory());
        AsynchronousServerSocketChannel server = p.openAsynchronousServerSocketChannel(group)
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        Future<AsynchronousSocketChannel> accept = server.accept();
        client = p.openAsynchronousSocketChannel(group);
        client.connect(server.getLocalAddress()).get(WAIT_S, TimeUnit.SECONDS);
        peer = accept.get(WAIT_S, TimeUnit.SECONDS);
        server.close();
    }

    @AfterEach
    void shutdown() throws Exception {
        group.shutdownNow();
        assertTrue(group.awaitTermination(WAIT_S, TimeUnit.SECONDS));
    }

    @Test
    void aWriteThatFindsRoomEndsInTheInitiatingCallWithoutARequest() throws Exception {
        long before = group.submitted();
        ByteBuffer direct = ByteBuffer.allocateDirect(6).put("direct".getBytes()).flip();
        for (ByteBuffer b : new ByteBuffer[] {ByteBuffer.wrap("heap".getBytes()), direct}) {
            Future<Integer> w = client.write(b);
            assertTrue(w.isDone(), "the write ended within the call");
            assertEquals(b.limit(), w.get());
        }
        ByteBuffer[] gather = {ByteBuffer.wrap("ga".getBytes()), ByteBuffer.allocateDirect(4).put("ther".getBytes()).flip()};
        CompletableFuture<Long> g = new CompletableFuture<>();
        client.write(gather, 0, 2, 0, TimeUnit.SECONDS, null, handler(g));
        assertEquals(6L, g.get(WAIT_S, TimeUnit.SECONDS));
        assertEquals(before, group.submitted(), "SQEs for writes that found room");
        ByteBuffer in = ByteBuffer.allocate(16);
        while (in.position() < 16) {
            assertTrue(peer.read(in).get(WAIT_S, TimeUnit.SECONDS) > 0);
        }
        assertEquals("heapdirectgather", new String(in.array()));
    }

    @Test
    void aReadWaitingForBytesIsARequestAndOneFindingBytesLeftBehindIsNot() throws Exception {
        long before = group.submitted();
        ByteBuffer first = ByteBuffer.allocate(10);
        Future<Integer> r = peer.read(first); // nothing sent yet: the read must wait, as a request
        byte[] data = new byte[100];
        new Random(7).nextBytes(data);
        ByteBuffer out = ByteBuffer.wrap(data);
        while (out.hasRemaining()) {
            client.write(out).get(WAIT_S, TimeUnit.SECONDS);
        }
        assertEquals(10, r.get(WAIT_S, TimeUnit.SECONDS));
        long afterFirst = group.submitted();
        assertTrue(afterFirst > before, "the waiting read was a request");
        // the first read's CQE said bytes were left (IORING_CQE_F_SOCK_NONEMPTY), and each full read says so
        // again: the next nine reads each end in read(2) on this thread
        ByteBuffer all = ByteBuffer.allocate(100).put(first.flip());
        for (int i = 1; i < 10; i++) {
            ByteBuffer b = ByteBuffer.allocate(10);
            Future<Integer> n = peer.read(b);
            assertTrue(n.isDone(), "read " + i + " ended within the call");
            assertEquals(10, n.get());
            all.put(b.flip());
        }
        assertEquals(afterFirst, group.submitted(), "SQEs for reads that found bytes");
        assertArrayEquals(data, all.array());
    }

    @Test
    void aWriteLargerThanTheSocketBuffersEndsThroughTheRingWithEveryByteDelivered() throws Exception {
        client.setOption(StandardSocketOptions.SO_SNDBUF, 16 * 1024);
        peer.setOption(StandardSocketOptions.SO_RCVBUF, 16 * 1024);
        byte[] data = new byte[4 << 20];
        new Random(16).nextBytes(data);
        ByteBuffer src = ByteBuffer.allocateDirect(data.length).put(data).flip();
        CompletableFuture<Void> written = new CompletableFuture<>();
        client.write(src, 0, TimeUnit.SECONDS, null, new CompletionHandler<Integer, Void>() {
            @Override
            public void completed(Integer n, Void a) {
                if (src.hasRemaining()) {
                    client.write(src, 0, TimeUnit.SECONDS, null, this);
                } else {
                    written.complete(null);
                }
            }

            @Override
            public void failed(Throwable t, Void a) {
                written.completeExceptionally(t);
            }
        });
        Thread.sleep(300); // the peer reads nothing yet: the socket buffers fill and a write meets EAGAIN
        assertFalse(written.isDone(), "4 MiB fitted in the socket buffers");
        assertTrue(((UringSocketChannel) client).inFlight(false), "the write that met a full socket became a request");
        ByteBuffer in = ByteBuffer.allocate(data.length);
        while (in.hasRemaining()) {
            assertTrue(peer.read(in).get(WAIT_S, TimeUnit.SECONDS) > 0);
        }
        written.get(WAIT_S, TimeUnit.SECONDS);
        assertArrayEquals(data, in.array());
    }

    private static <V> CompletionHandler<V, Void> handler(CompletableFuture<V> f) {
        return new CompletionHandler<>() {
            @Override
            public void completed(V v, Void a) {
                f.complete(v);
            }

            @Override
            public void failed(Throwable t, Void a) {
                f.completeExceptionally(t);
            }
        };
    }
}
