package dev.isthmus.epoll;

import dev.isthmus.ffi.CallState;
import dev.isthmus.ffi.posix.resource_h;
import dev.isthmus.ffi.posix.rlimit;
import dev.isthmus.ffi.posix.socket_h;
import dev.isthmus.linux.socket.LinuxSocket;
import dev.isthmus.stack.AcceptStrategy;
import dev.isthmus.stack.Connection;
import dev.isthmus.stack.ConnectionHandler;
import dev.isthmus.stack.Inbound;
import dev.isthmus.stack.ListenOptions;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * accept4 failing with EMFILE: the listener pauses instead of spinning, stays open, and accepts the
 * waiting connections once descriptors are available again. The test lowers this (forked test) JVM's
 * soft RLIMIT_NOFILE to the lowest free descriptor number for a moment, so the next fd anyone allocates
 * fails with EMFILE, and restores it in a finally block.
 */
@Timeout(60)
class DescriptorExhaustionTest {
    private static final int CLIENTS = 4;

    /**
     * Loads the classes that the pause and its back-off timer use, which the warm-up round does not. At
     * the descriptor limit the JVM cannot open a class file it has not loaded yet: from a jar it can (the
     * jar is open already), from a directory of classes (target/classes, as an IDE or {@code mvn test}
     * runs it) it cannot, and the worker would die of a NoClassDefFoundError.
     */
    private static void loadClassesUsedWhileOutOfDescriptors() throws ClassNotFoundException {
        for (String name : new String[]{"dev.isthmus.ffi.Errno"}) {
            Class.forName(name, true, DescriptorExhaustionTest.class.getClassLoader());
        }
    }

    @ParameterizedTest
    @EnumSource(value = AcceptStrategy.class, names = {"REUSEPORT", "CONNECTION_DISTRIBUTION"})
    void listenerPausesOnEmfileAndRecovers(AcceptStrategy strategy) throws Exception {
        try (EpollNetworkStack stack = EpollTesting.open(1); Arena arena = Arena.ofConfined()) {
            EpollWorker w = stack.epollWorker(0);
            AtomicInteger opened = new AtomicInteger();
            AtomicInteger closed = new AtomicInteger();
            ConnectionHandler echo = new ConnectionHandler() {
                @Override
                public void onOpen(Connection c) {
                    opened.incrementAndGet();
                }

                @Override
                public void onClose(Connection c, Throwable cause) {
                    closed.incrementAndGet();
                }

                @Override
                public void onData(Connection c, Inbound in) {
                    byte[] b = new byte[(int) in.readableBytes()];
                    in.copyTo(0, b, 0, b.length);
                    in.skip(b.length);
                    c.writeAndFlush(b);
                }
            };
            EpollListener l = (EpollListener) stack.listen(EpollTesting.loopback(),
                    ListenOptions.defaults().withAcceptStrategy(strategy), () -> echo);
            InetSocketAddress at = (InetSocketAddress) l.localAddress();
            // One full round first, so every class on the accept path is loaded while files can be opened.
            try (SocketChannel warm = SocketChannel.open(at)) {
                warm.write(ByteBuffer.wrap(new byte[]{7}));
                assertEquals(7, EpollTesting.readFully(warm, 1).get(0));
            }
            // Its server side must be closed too, or its fd could free a slot below the limit set next.
            long until = System.nanoTime() + 10_000_000_000L;
            while (closed.get() < 1 && System.nanoTime() < until) {
                Thread.sleep(5);
            }
            assertEquals(1, closed.get());
            List<SocketChannel> clients = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                clients.add(SocketChannel.open()); // the fds exist now; connect needs no new one
            }
            int openedBefore = opened.get();
            loadClassesUsedWhileOutOfDescriptors();
            MemorySegment st = CallState.allocate(arena).segment();
            MemorySegment saved = rlimit.allocate(arena);
            MemorySegment low = rlimit.allocate(arena);
            assertEquals(0, resource_h.getrlimit(st, resource_h.RLIMIT_NOFILE, saved));
            int lowestFree = socket_h.socket(st, socket_h.AF_INET, socket_h.SOCK_STREAM, 0);
            assertTrue(lowestFree >= 0);
            LinuxSocket.closeQuietly(st, lowestFree);
            rlimit.rlim_cur(low, lowestFree);
            rlimit.rlim_max(low, rlimit.rlim_max(saved));
            long errorsDuring;
            long waitsDuring;
            try {
                assertEquals(0, resource_h.setrlimit(st, resource_h.RLIMIT_NOFILE, low));
                for (SocketChannel c : clients) {
                    c.connect(at); // completes in the kernel's backlog; accept4 then fails with EMFILE
                }
                ListenSocket ls = l.sockets().getFirst();
                long deadline = System.nanoTime() + 10_000_000_000L;
                while (EpollTesting.on(w, () -> ls.resourceErrors()) == 0 && System.nanoTime() < deadline) {
                    Thread.sleep(5);
                }
                errorsDuring = EpollTesting.on(w, () -> ls.resourceErrors());
                assertTrue(errorsDuring > 0, "accept4 failed with EMFILE at least once");
                long w0 = EpollTesting.on(w, () -> w.epollWaits);
                Thread.sleep(300);
                waitsDuring = EpollTesting.on(w, () -> w.epollWaits) - w0;
                assertEquals(openedBefore, opened.get(), "nothing could be accepted without a descriptor");
            } finally {
                resource_h.setrlimit(st, resource_h.RLIMIT_NOFILE, saved);
            }
            // A back-off of at most 100 ms: a few retries in 300 ms, not a busy loop.
            assertTrue(waitsDuring < 100, "epoll_wait calls in 300 ms while out of descriptors: " + waitsDuring);
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (opened.get() < openedBefore + CLIENTS && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertEquals(openedBefore + CLIENTS, opened.get(), "every waiting connection accepted after recovery");
            assertFalse(l.isClosed());
            for (SocketChannel c : clients) {
                c.write(ByteBuffer.wrap(new byte[]{9}));
                assertEquals(9, EpollTesting.readFully(c, 1).get(0));
                c.close();
            }
            l.close();
        }
    }
}
