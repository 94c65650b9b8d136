package dev.isthmus.tests.conformance;

import dev.isthmus.stack.Connection;
import dev.isthmus.stack.ConnectOptions;
import dev.isthmus.stack.ListenOptions;
import dev.isthmus.stack.Listener;
import dev.isthmus.stack.NetworkStack;
import dev.isthmus.stack.Worker;

import java.io.IOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/** Helpers shared by the conformance tests: waiting, running on a worker, counting fds and memory. */
final class Fixtures {
    /** The bound for any single wait in the suite. */
    static final Duration WAIT = Duration.ofSeconds(20);

    private Fixtures() {
    }

    static <T> T get(CompletableFuture<T> f) throws Exception {
        try {
            return f.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception ex) {
                throw ex;
            }
            throw e;
        }
    }

    /** Runs {@code task} on {@code worker}'s thread and returns its result (connection methods need that). */
    static <T> T onWorker(Worker worker, Callable<T> task) throws Exception {
        CompletableFuture<T> f = new CompletableFuture<>();
        worker.execute(() -> {
            try {
                f.complete(task.call());
            } catch (Throwable t) {
                f.completeExceptionally(t);
            }
        });
        return get(f);
    }

    static void onWorker(Connection c, ThrowingConsumer task) throws Exception {
        onWorker(c.worker(), () -> {
            task.accept(c);
            return null;
        });
    }

    interface ThrowingConsumer {
        void accept(Connection c) throws Exception;
    }

    /** Polls {@code condition} until it holds or {@link #WAIT} passes. */
    static void eventually(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            Thread.sleep(10);
        }
    }

    /** Listens on {@code addr} port 0 with {@code handler}s from the supplier and returns the listener. */
    static Listener listen(NetworkStack stack, java.net.InetAddress addr, java.util.function.Supplier<Recorder> handlers)
            throws IOException {
        return stack.listen(new InetSocketAddress(addr, 0), ListenOptions.defaults(), handlers::get);
    }

    /** Connects {@code handler} to {@code listener} and waits until it is open. */
    static Connection connect(NetworkStack stack, Listener listener, Recorder handler) throws Exception {
        return get(stack.connect(listener.localAddress(), ConnectOptions.defaults().withTimeout(WAIT), handler));
    }

    /**
     * fds of the kinds a stack creates: sockets, pipes, anon inodes (epoll, eventfd, io_uring, timerfd).
     * Regular files (jars the JVM opens lazily) are not counted.
     */
    static long stackFds() {
        return fdsMatching(t -> t.startsWith("socket:") || t.startsWith("pipe:") || t.startsWith("anon_inode:"));
    }

    static long socketFds() {
        return fdsMatching(t -> t.startsWith("socket:"));
    }

    private static long fdsMatching(java.util.function.Predicate<String> kind) {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.filter(p -> {
                try {
                    return kind.test(Files.readSymbolicLink(p).toString());
                } catch (IOException e) {
                    return false; // the fd closed while we looked (e.g. the directory's own)
                }
            }).count();
        } catch (IOException e) {
            throw new AssertionError("cannot list /proc/self/fd", e);
        }
    }

    /** Waits until the count of stack-kind fds is back to {@code before}. */
    static void awaitFdsBackTo(long before, java.util.function.LongSupplier counter, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        long now;
        while ((now = counter.getAsLong()) != before) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + ": " + now + " fds open, " + before + " before (leak of " + (now - before) + ")");
            }
            Thread.sleep(10);
        }
    }

    /** The soft RLIMIT_NOFILE of this process, from /proc/self/limits (Java cannot call getrlimit). */
    static long openFilesLimit() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
                if (line.startsWith("Max open files")) {
                    String[] f = line.substring("Max open files".length()).trim().split("\\s+");
                    return f[0].equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(f[0]);
                }
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("no 'Max open files' in /proc/self/limits");
    }

    /** Native memory reserved through the JDK: direct ByteBuffers and Arena-allocated segments. */
    static long directMemory() {
        for (BufferPoolMXBean b : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
            if (b.getName().equals("direct")) {
                return b.getMemoryUsed();
            }
        }
        throw new AssertionError("no direct buffer pool MXBean");
    }

    /**
     * A TCP endpoint on loopback that never answers a SYN, so a connect to it hangs until its timeout.
     * How: a java ServerSocket with backlog 1 that never accepts. Linux drops an incoming SYN while the
     * listener's accept queue is full (tcp_conn_request: sk_acceptq_is_full, counted as ListenOverflows),
     * and the client retransmits it with backoff. We fill the queue with plain sockets until one of them
     * itself times out, which proves SYNs are now dropped. No routes, namespaces or root needed, and
     * nothing leaves loopback.
     */
    static final class Blackhole implements AutoCloseable {
        final ServerSocket server;
        private final List<Socket> fillers = new ArrayList<>();

        Blackhole(java.net.InetAddress addr) throws IOException {
            server = new ServerSocket(0, 1, addr);
            for (int i = 0; i < 16; i++) {
                Socket s = new Socket();
                fillers.add(s);
                try {
                    s.connect(server.getLocalSocketAddress(), 300);
                } catch (SocketTimeoutException full) {
                    return;
                }
            }
            close();
            throw new AssertionError("accept queue of a backlog-1 listener never filled after 16 connects");
        }

        InetSocketAddress address() {
            return (InetSocketAddress) server.getLocalSocketAddress();
        }

        @Override
        public void close() throws IOException {
            for (Socket s : fillers) {
                s.close();
            }
            server.close();
        }
    }

    /** Threads of a stack's workers, found by running a task on each. */
    static List<Thread> workerThreads(NetworkStack stack) throws Exception {
        List<Thread> out = new ArrayList<>();
        for (Worker w : stack.workers()) {
            out.add(onWorker(w, Thread::currentThread));
        }
        return out;
    }

    static void assertAllDead(List<Thread> threads) throws InterruptedException {
        for (Thread t : threads) {
            t.join(Duration.ofSeconds(5));
            if (t.isAlive()) {
                throw new AssertionError("worker thread " + t.getName() + " still alive after the stack closed");
            }
        }
    }
}
