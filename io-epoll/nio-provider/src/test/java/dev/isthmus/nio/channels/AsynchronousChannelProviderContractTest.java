package dev.isthmus.nio.channels;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.AcceptPendingException;
import java.nio.channels.AsynchronousChannelGroup;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.AsynchronousServerSocketChannel;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.CompletionHandler;
import java.nio.channels.IllegalChannelGroupException;
import java.nio.channels.InterruptedByTimeoutException;
import java.nio.channels.NotYetBoundException;
import java.nio.channels.NotYetConnectedException;
import java.nio.channels.ReadPendingException;
import java.nio.channels.ShutdownChannelGroupException;
import java.nio.channels.WritePendingException;
import java.nio.channels.spi.AsynchronousChannelProvider;
import java.util.Arrays;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The documented behaviour of AsynchronousChannelGroup, AsynchronousSocketChannel and
 * AsynchronousServerSocketChannel, run on the JDK's default provider and on ours: each test must pass on both, so
 * the two agree on what a user of the asynchronous API can observe. The test JVM has no provider property, so
 * {@link AsynchronousChannelProvider#provider()} is the JDK's.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AsynchronousChannelProviderContractTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final long WAIT_S = 20;

    static Stream<AsynchronousChannelProvider> providers() {
        AsynchronousChannelProvider jdk = AsynchronousChannelProvider.provider();
        if (jdk instanceof IsthmusAsynchronousChannelProvider) {
            throw new IllegalStateException("the test JVM must run on the JDK's default provider");
        }
        return Stream.concat(Stream.of(jdk), ours());
    }

    /** Ours on each backend: io_uring and epoll, whatever this machine would choose. */
    static Stream<AsynchronousChannelProvider> ours() {
        return Stream.of(new IsthmusAsynchronousChannelProvider(AsyncBackend.IO_URING),
                new IsthmusAsynchronousChannelProvider(AsyncBackend.EPOLL));
    }

    /** A thread factory that remembers the threads it made, so a test can tell the group's threads from others. */
    private static final class Factory implements ThreadFactory {
        final Set<Thread> made = ConcurrentHashMap.newKeySet();
        private final AtomicInteger n = new AtomicInteger();

        @Override
        public Thread newThread(Runnable r) {
            Thread t = new Thread(r, "contract-pool-" + n.incrementAndGet());
            t.setDaemon(true);
            made.add(t);
            return t;
        }
    }

    /** A CompletionHandler that records its outcome and the thread it ran on. */
    private static class Outcome<V> implements CompletionHandler<V, Object> {
        final CompletableFuture<V> result = new CompletableFuture<>();
        volatile Thread thread;
        volatile Object attachment;

        @Override
        public void completed(V v, Object att) {
            thread = Thread.currentThread();
            attachment = att;
            result.complete(v);
        }

        @Override
        public void failed(Throwable t, Object att) {
            thread = Thread.currentThread();
            attachment = att;
            result.completeExceptionally(t);
        }

        V get() throws Exception {
            try {
                return result.get(WAIT_S, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof Exception x) {
                    throw x;
                }
                throw e;
            }
        }

        Throwable failure() throws Exception {
            try {
                result.get(WAIT_S, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                return e.getCause();
            }
            throw new AssertionError("completed instead of failing");
        }
    }

    /** A group, a listener and a connected pair in it: [0] the client, [1] the accepted side. */
    private static final class Fixture implements AutoCloseable {
        final Factory factory = new Factory();
        final AsynchronousChannelGroup group;
        final AsynchronousServerSocketChannel server;
        final AsynchronousSocketChannel client;
        final AsynchronousSocketChannel accepted;

        Fixture(AsynchronousChannelProvider p) throws Exception {
            group = p.openAsynchronousChannelGroup(2, factory);
            server = p.openAsynchronousServerSocketChannel(group).bind(new InetSocketAddress(LOOPBACK, 0));
            Future<AsynchronousSocketChannel> a = server.accept();
            client = p.openAsynchronousSocketChannel(group);
            assertNull(client.connect(server.getLocalAddress()).get(WAIT_S, TimeUnit.SECONDS));
            accepted = a.get(WAIT_S, TimeUnit.SECONDS);
        }

        @Override
        public void close() throws Exception {
            group.shutdownNow();
            assertTrue(group.awaitTermination(WAIT_S, TimeUnit.SECONDS), "group terminates");
        }
    }

    private static ByteBuffer bytes(String s) {
        return ByteBuffer.wrap(s.getBytes());
    }

    private static Throwable cause(Future<?> f) throws Exception {
        ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(WAIT_S, TimeUnit.SECONDS));
        return e.getCause();
    }

    /** Reads exactly {@code n} bytes with Futures. */
    private static byte[] readExactly(AsynchronousSocketChannel c, int n, boolean direct) throws Exception {
        ByteBuffer b = direct ? ByteBuffer.allocateDirect(n) : ByteBuffer.allocate(n);
        while (b.hasRemaining()) {
            int got = c.read(b).get(WAIT_S, TimeUnit.SECONDS);
            if (got < 0) {
                throw new IOException("EOF after " + b.position());
            }
        }
        byte[] out = new byte[n];
        b.flip().get(out);
        return out;
    }

    private static void writeFully(AsynchronousSocketChannel c, ByteBuffer b) throws Exception {
        while (b.hasRemaining()) {
            c.write(b).get(WAIT_S, TimeUnit.SECONDS);
        }
    }

    /** Writes until a write stays pending (the peer does not read): returns that pending Future. */
    private static Future<Integer> fillUntilPending(AsynchronousSocketChannel c) throws Exception {
        ByteBuffer chunk = ByteBuffer.allocateDirect(1 << 20);
        for (int i = 0; i < 256; i++) {
            chunk.clear();
            Future<Integer> f = c.write(chunk);
            try {
                f.get(500, TimeUnit.MILLISECONDS);
            } catch (TimeoutException pending) {
                return f;
            }
        }
        throw new AssertionError("256 MiB written without the peer reading: no write stayed pending");
    }

    // --- connect, accept, read, write --------------------------------------------------------------------

    @ParameterizedTest
    @MethodSource("providers")
    void connectAcceptAndFutureEchoWithHeapAndDirectBuffers(AsynchronousChannelProvider p) throws Exception {
        try (Fixture f = new Fixture(p)) {
            assertEquals(p, f.client.provider());
            assertEquals(p, f.accepted.provider());
            assertEquals(p, f.group.provider());
            assertEquals(f.client.getLocalAddress(), f.accepted.getRemoteAddress());
            assertEquals(f.accepted.getLocalAddress(), f.client.getRemoteAddress());
            assertEquals(f.server.getLocalAddress(), f.client.getRemoteAddress());
            assertEquals(5, f.client.write(bytes("hello")).get(WAIT_S, TimeUnit.SECONDS));
            assertEquals("hello", new String(readExactly(f.accepted, 5, false)));
            ByteBuffer d = ByteBuffer.allocateDirect(5).put("world".getBytes()).flip();
            assertEquals(5, f.accepted.write(d).get(WAIT_S, TimeUnit.SECONDS));
            assertEquals("world", new String(readExactly(f.client, 5, true)));
        }
    }

    @ParameterizedTest
    @MethodSource("providers")
    void completionHandlersRunOnTheFixedPoolsThreadsWithTheirAttachment(AsynchronousChannelProvider p) throws Exception {
        Factory factory = new Factory();
        AsynchronousChannelGroup g = p.openAsynchronousChannelGroup(2, factory);
        try {
            AsynchronousServerSocketChannel server = p.openAsynchronousServerSocketChannel(g).bind(new InetSocketAddress(LOOPBACK, 0));
            Outcome<AsynchronousSocketChannel> acc = new Outcome<>();
            server.accept("acc", acc);
            AsynchronousSocketChannel client = p.openAsynchronousSocketChannel(g);
            Outcome<Void> con = new Outcome<>();
            client.connect(server.getLocalAddress(), "con", con);
            assertNull(con.get());
            AsynchronousSocketChannel peer = acc.get();
            assertEquals("acc", acc.attachment);
            assertEquals("con", con.attachment);
            Outcome<Integer> rd = new Outcome<>();
            ByteBuffer in = ByteBuffer.allocate(16);
            peer.read(in, 0, TimeUnit.SECONDS, "rd", rd); // pending: nothing was sent yet
            Outcome<Integer> wr = new Outcome<>();
            client.write(bytes("ping"), 0, TimeUnit.SECONDS, "wr", wr); // completes at once, initiated off the pool
            assertEquals(4, wr.get());
            assertEquals(4, rd.get());
            assertEquals("ping", new String(in.array(), 0, 4));
            for (Outcome<?> o : new Outcome<?>[] {acc, con, rd, wr}) {
                assertTrue(factory.made.contains(o.thread), "handler ran on " + o.thread + ", not a pool thread");
            }
        } finally {
            g.shutdownNow();
            assertTrue(g.awaitTermination(WAIT_S, TimeUnit.SECONDS));
        }
    }

    @ParameterizedTest
    @MethodSource("providers")
    void cachedAndCallerSuppliedPoolsRunTheHandlersAndAreShutDownWithTheGroup(AsynchronousChannelProvider p) throws Exception {
        for (int initialSize : new int[] {0, 1}) { // 0: withThreadPool; 1: withCachedThreadPool
            Factory factory = new Factory();
            ExecutorService pool = Executors.newCachedThreadPool(factory);
            AsynchronousChannelGroup g = p.openAsynchronousChannelGroup(pool, initialSize);
            AsynchronousServerSocketChannel server = p.openAsynchronousServerSocketChannel(g).bind(new InetSocketAddress(LOOPBACK, 0));
            Outcome<AsynchronousSocketChannel> acc = new Outcome<>();
            server.accept(null, acc);
            AsynchronousSocketChannel client = p.openAsynchronousSocketChannel(g);
            client.connect(server.getLocalAddress()).get(WAIT_S, TimeUnit.SECONDS);
            AsynchronousSocketChannel peer = acc.get();
            assertTrue(factory.made.contains(acc.thread), "accept handler ran on " + acc.thread);
            Outcome<Integer> rd = new Outcome<>();
            peer.read(ByteBuffer.allocateDirect(8), 0, TimeUnit.SECONDS, null, rd);
            client.write(bytes("x")).get(WAIT_S, TimeUnit.SECONDS);
            assertEquals(1, rd.get());
            assertTrue(factory.made.contains(rd.thread), "read handler ran on " + rd.thread);
            g.shutdown();
            assertTrue(g.isShutdown());
            assertFalse(g.awaitTermination(100, TimeUnit.MILLISECONDS), "open channels keep a shut-down group alive");
            server.close();
            client.close();
            peer.close();
            assertTrue(g.awaitTermination(WAIT_S, TimeUnit.SECONDS));
            assertTrue(g.isTerminated());
            assertTrue(pool.isShutdown(), "the group's termination shuts its executor down");
        }
    }

    @ParameterizedTest
    @MethodSource("providers")
    void defaultGroupRunsHandlersOffTheCallersThread(AsynchronousChannelProvider p) throws Exception {
        try (AsynchronousServerSocketChannel server = p.openAsynchronousServerSocketChannel(null).bind(new InetSocketAddress(LOOPBACK, 0));
             AsynchronousSocketChannel client = p.openAsynchronousSocketChannel(null)) {
            Future<AsynchronousSocketChannel> a = server.accept();
            Outcome<Void> con = new Outcome<>();
            client.connect(server.getLocalAddress(), null, con);
            con.get();
            assertNotSame(Thread.currentThread(), con.thread);
            try (AsynchronousSocketChannel peer = a.get(WAIT_S, TimeUnit.SECONDS)) {
                Outcome<Integer> wr = new Outcome<>();
                peer.write(bytes("abc"), 0, TimeUnit.SECONDS, null, wr);
                assertEquals(3, wr.get());
                assertNotSame(Thread.currentThread(), wr.thread);
                assertEquals("abc", new String(readExactly(client, 3, false)));
            }
        }
    }

    @ParameterizedTest
    @MethodSource("providers")
    void scatteringReadAndGatheringWriteAcrossHeapAndDirectBuffers(AsynchronousChannelProvider p) throws Exception {
        try (Fixture f = new Fixture(p)) {
            ByteBuffer[] out = {bytes("abc"), ByteBuffer.allocateDirect(4).put("defg".getBytes()).flip(), bytes("hij")};
            Outcome<Long> wr = new Outcome<>();
            f.client.write(out, 0, 3, 0, TimeUnit.SECONDS, null, wr);
            assertEquals(10L, wr.get());
            ByteBuffer[] in = {ByteBuffer.allocateDirect(2), ByteBuffer.allocate(5), ByteBuffer.allocateDirect(3)};
            long total = 0;
            while (total < 10) {
                Outcome<Long> rd = new Outcome<>();
                f.accepted.read(in, 0, 3, 0, TimeUnit.SECONDS, null, rd);
                long n = rd.get();
                assertTrue(n > 0);
                total += n;
            }
            StringBuilder sb = new StringBuilder();
            for (ByteBuffer b : in) {
                b.flip();
                while (b.hasRemaining()) {
                    sb.append((char) b.get());
                }
            }
            assertEquals("abcdefghij", sb.toString());
        }
    }

    @ParameterizedTest
    @MethodSource("providers")
    void emptyBuffersCompleteWithZeroAndReadOnlyBuffersAreRefused(AsynchronousChannelProvider p) throws Exception {
        try (Fixture f = new Fixture(p)) {
            assertEquals(0, f.client.read(ByteBuffer.allocate(0)).get(WAIT_S, TimeUnit.SECONDS));
            assertEquals(0, f.client.write(ByteBuffer.allocate(0)).get(WAIT_S, TimeUnit.SECONDS));
            assertThrows(IllegalArgumentException.class, () -> f.client.read(ByteBuffer.allocate(4).asReadOnlyBuffer()));
        }
    }

    @ParameterizedTest
    @MethodSource("providers")
    void handlerDrivenTransferOfFourMiBInSmallReadsArrivesIntact(AsynchronousChannelProvider p) throws Exception {
        try (Fixture f = new Fixture(p)) {
            byte[] data = new byte[4 << 20];
            new Random(16).nextBytes(data);
            // the reader re-reads from inside its handler; data already queued lets many reads complete at once,
            // which must not overflow the stack (handlers run directly only to a bounded depth)
            ByteBuffer sink = ByteBuffer.allocate(data.length);
            CompletableFuture<Void> done = new CompletableFuture<>();
            CompletionHandler<Integer, ByteBuffer> reader = new CompletionHandler<>() {
                @Override
                public void completed(Integer n, ByteBuffer small) {
                    if (n < 0) {
                        done.completeExceptionally(new IOException("EOF after " + sink.position()));
                        return;
                    }
                    sink.put(small.flip());
                    if (!sink.hasRemaining()) {
                        done.complete(null);
                        return;
                    }
                    small.clear().limit(Math.min(small.capacity(), sink.remaining()));
                    f.accepted.read(small, 0, TimeUnit.SECONDS, small, this);
                }

                @Override
                public void failed(Throwable t, ByteBuffer small) {
                    done.completeExceptionally(t);
                }
            };
            ByteBuffer small = ByteBuffer.allocateDirect(100);
            f.accepted.read(small, 0, TimeUnit.SECONDS, small, reader);
            writeFully(f.client, ByteBuffer.wrap(data)); // heap: goes through the bounce buffer in pieces
            done.get(WAIT_S * 2, TimeUnit.SECONDS);
            assertArrayEquals(data, sink.array());
        }
    }

    /**
     * A handler that writes again from inside itself, 100 times: each write finds room and completes at once, so its
     * handler runs directly on the initiating pool thread (AsynchronousChannelGroup's "Threading": "the completion
     * handler is invoked directly by the initiating thread"), but only to a bounded depth (the JDK's 16), after which
     * the next is handed to the pool; the stack never overflows and the bytes arrive in the order written.
     */
    @ParameterizedTest
    @MethodSource("providers")
    void writesThatCompleteAtOnceRunTheirHandlersInlineToABoundedDepthAndInOrder(AsynchronousChannelProvider p)
            throws Exception {
        try (Fixture f = new Fixture(p)) {
            int writes = 100;
            ThreadLocal<int[]> depth = ThreadLocal.withInitial(() -> new int[1]);
            AtomicInteger maxDepth = new AtomicInteger();
            AtomicInteger offPool = new AtomicInteger();
            CompletableFuture<Void> done = new CompletableFuture<>();
            CompletionHandler<Integer, Integer> writer = new CompletionHandler<>() {
                @Override
                public void completed(Integer n, Integer i) {
                    int[] d = depth.get();
                    d[0]++;
                    try {
                        maxDepth.accumulateAndGet(d[0], Math::max);
                        if (!f.factory.made.contains(Thread.currentThread())) {
                            offPool.incrementAndGet();
                        }
                        if (i + 1 == writes) {
                            done.complete(null);
                            return;
                        }
                        f.client.write(ByteBuffer.wrap(new byte[] {(byte) (i + 1)}), 0, TimeUnit.SECONDS, i + 1, this);
                    } catch (RuntimeException e) {
                        done.completeExceptionally(e);
                    } finally {
                        d[0]--;
                    }
                }

                @Override
                public void failed(Throwable t, Integer i) {
                    done.completeExceptionally(t);
                }
            };
            // start the chain on a pool thread: from the handler of a read the peer's byte completes
            Outcome<Integer> start = new Outcome<>() {
                @Override
                public void completed(Integer n, Object att) {
                    super.completed(n, att);
                    f.client.write(ByteBuffer.wrap(new byte[] {0}), 0, TimeUnit.SECONDS, 0, writer);
                }
            };
            f.client.read(ByteBuffer.allocate(1), null, start);
            writeFully(f.accepted, bytes("!"));
            done.get(WAIT_S, TimeUnit.SECONDS);
            byte[] got = readExactly(f.accepted, writes, false);
            for (int i = 0; i < writes; i++) {
                assertEquals((byte) i, got[i], "byte " + i);
            }
            assertEquals(0, offPool.get(), "handlers that ran off the pool");
            assertTrue(maxDepth.get() >= 2, "no handler ran inline: deepest nesting " + maxDepth.get());
            assertTrue(maxDepth.get() <= AsyncGroup.MAX_DIRECT_INVOKES + 1, "nesting not bounded: " + maxDepth.get());
        }
    }

    /**
     * A pool thread stays one of its group's after the group's task ends: a write it starts later, from a task of
     * its own that the executor runs (as Tomcat's NIO2 connector does), and that completes at once, runs its handler
     * there before the write call returns. The JDK binds a pooled thread to its group the same way.
     */
    @ParameterizedTest
    @MethodSource("providers")
    void aPoolThreadRunningTheExecutorsOwnTaskRunsAnAtOnceWriteHandlerInline(AsynchronousChannelProvider p)
            throws Exception {
        ExecutorService executor = Executors.newSingleThreadExecutor(new Factory());
        AsynchronousChannelGroup g = p.openAsynchronousChannelGroup(executor, 0);
        try {
            AsynchronousServerSocketChannel server = p.openAsynchronousServerSocketChannel(g).bind(new InetSocketAddress(LOOPBACK, 0));
            Future<AsynchronousSocketChannel> acc = server.accept();
            AsynchronousSocketChannel client = p.openAsynchronousSocketChannel(g);
            client.connect(server.getLocalAddress()).get(WAIT_S, TimeUnit.SECONDS);
            AsynchronousSocketChannel peer = acc.get(WAIT_S, TimeUnit.SECONDS);
            Outcome<Integer> first = new Outcome<>(); // a handler on the executor's thread: the group's task
            client.read(ByteBuffer.allocate(1), null, first);
            writeFully(peer, bytes("!"));
            assertEquals(1, first.get());
            CompletableFuture<String> where = new CompletableFuture<>();
            executor.execute(() -> { // not the group's task: the executor's own
                boolean[] returned = {false};
                client.write(bytes("ping"), null, new CompletionHandler<Integer, Void>() {
                    @Override
                    public void completed(Integer n, Void a) {
                        where.complete(returned[0] ? "after the write call returned" : "inline");
                    }

                    @Override
                    public void failed(Throwable t, Void a) {
                        where.completeExceptionally(t);
                    }
                });
                returned[0] = true;
            });
            assertEquals("inline", where.get(WAIT_S, TimeUnit.SECONDS));
            assertEquals("ping", new String(readExactly(peer, 4, false)));
        } finally {
            g.shutdownNow();
            assertTrue(g.awaitTermination(WAIT_S, TimeUnit.SECONDS));
        }
    }

    // --- pending, time-outs, cancellation -------------------------------------------------------------------

    @ParameterizedTest
    @MethodSource("providers")
    void secondReadOrWriteWhileOneIsPendingIsRefused(AsynchronousChannelProvider p) throws Exception {
        try (Fixture f = new Fixture(p)) {
            Future<Integer> rd = f.client.read(ByteBuffer.allocate(8));
            assertThrows(ReadPendingException.class, () -> f.client.read(ByteBuffer.allocate(8)));
            Future<Integer> wr = fillUntilPending(f.client);
            assertThrows(WritePendingException.class, () -> f.client.write(bytes("x")));
            assertFalse(rd.isDone());
            assertFalse(wr.isDone());
        }
    }

    @ParameterizedTest
    @MethodSource("providers")
    void readTimeoutFailsWithInterruptedByTimeoutAndFurtherReadsAreRefused(AsynchronousChannelProvider p) throws Exception {
        try (Fixture f = new Fixture(p)) {
            Outcome<Integer> rd = new Outcome<>();
            long t0 = System.nanoTime();
            f.client.read(ByteBuffer.allocate(8), 200, TimeUnit.MILLISECONDS, null, rd);
            assertInstanceOf(InterruptedByTimeoutException.class, rd.failure());
            assertTrue(System.nanoTime() - t0 >= TimeUnit.MILLISECONDS.toNanos(190), "not before the time-out");
            assertTrue(f.factory.made.contains(rd.thread), "the time-out's handler runs on a pool thread");
            assertThrows(IllegalStateException.class, () -> f.client.read(ByteBuffer.allocate(8)));
            assertTrue(f.client.isOpen());
            // the write side is still usable
            assertEquals(2, f.client.write(bytes("ok")).get(WAIT_S, TimeUnit.SECONDS));
            assertEquals("ok", new String(readExactly(f.accepted, 2, false)));
        }
    }

    @ParameterizedTest
    @MethodSource("providers")
    void writeTimeoutFailsWithInterruptedByTimeout(AsynchronousChannelProvider p) throws Exception {
        try (Fixture f = new Fixture(p)) {
            ByteBuffer chunk = ByteBuffer.allocateDirect(1 << 20);
            Throwable failure = null;
            for (int i = 0; i < 256 && failure == null; i++) {
                chunk.clear();
                Outcome<Integer> wr = new Outcome<>();
                f.client.write(chunk, 300, TimeUnit.MILLISECONDS, null, wr);
                try {
                    wr.get();
                } catch (InterruptedByTimeoutException e) {
                    failure = e;
                }
            }
            assertInstanceOf(InterruptedByTimeoutException.class, failure, "a write to a peer that does not read times out");
            assertThrows(IllegalStateException.class, () -> f.client.write(bytes("x")));
        }
    }

    @ParameterizedTest
    @MethodSource("providers")
    void timeoutThatDoesNotElapseLeavesTheReadUsable(AsynchronousChannelProvider p) throws Exception {
        try (Fixture f = new Fixture(p)) {
            Outcome<Integer> rd = new Outcome<>();
            ByteBuffer in = ByteBuffer.allocate(8);
            f.client.read(in, 10, TimeUnit.SECONDS, null, rd);
            f.accepted.write(bytes("hi")).get(WAIT_S, TimeUnit.SECONDS);
            assertEquals(2, rd.get());
            Future<Integer> next = f.client.read(ByteBuffer.allocate(8)); // not refused: nothing timed out
            f.accepted.write(bytes("!")).get(WAIT_S, TimeUnit.SECONDS);
            assertEquals(1, next.get(WAIT_S, TimeUnit.SECONDS));
        }
    }

    @ParameterizedTest
    @MethodSource("providers")
    void cancelledReadFutureRefusesFurtherReadsAndCancelTrueClosesTheChannel(AsynchronousChannelProvider p) throws Exception {
        try (Fixture f = new Fixture(p)) {
            Future<Integer> rd = f.client.read(ByteBuffer.allocate(8));
            assertTrue(rd.cancel(false));
            assertTrue(rd.isCancelled());
            assertTrue(rd.isDone());
            assertThrows(CancellationException.class, rd::get);
            assertThrows(IllegalStateException.class, () -> f.client.read(ByteBuffer.allocate(8)));
            assertTrue(f.client.isOpen());
            Future<Integer> other = f.accepted.read(ByteBuffer.allocate(8));
            assertTrue(other.cancel(true));
            assertFalse(f.accepted.isOpen(), "cancel(true) closes the channel");
        }
    }

    /**
     * Ours only: a cancelled read's heap buffer is the caller's again, bytes that arrive afterwards do not land in it
     * (on io_uring the kernel may still complete the request; its bytes stay in the request's own block). The JDK's
     * provider does put them there (seen with temurin 25), which its documentation allows: "all buffers used in the
     * I/O operation [should] be discarded" after a cancel.
     */
    @ParameterizedTest
    @MethodSource("ours")
    void bytesArrivingAfterACancelledReadDoNotLandInItsHeapBuffer(AsynchronousChannelProvider p) throws Exception {
        try (Fixture f = new Fixture(p)) {
            ByteBuffer buf = ByteBuffer.allocate(16);
            Future<Integer> rd = f.client.read(buf);
            assertTrue(rd.cancel(false));
            f.accepted.write(bytes("late bytes")).get(WAIT_S, TimeUnit.SECONDS);
            // the other side still works, so whatever the kernel did with the read has had time to finish
            f.client.write(bytes("ping")).get(WAIT_S, TimeUnit.SECONDS);
            assertEquals("ping", new String(readExactly(f.accepted, 4, false)));
            Thread.sleep(200);
            assertEquals(0, buf.position(), "the cancelled read did not move the position");
            assertArrayEquals(new byte[16], buf.array(), "the cancelled read did not write the buffer");
        }
    }

    // --- close, shutdown, errors -------------------------------------------------------------------------

    @ParameterizedTest
    @MethodSource("providers")
    void closeFailsPendingReadWriteAndAcceptWithAsynchronousCloseException(AsynchronousChannelProvider p) throws Exception {
        try (Fixture f = new Fixture(p)) {
            Outcome<Integer> rd = new Outcome<>();
            f.client.read(ByteBuffer.allocate(8), 0, TimeUnit.SECONDS, null, rd); // nobody writes to the client
            Future<Integer> wr = fillUntilPending(f.client); // the accepted side never reads
            Future<Integer> futureRead = f.accepted.read(ByteBuffer.allocate(0)); // completes with 0, not pending
            assertEquals(0, futureRead.get(WAIT_S, TimeUnit.SECONDS));
            Outcome<AsynchronousSocketChannel> acc = new Outcome<>();
            f.server.accept(null, acc);
            assertFalse(rd.result.isDone());
            f.client.close();
            f.server.close();
            assertInstanceOf(AsynchronousCloseException.class, rd.failure());
            assertTrue(f.factory.made.contains(rd.thread), "the failed handler runs on a pool thread");
            assertInstanceOf(AsynchronousCloseException.class, cause(wr));
            assertInstanceOf(AsynchronousCloseException.class, acc.failure());
            f.client.close(); // idempotent
            assertTrue(f.accepted.isOpen());
            Future<Integer> accRead = f.accepted.read(ByteBuffer.allocate(8));
            f.accepted.close();
            // the bytes the client had queued may still arrive first; else the read fails with the close
            try {
                assertTrue(accRead.get(WAIT_S, TimeUnit.SECONDS) > 0);
            } catch (ExecutionException e) {
                assertInstanceOf(AsynchronousCloseException.class, e.getCause());
            }
        }
    }

    @ParameterizedTest
    @MethodSource("providers")
    void operationsOnAClosedChannelFailWithClosedChannelException(AsynchronousChannelProvider p) throws Exception {
        try (Fixture f = new Fixture(p)) {
            f.client.close();
            assertFalse(f.client.isOpen());
            assertInstanceOf(ClosedChannelException.class, cause(f.client.read(ByteBuffer.allocate(4))));
            assertInstanceOf(ClosedChannelException.class, cause(f.client.write(bytes("x"))));
            Outcome<Integer> rd = new Outcome<>();
            f.client.read(ByteBuffer.allocate(4), 0, TimeUnit.SECONDS, null, rd);
            assertInstanceOf(ClosedChannelException.class, rd.failure());
            assertThrows(ClosedChannelException.class, f.client::getLocalAddress);
            assertThrows(ClosedChannelException.class, () -> f.client.getOption(StandardSocketOptions.TCP_NODELAY));
            f.server.close();
            assertInstanceOf(ClosedChannelException.class, cause(f.server.accept()));
            // the peer sees end-of-stream
            assertEquals(-1, f.accepted.read(ByteBuffer.allocate(4)).get(WAIT_S, TimeUnit.SECONDS));
        }
    }

    @ParameterizedTest
    @MethodSource("providers")
    void unconnectedAndUnboundChannelsRefuseOperations(AsynchronousChannelProvider p) throws Exception {
        AsynchronousChannelGroup g = p.openAsynchronousChannelGroup(1, new Factory());
        try {
            AsynchronousSocketChannel c = p.openAsynchronousSocketChannel(g);
            assertNull(c.getRemoteAddress());
            assertNull(c.getLocalAddress());
            assertThrows(NotYetConnectedException.class, () -> c.read(ByteBuffer.allocate(4)));
            assertThrows(NotYetConnectedException.class, () -> c.write(bytes("x")));
            assertThrows(NotYetConnectedException.class, c::shutdownInput);
            AsynchronousServerSocketChannel s = p.openAsynchronousServerSocketChannel(g);
            assertNull(s.getLocalAddress());
            assertThrows(NotYetBoundException.class, s::accept);
            s.bind(new InetSocketAddress(LOOPBACK, 0));
            Future<AsynchronousSocketChannel> first = s.accept();
            assertThrows(AcceptPendingException.class, s::accept);
            assertFalse(first.isDone());
            c.bind(new InetSocketAddress(LOOPBACK, 0));
            assertEquals(LOOPBACK, ((InetSocketAddress) c.getLocalAddress()).getAddress());
        } finally {
            g.shutdownNow();
            assertTrue(g.awaitTermination(WAIT_S, TimeUnit.SECONDS));
        }
    }

    @ParameterizedTest
    @MethodSource("providers")
    void refusedConnectFailsWithConnectExceptionAndClosesTheChannel(AsynchronousChannelProvider p) throws Exception {
        AsynchronousChannelGroup g = p.openAsynchronousChannelGroup(1, new Factory());
        try {
            SocketAddress dead;
            try (AsynchronousServerSocketChannel s = p.openAsynchronousServerSocketChannel(g).bind(new InetSocketAddress(LOOPBACK, 0))) {
                dead = s.getLocalAddress();
            }
            AsynchronousSocketChannel c = p.openAsynchronousSocketChannel(g);
            assertInstanceOf(ConnectException.class, cause(c.connect(dead)));
            assertFalse(c.isOpen(), "a failed connect closes the channel");
        } finally {
            g.shutdownNow();
            assertTrue(g.awaitTermination(WAIT_S, TimeUnit.SECONDS));
        }
    }

    @ParameterizedTest
    @MethodSource("providers")
    void shutdownOutputGivesThePeerEndOfStreamAndShutdownInputEndsReads(AsynchronousChannelProvider p) throws Exception {
        try (Fixture f = new Fixture(p)) {
            Future<Integer> peerRead = f.accepted.read(ByteBuffer.allocate(8));
            f.client.shutdownOutput();
            assertEquals(-1, peerRead.get(WAIT_S, TimeUnit.SECONDS));
            assertInstanceOf(ClosedChannelException.class, cause(f.client.write(bytes("x"))));
            // the other direction still works
            f.accepted.write(bytes("back")).get(WAIT_S, TimeUnit.SECONDS);
            assertEquals("back", new String(readExactly(f.client, 4, false)));
            f.client.shutdownInput();
            assertEquals(-1, f.client.read(ByteBuffer.allocate(8)).get(WAIT_S, TimeUnit.SECONDS));
            Outcome<Long> scatter = new Outcome<>();
            f.client.read(new ByteBuffer[] {ByteBuffer.allocate(4)}, 0, 1, 0, TimeUnit.SECONDS, null, scatter);
            assertEquals(-1L, scatter.get());
        }
    }

    @ParameterizedTest
    @MethodSource("providers")
    void groupShutdownRefusesNewChannelsAndTerminatesWhenTheLastOneCloses(AsynchronousChannelProvider p) throws Exception {
        AsynchronousChannelGroup g = p.openAsynchronousChannelGroup(2, new Factory());
        AsynchronousServerSocketChannel s = p.openAsynchronousServerSocketChannel(g).bind(new InetSocketAddress(LOOPBACK, 0));
        g.shutdown();
        assertTrue(g.isShutdown());
        assertFalse(g.isTerminated());
        assertThrows(ShutdownChannelGroupException.class, () -> p.openAsynchronousSocketChannel(g));
        assertThrows(ShutdownChannelGroupException.class, () -> p.openAsynchronousServerSocketChannel(g));
        assertFalse(g.awaitTermination(100, TimeUnit.MILLISECONDS));
        s.close();
        assertTrue(g.awaitTermination(WAIT_S, TimeUnit.SECONDS));
        assertTrue(g.isTerminated());

        AsynchronousChannelGroup empty = p.openAsynchronousChannelGroup(1, new Factory());
        empty.shutdown();
        assertTrue(empty.awaitTermination(WAIT_S, TimeUnit.SECONDS), "a group without channels terminates at once");
    }

    @ParameterizedTest
    @MethodSource("providers")
    void groupShutdownNowClosesChannelsAndFailsTheirPendingOperations(AsynchronousChannelProvider p) throws Exception {
        Fixture f = new Fixture(p);
        // the pending read's peer is outside the group, so only the close can end it (a peer in the group might
        // be closed first and end it with end-of-stream)
        Future<AsynchronousSocketChannel> a = f.server.accept();
        try (java.nio.channels.SocketChannel outsider = java.nio.channels.SocketChannel.open(f.server.getLocalAddress())) {
            AsynchronousSocketChannel inside = a.get(WAIT_S, TimeUnit.SECONDS);
            Outcome<Integer> rd = new Outcome<>();
            inside.read(ByteBuffer.allocate(8), 0, TimeUnit.SECONDS, null, rd);
            Future<AsynchronousSocketChannel> acc = f.server.accept();
            f.group.shutdownNow();
            assertInstanceOf(AsynchronousCloseException.class, rd.failure());
            assertInstanceOf(AsynchronousCloseException.class, cause(acc));
            assertFalse(inside.isOpen());
        }
        assertFalse(f.client.isOpen());
        assertFalse(f.accepted.isOpen());
        assertFalse(f.server.isOpen());
        assertTrue(f.group.awaitTermination(WAIT_S, TimeUnit.SECONDS));
        assertTrue(f.group.isTerminated());
    }

    private static long openDescriptors() throws IOException {
        try (Stream<java.nio.file.Path> fds = java.nio.file.Files.list(java.nio.file.Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }

    @ParameterizedTest
    @MethodSource("providers")
    void closedChannelsAndATerminatedGroupLeaveNoDescriptorOpen(AsynchronousChannelProvider p) throws Exception {
        for (int warm = 0; warm < 2; warm++) { // the first round may load classes and open the JDK's own files
            long before = openDescriptors();
            AsynchronousChannelGroup g = p.openAsynchronousChannelGroup(2, new Factory());
            AsynchronousServerSocketChannel s = p.openAsynchronousServerSocketChannel(g).bind(new InetSocketAddress(LOOPBACK, 0));
            for (int i = 0; i < 20; i++) {
                Future<AsynchronousSocketChannel> a = s.accept();
                AsynchronousSocketChannel c = p.openAsynchronousSocketChannel(g);
                c.connect(s.getLocalAddress()).get(WAIT_S, TimeUnit.SECONDS);
                AsynchronousSocketChannel peer = a.get(WAIT_S, TimeUnit.SECONDS);
                Future<Integer> pending = peer.read(ByteBuffer.allocate(4)); // closed while pending
                c.write(bytes("x")).get(WAIT_S, TimeUnit.SECONDS);
                assertEquals(1, pending.get(WAIT_S, TimeUnit.SECONDS));
                peer.read(ByteBuffer.allocate(4));
                c.close();
                peer.close();
            }
            s.close();
            g.shutdown();
            assertTrue(g.awaitTermination(WAIT_S, TimeUnit.SECONDS));
            if (warm == 1) {
                assertEquals(before, openDescriptors(), "descriptors open after the group terminated");
            }
        }
    }

    @ParameterizedTest
    @MethodSource("providers")
    void fixedPoolNeedsAPositiveSize(AsynchronousChannelProvider p) {
        assertThrows(IllegalArgumentException.class, () -> p.openAsynchronousChannelGroup(0, new Factory()));
    }

    // --- options -----------------------------------------------------------------------------------------

    @ParameterizedTest
    @MethodSource("providers")
    void socketOptionsAreSetReadAndRefusedAsDocumented(AsynchronousChannelProvider p) throws Exception {
        try (Fixture f = new Fixture(p)) {
            f.client.setOption(StandardSocketOptions.TCP_NODELAY, true);
            assertTrue(f.client.getOption(StandardSocketOptions.TCP_NODELAY));
            f.client.setOption(StandardSocketOptions.TCP_NODELAY, false);
            assertFalse(f.client.getOption(StandardSocketOptions.TCP_NODELAY));
            f.client.setOption(StandardSocketOptions.SO_KEEPALIVE, true);
            assertTrue(f.client.getOption(StandardSocketOptions.SO_KEEPALIVE));
            f.client.setOption(StandardSocketOptions.SO_RCVBUF, 64 * 1024);
            assertTrue(f.client.getOption(StandardSocketOptions.SO_RCVBUF) >= 64 * 1024);
            assertThrows(UnsupportedOperationException.class, () -> f.client.setOption(StandardSocketOptions.SO_LINGER, 1));
            assertThrows(UnsupportedOperationException.class, () -> f.client.getOption(StandardSocketOptions.IP_TOS));
            assertThrows(IllegalArgumentException.class, () -> f.client.setOption(StandardSocketOptions.SO_SNDBUF, -1));
            f.server.setOption(StandardSocketOptions.SO_RCVBUF, 32 * 1024);
            assertTrue(f.server.getOption(StandardSocketOptions.SO_RCVBUF) >= 32 * 1024);
            assertTrue(f.server.getOption(StandardSocketOptions.SO_REUSEADDR));
            assertThrows(UnsupportedOperationException.class, () -> f.server.getOption(StandardSocketOptions.TCP_NODELAY));
        }
    }

    @Test
    void ourSupportedOptionsAreTheJdksAsynchronousOnes() throws Exception {
        AsynchronousChannelProvider jdk = AsynchronousChannelProvider.provider();
        AsynchronousChannelProvider ours = new IsthmusAsynchronousChannelProvider();
        try (Fixture j = new Fixture(jdk); Fixture o = new Fixture(ours)) {
            Set<SocketOption<?>> js = j.client.supportedOptions();
            Set<SocketOption<?>> os = o.client.supportedOptions();
            assertTrue(js.containsAll(os), "ours " + os + " within the JDK's " + js);
            for (SocketOption<?> opt : new SocketOption<?>[] {StandardSocketOptions.SO_SNDBUF, StandardSocketOptions.SO_RCVBUF,
                    StandardSocketOptions.SO_KEEPALIVE, StandardSocketOptions.SO_REUSEADDR, StandardSocketOptions.TCP_NODELAY}) {
                assertTrue(os.contains(opt), "ours offers " + opt);
            }
            Set<SocketOption<?>> jl = j.server.supportedOptions();
            Set<SocketOption<?>> ol = o.server.supportedOptions();
            assertTrue(jl.containsAll(ol), "ours " + ol + " within the JDK's " + jl);
            assertTrue(ol.containsAll(Set.of(StandardSocketOptions.SO_RCVBUF, StandardSocketOptions.SO_REUSEADDR)));
        }
    }

    @ParameterizedTest
    @MethodSource("ours")
    void eachProviderRefusesTheOthersGroup(AsynchronousChannelProvider ours) throws Exception {
        AsynchronousChannelProvider jdk = AsynchronousChannelProvider.provider();
        AsynchronousChannelGroup jg = jdk.openAsynchronousChannelGroup(1, new Factory());
        AsynchronousChannelGroup og = ours.openAsynchronousChannelGroup(1, new Factory());
        try {
            assertThrows(IllegalChannelGroupException.class, () -> ours.openAsynchronousSocketChannel(jg));
            assertThrows(IllegalChannelGroupException.class, () -> jdk.openAsynchronousSocketChannel(og));
            // the static factories route a group to its own provider
            try (AsynchronousSocketChannel c = AsynchronousSocketChannel.open(og)) {
                assertEquals(ours, c.provider());
                assertInstanceOf(AsyncSocketChannel.class, c);
            }
        } finally {
            jg.shutdownNow();
            og.shutdownNow();
            assertTrue(jg.awaitTermination(WAIT_S, TimeUnit.SECONDS));
            assertTrue(og.awaitTermination(WAIT_S, TimeUnit.SECONDS));
        }
    }

    @ParameterizedTest
    @MethodSource("ours")
    void manyConcurrentEchoClientsOnOurProviderGetTheirBytesBack(AsynchronousChannelProvider ours) throws Exception {
        // 16 clients, each 200 random messages echoed by a handler-driven server, on a two-thread group
        try (Fixture f = new Fixture(ours)) {
            AtomicLong echoed = new AtomicLong();
            f.server.accept(null, new CompletionHandler<AsynchronousSocketChannel, Object>() {
                @Override
                public void completed(AsynchronousSocketChannel ch, Object a) {
                    f.server.accept(null, this);
                    ByteBuffer buf = ByteBuffer.allocateDirect(4096);
                    ch.read(buf, 0, TimeUnit.SECONDS, buf, new CompletionHandler<Integer, ByteBuffer>() {
                        @Override
                        public void completed(Integer n, ByteBuffer b) {
                            if (n < 0) {
                                close(ch);
                                return;
                            }
                            b.flip();
                            CompletionHandler<Integer, ByteBuffer> reader = this;
                            ch.write(b, 0, TimeUnit.SECONDS, b, new CompletionHandler<Integer, ByteBuffer>() {
                                @Override
                                public void completed(Integer w, ByteBuffer bb) {
                                    echoed.addAndGet(w);
                                    if (bb.hasRemaining()) {
                                        ch.write(bb, 0, TimeUnit.SECONDS, bb, this);
                                    } else {
                                        bb.clear();
                                        ch.read(bb, 0, TimeUnit.SECONDS, bb, reader);
                                    }
                                }

                                @Override
                                public void failed(Throwable t, ByteBuffer bb) {
                                    close(ch);
                                }
                            });
                        }

                        @Override
                        public void failed(Throwable t, ByteBuffer b) {
                            close(ch);
                        }
                    });
                }

                @Override
                public void failed(Throwable t, Object a) {
                }
            });
            Random rnd = new Random(7);
            AsynchronousSocketChannel[] clients = new AsynchronousSocketChannel[16];
            for (int i = 0; i < clients.length; i++) {
                clients[i] = ours.openAsynchronousSocketChannel(f.group);
                clients[i].connect(f.server.getLocalAddress()).get(WAIT_S, TimeUnit.SECONDS);
            }
            long sent = 0;
            for (int round = 0; round < 200; round++) {
                byte[][] msgs = new byte[clients.length][];
                for (int i = 0; i < clients.length; i++) {
                    msgs[i] = new byte[1 + rnd.nextInt(3000)];
                    rnd.nextBytes(msgs[i]);
                    writeFully(clients[i], ByteBuffer.wrap(msgs[i]));
                    sent += msgs[i].length;
                }
                for (int i = 0; i < clients.length; i++) {
                    assertArrayEquals(msgs[i], readExactly(clients[i], msgs[i].length, (round & 1) == 0), "client " + i + " round " + round);
                }
            }
            // the server's write handler counts after the bytes left, so the clients may have them first
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_S);
            while (echoed.get() != sent && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertEquals(sent, echoed.get());
            for (AsynchronousSocketChannel c : clients) {
                c.close();
            }
        }
    }

    private static void close(AsynchronousSocketChannel ch) {
        try {
            ch.close();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void theJdkDefaultProviderIsNotOursWithoutTheProperty() {
        assertFalse(AsynchronousChannelProvider.provider() instanceof IsthmusAsynchronousChannelProvider);
        assertTrue(Arrays.stream(IsthmusAsynchronousChannelProvider.class.getConstructors()).anyMatch(c -> c.getParameterCount() == 0));
    }
}
