package dev.isthmus.epoll;

import dev.isthmus.stack.Connection;
import dev.isthmus.stack.ConnectionHandler;
import dev.isthmus.stack.Inbound;
import dev.isthmus.stack.ListenOptions;
import dev.isthmus.stack.Listener;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What differs between edge- and level-triggered registration: the read bound and half-closed sockets. */
@Timeout(60)
class TriggerModesTest {

    /**
     * One connection floods the server with far more than the bound lets it read per event; each onData
     * records which epoll_wait it came after. No epoll_wait may be followed by more than
     * {@code maxReadsPerWakeup} reads of the connection, and all the data must still arrive (in
     * edge-triggered mode through the ready list, since epoll reports no new edge).
     */
    @ParameterizedTest(name = "trigger={0}")
    @ValueSource(strings = {"edge", "level"})
    void readsPerWakeupAreBounded(String trigger) throws Exception {
        int bound = 3;
        int total = 4 << 20;
        try (EpollNetworkStack stack = EpollTesting.open(1, EpollConfig.TRIGGER, trigger, EpollConfig.MAX_READS, "" + bound)) {
            EpollWorker w = stack.epollWorker(0);
            AtomicLong received = new AtomicLong();
            int[] maxPerWait = {0};
            CompletableFuture<Void> all = new CompletableFuture<>();
            ConnectionHandler h = new ConnectionHandler() {
                long lastWait = -1;
                int inThisWait;

                @Override
                public void onData(Connection c, Inbound in) {
                    if (w.epollWaits != lastWait) {
                        lastWait = w.epollWaits;
                        inThisWait = 0;
                    }
                    inThisWait++;
                    maxPerWait[0] = Math.max(maxPerWait[0], inThisWait);
                    if (received.addAndGet(in.readableBytes()) == total) {
                        all.complete(null);
                    }
                    in.skip(in.readableBytes());
                }
            };
            try (Listener l = stack.listen(EpollTesting.loopback(), ListenOptions.defaults(), () -> h);
                 SocketChannel ch = SocketChannel.open((InetSocketAddress) l.localAddress())) {
                ByteBuffer b = ByteBuffer.allocateDirect(total);
                while (b.hasRemaining()) {
                    ch.write(b);
                }
                all.get(30, TimeUnit.SECONDS);
            }
            int max = EpollTesting.on(w, () -> maxPerWait[0]);
            assertTrue(max <= bound, "reads after one epoll_wait: " + max + ", bound " + bound);
            assertEquals(total, received.get());
        }
    }

    /**
     * A connection whose peer sent FIN, kept open by the application: level-triggered, EPOLLIN and
     * EPOLLRDHUP would be reported forever unless the stack drops them at EOF. Counts epoll_wait calls
     * over a quiet period; a spinning worker makes hundreds of thousands.
     */
    @ParameterizedTest(name = "trigger={0}")
    @ValueSource(strings = {"edge", "level"})
    void halfClosedConnectionDoesNotSpin(String trigger) throws Exception {
        try (EpollNetworkStack stack = EpollTesting.open(1, EpollConfig.TRIGGER, trigger)) {
            EpollWorker w = stack.epollWorker(0);
            CompletableFuture<Connection> eof = new CompletableFuture<>();
            ConnectionHandler h = new ConnectionHandler() {
                @Override
                public void onData(Connection c, Inbound in) {
                    in.skip(in.readableBytes());
                }

                @Override
                public void onInputShutdown(Connection c) {
                    eof.complete(c); // stays open
                }
            };
            try (Listener l = stack.listen(EpollTesting.loopback(), ListenOptions.defaults(), () -> h);
                 SocketChannel ch = SocketChannel.open((InetSocketAddress) l.localAddress())) {
                ch.write(ByteBuffer.wrap(new byte[]{1, 2, 3}));
                ch.shutdownOutput();
                Connection c = eof.get(10, TimeUnit.SECONDS);
                long before = EpollTesting.on(w, () -> w.epollWaits);
                Thread.sleep(300);
                long after = EpollTesting.on(w, () -> w.epollWaits);
                assertTrue(after - before < 50, "epoll_wait calls while idle with a half-closed connection: " + (after - before));
                // The connection can still write on its open half.
                EpollTesting.on(w, () -> c.writeAndFlush(new byte[]{42}));
                assertEquals(42, EpollTesting.readFully(ch, 1).get(0));
                EpollTesting.on(w, () -> {
                    c.close();
                    return null;
                });
                assertEquals(-1, ch.read(ByteBuffer.allocate(1)));
            }
        }
    }
}
