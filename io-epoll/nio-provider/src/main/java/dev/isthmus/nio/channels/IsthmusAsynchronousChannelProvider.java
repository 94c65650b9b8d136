package dev.isthmus.nio.channels;

import java.io.IOException;
import java.nio.channels.AsynchronousChannelGroup;
import java.nio.channels.AsynchronousServerSocketChannel;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.IllegalChannelGroupException;
import java.nio.channels.ShutdownChannelGroupException;
import java.nio.channels.spi.AsynchronousChannelProvider;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadFactory;

/**
 * A {@link java.nio.channels.spi.AsynchronousChannelProvider} whose channel groups, AsynchronousSocketChannel and
 * AsynchronousServerSocketChannel run on io_uring ({@link UringChannelGroup}) where it can run and on edge-triggered
 * epoll ({@link EpollChannelGroup}) elsewhere; {@code -Disthmus.nio.async.backend=io_uring|epoll} forces one
 * ({@link AsyncBackend}). Installed only by
 * {@code -Djava.nio.channels.spi.AsynchronousChannelProvider=dev.isthmus.nio.channels.IsthmusAsynchronousChannelProvider}:
 * the module declares no {@code provides} and the jar no META-INF/services entry, because
 * {@code AsynchronousChannelProvider.provider()} falls back to ServiceLoader on the system class loader and either
 * would let the jar alone replace the JDK's provider.
 */
public final class IsthmusAsynchronousChannelProvider extends AsynchronousChannelProvider {
    private final AsyncBackend backend;
    private final Object defaultLock = new Object();
    private AsyncGroup defaultGroup;

    /**
     * For the system property (the JDK instantiates the named class with its public no-argument constructor).
     *
     * @throws IllegalArgumentException for a bad {@code isthmus.nio.async.backend}, or io_uring forced where it cannot run
     */
    public IsthmusAsynchronousChannelProvider() {
        this(AsyncBackend.configured());
    }

    /** A provider on {@code backend} whatever the property says (tests run both). */
    IsthmusAsynchronousChannelProvider(AsyncBackend backend) {
        this.backend = backend;
    }

    /** The kernel interface this provider's groups use. */
    AsyncBackend backend() {
        return backend;
    }

    @Override
    public AsynchronousChannelGroup openAsynchronousChannelGroup(int nThreads, ThreadFactory threadFactory) throws IOException {
        return backend.open(this, GroupPools.fixed(nThreads, threadFactory));
    }

    /** {@code initialSize} is a hint for the JDK's own implementation; here one internal thread serves any pool. */
    @Override
    public AsynchronousChannelGroup openAsynchronousChannelGroup(ExecutorService executor, int initialSize) throws IOException {
        return backend.open(this, GroupPools.callers(executor));
    }

    @Override
    public AsynchronousServerSocketChannel openAsynchronousServerSocketChannel(AsynchronousChannelGroup group) throws IOException {
        return groupOf(group).openServerSocket();
    }

    @Override
    public AsynchronousSocketChannel openAsynchronousSocketChannel(AsynchronousChannelGroup group) throws IOException {
        return groupOf(group).openSocket();
    }

    /** The group for {@code group} (null: the default group, a cached pool that never shuts down). */
    private AsyncGroup groupOf(AsynchronousChannelGroup group) throws IOException {
        if (group == null) {
            synchronized (defaultLock) {
                if (defaultGroup == null) {
                    defaultGroup = backend.open(this, GroupPools.defaultPool());
                }
                return defaultGroup;
            }
        }
        if (!(group instanceof AsyncGroup g) || g.provider() != this) {
            throw new IllegalChannelGroupException();
        }
        if (g.isShutdown()) {
            throw new ShutdownChannelGroupException();
        }
        return g;
    }

    @Override
    public String toString() {
        return "IsthmusAsynchronousChannelProvider[" + backend.value() + "]";
    }
}
