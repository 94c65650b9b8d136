package dev.isthmus.nio.channels;

import dev.isthmus.uring.StandaloneRing;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousChannelGroup;
import java.nio.channels.AsynchronousServerSocketChannel;
import java.nio.channels.AsynchronousSocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How the provider picks its backend ({@link AsyncBackend}): io_uring where it can run, epoll with one logged line
 * where it cannot, {@code isthmus.nio.async.backend} forcing either, a clear error for anything else; and that the
 * io_uring backend really carries the I/O (its group counts the SQEs it submits). The test JVM is this class's own
 * (surefire forks one per class), so setting the property here touches no other test.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AsyncBackendTest {
    @AfterEach
    void clearProperty() {
        System.clearProperty(AsyncBackend.PROPERTY);
    }

    @Test
    void withoutThePropertyIoUringIsChosenWhereItCanRun() {
        List<String> log = new ArrayList<>();
        assertEquals(AsyncBackend.IO_URING, AsyncBackend.choose(null, () -> null, log::add));
        assertEquals(List.of(), log, "nothing to explain");
    }

    @Test
    void withoutThePropertyEpollIsChosenWithOneLineSayingWhyWhereIoUringCannotRun() {
        List<String> log = new ArrayList<>();
        assertEquals(AsyncBackend.EPOLL, AsyncBackend.choose(null, () -> "io_uring_setup: EPERM", log::add));
        assertEquals(1, log.size(), log.toString());
        assertTrue(log.get(0).contains("epoll") && log.get(0).contains("io_uring_setup: EPERM"), log.get(0));
    }

    @Test
    void epollForcedIsEpollEvenWhereIoUringCouldRun() {
        List<String> log = new ArrayList<>();
        assertEquals(AsyncBackend.EPOLL, AsyncBackend.choose("epoll", () -> null, log::add));
        assertEquals(List.of(), log);
    }

    @Test
    void ioUringForcedWhereItCannotRunFailsNamingTheReason() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AsyncBackend.choose("io_uring", () -> "IORING_OP_READV is not supported", s -> { }));
        assertTrue(e.getMessage().contains("isthmus.nio.async.backend=io_uring")
                && e.getMessage().contains("IORING_OP_READV is not supported"), e.getMessage());
    }

    @Test
    void anUnknownValueFailsListingTheKnownOnes() {
        for (String bad : new String[] {"kqueue", "IO_URING", ""}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> AsyncBackend.choose(bad, () -> null, s -> { }));
            assertTrue(e.getMessage().contains("isthmus.nio.async.backend=" + bad) && e.getMessage().contains("io_uring")
                    && e.getMessage().contains("epoll"), e.getMessage());
        }
    }

    /** The public constructor (the one the JDK calls) reads the property. */
    @Test
    void thePublicConstructorFollowsTheProperty() throws Exception {
        System.setProperty(AsyncBackend.PROPERTY, "epoll");
        IsthmusAsynchronousChannelProvider epoll = new IsthmusAsynchronousChannelProvider();
        assertEquals(AsyncBackend.EPOLL, epoll.backend());
        AsynchronousChannelGroup g = epoll.openAsynchronousChannelGroup(1, Executors.defaultThreadFactory());
        assertInstanceOf(EpollChannelGroup.class, g);
        g.shutdown();
        assertTrue(g.awaitTermination(20, TimeUnit.SECONDS));

        System.setProperty(AsyncBackend.PROPERTY, "io_uring");
        assertEquals(AsyncBackend.IO_URING, new IsthmusAsynchronousChannelProvider().backend());

        System.setProperty(AsyncBackend.PROPERTY, "bogus");
        assertThrows(IllegalArgumentException.class, IsthmusAsynchronousChannelProvider::new);

        System.clearProperty(AsyncBackend.PROPERTY);
        AsyncBackend expected = StandaloneRing.unavailability() == null ? AsyncBackend.IO_URING : AsyncBackend.EPOLL;
        assertEquals(expected, new IsthmusAsynchronousChannelProvider().backend());
    }

    /** An echo on the io_uring backend: its channels are the io_uring ones and its ring submitted their requests. */
    @Test
    void theIoUringBackendSubmitsTheChannelsOperationsAsSqes() throws Exception {
        IsthmusAsynchronousChannelProvider p = new IsthmusAsynchronousChannelProvider(AsyncBackend.IO_URING);
        AsynchronousChannelGroup g = p.openAsynchronousChannelGroup(1, Executors.defaultThreadFactory());
        UringChannelGroup uring = assertInstanceOf(UringChannelGroup.class, g);
        try (AsynchronousServerSocketChannel server = p.openAsynchronousServerSocketChannel(g)
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
             AsynchronousSocketChannel client = p.openAsynchronousSocketChannel(g)) {
            assertInstanceOf(UringServerSocketChannel.class, server);
            assertInstanceOf(UringSocketChannel.class, client);
            long before = uring.submitted();
            Future<AsynchronousSocketChannel> accept = server.accept();
            client.connect(server.getLocalAddress()).get(20, TimeUnit.SECONDS);
            try (AsynchronousSocketChannel accepted = accept.get(20, TimeUnit.SECONDS)) {
                assertInstanceOf(UringSocketChannel.class, accepted);
                int rounds = 50;
                for (int i = 0; i < rounds; i++) {
                    ByteBuffer in = ByteBuffer.allocateDirect(64);
                    Future<Integer> read = accepted.read(in); // before the bytes are sent: read(2) meets EAGAIN
                    ByteBuffer out = ByteBuffer.wrap(("ping " + i).getBytes());
                    while (out.hasRemaining()) {
                        client.write(out).get(20, TimeUnit.SECONDS);
                    }
                    assertTrue(read.get(20, TimeUnit.SECONDS) > 0);
                    while (in.position() < out.limit()) {
                        assertTrue(accepted.read(in).get(20, TimeUnit.SECONDS) > 0);
                    }
                }
                // accept + connect + at least one recv per round, each an SQE (the writes find room at once and
                // end in write(2) on the caller's thread, see UringSocketChannel.startTransfer)
                long sqes = uring.submitted() - before;
                assertTrue(sqes >= 2 + rounds, "SQEs submitted: " + sqes);
            }
        } finally {
            g.shutdownNow();
            assertTrue(g.awaitTermination(20, TimeUnit.SECONDS));
        }
    }
}
