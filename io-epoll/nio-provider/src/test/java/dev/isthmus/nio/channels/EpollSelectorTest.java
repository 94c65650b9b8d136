package dev.isthmus.nio.channels;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What is particular to our selector, beyond the contract both providers share. */
class EpollSelectorTest {
    private final IsthmusSelectorProvider provider = new IsthmusSelectorProvider();

    /** The point of the design: a channel is added to epoll once; interest changes make no epoll_ctl. */
    @Test
    void interestChangesMakeNoEpollCtl() throws IOException {
        try (ServerSocketChannel server = provider.openServerSocketChannel();
             EpollSelector sel = (EpollSelector) provider.openSelector()) {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            try (SocketChannel c = provider.openSocketChannel(); SocketChannel a = connect(server, c)) {
                c.configureBlocking(false);
                SelectionKey k = c.register(sel, SelectionKey.OP_READ);
                assertEquals(1, sel.channelCtls(), "one EPOLL_CTL_ADD");
                for (int i = 0; i < 1000; i++) {
                    k.interestOps(i % 2 == 0 ? SelectionKey.OP_WRITE : SelectionKey.OP_READ);
                    int n = sel.selectNow();
                    assertEquals(i % 2 == 0 ? 1 : 0, n, "round " + i);
                    sel.selectedKeys().clear();
                }
                assertEquals(1, sel.channelCtls(), "still one epoll_ctl after 1000 interest changes");
                k.cancel();
                sel.selectNow();
                assertEquals(2, sel.channelCtls(), "and one EPOLL_CTL_DEL on deregistration");
            }
        }
    }

    private static SocketChannel connect(ServerSocketChannel server, SocketChannel c) throws IOException {
        c.connect(server.getLocalAddress());
        return server.accept();
    }

    /**
     * One selector thread echoes for 8 clients that each send 2000 messages of random sizes (1..1400 bytes)
     * from their own threads, waiting for each echo: short reads clear readiness and new data must raise a new
     * edge every time, or a client waits forever and the run fails. (The race between a reader on another
     * thread and the selector is tested on {@link Readiness} itself: here reads run on the selector thread.)
     */
    @Test
    void anEchoServerOnOneSelectorAnswersEveryMessageOfConcurrentClients() throws Exception {
        int clients = 8;
        int messages = 2000;
        try (ServerSocketChannel server = provider.openServerSocketChannel();
             EpollSelector sel = (EpollSelector) provider.openSelector()) {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            server.configureBlocking(false);
            server.register(sel, SelectionKey.OP_ACCEPT);
            CompletableFuture<Void> serverDone = new CompletableFuture<>();
            Thread loop = new Thread(() -> {
                ByteBuffer buf = ByteBuffer.allocateDirect(1500);
                try {
                    while (!Thread.currentThread().isInterrupted() && sel.isOpen()) {
                        sel.select(1000);
                        for (Iterator<SelectionKey> it = sel.selectedKeys().iterator(); it.hasNext(); ) {
                            SelectionKey k = it.next();
                            it.remove();
                            if (k.isAcceptable()) {
                                SocketChannel s;
                                while ((s = server.accept()) != null) {
                                    s.configureBlocking(false);
                                    s.register(sel, SelectionKey.OP_READ);
                                }
                            } else if (k.isReadable()) {
                                SocketChannel s = (SocketChannel) k.channel();
                                buf.clear();
                                int n = s.read(buf);
                                if (n < 0) {
                                    s.close();
                                    continue;
                                }
                                buf.flip();
                                while (buf.hasRemaining()) {
                                    s.write(buf); // small echoes: the send buffer never fills here
                                }
                            }
                        }
                    }
                    serverDone.complete(null);
                } catch (Throwable e) {
                    serverDone.completeExceptionally(e);
                }
            }, "echo-selector");
            loop.start();
            ExecutorService pool = Executors.newFixedThreadPool(clients);
            try {
                List<Future<?>> runs = new ArrayList<>();
                for (int c = 0; c < clients; c++) {
                    int seed = c;
                    runs.add(pool.submit(() -> {
                        Random r = new Random(seed);
                        try (SocketChannel ch = provider.openSocketChannel()) {
                            ch.connect(server.getLocalAddress());
                            for (int m = 0; m < messages; m++) {
                                byte[] out = new byte[1 + r.nextInt(1400)];
                                r.nextBytes(out);
                                ch.write(ByteBuffer.wrap(out));
                                ByteBuffer in = ByteBuffer.allocate(out.length);
                                while (in.hasRemaining()) {
                                    if (ch.read(in) < 0) {
                                        throw new IOException("server closed after " + m + " messages");
                                    }
                                }
                                assertArrayEquals(out, in.array());
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> f : runs) {
                    f.get(60, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
                loop.interrupt();
                sel.wakeup();
                loop.join(5000);
            }
            assertTrue(serverDone.isDone());
            serverDone.get(); // rethrows a failure of the selector thread
        }
    }
}
