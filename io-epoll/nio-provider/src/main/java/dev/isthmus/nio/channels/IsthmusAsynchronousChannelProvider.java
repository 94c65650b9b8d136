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
 * AsynchronousServerSocketChannel run on edge-triggered epoll ({@link EpollChannelGroup}). Installed only by
 * {@code -Djava.nio.channels.spi.AsynchronousChannelProvider=dev.isthmus.nio.channels.IsthmusAsynchronousChannelProvider}:
 * the module declares no {@code provides} and the jar no META-INF/services entry, because
 * {@code AsynchronousChannelProvider.provider()} falls back to ServiceLoader on the system class loader and either
 * would let the jar alone replace the JDK's provider.
 */
public final class IsthmusAsynchronousChannelProvider extends AsynchronousChannelProvider {
    private final Object defaultLock = new Object();
    private EpollChannelGroup defaultGroup;

    /** For the system property (the JDK instantiates the named class with its public no-argument constructor). */
    public IsthmusAsynchronousChannelProvider() {
    }

    @Override
    public AsynchronousChannelGroup openAsynchronousChannelGroup(int nThreads, ThreadFactory threadFactory) throws IOException {
        return EpollChannelGroup.fixed(this, nThreads, threadFactory);
    }

    /** {@code initialSize} is a hint for the JDK's own implementation; here one poller thread serves any pool. */
    @Override
    public AsynchronousChannelGroup openAsynchronousChannelGroup(ExecutorService executor, int initialSize) throws IOException {
        return EpollChannelGroup.onExecutor(this, executor);
    }

    @Override
    public AsynchronousServerSocketChannel openAsynchronousServerSocketChannel(AsynchronousChannelGroup group) throws IOException {
        return new AsyncServerSocketChannel(this, groupOf(group));
    }

    @Override
    public AsynchronousSocketChannel openAsynchronousSocketChannel(AsynchronousChannelGroup group) throws IOException {
        return new AsyncSocketChannel(this, groupOf(group));
    }

    private EpollChannelGroup groupOf(AsynchronousChannelGroup group) throws IOException {
        if (group == null) {
            synchronized (defaultLock) {
                if (defaultGroup == null) {
                    defaultGroup = EpollChannelGroup.defaultGroup(this);
                }
                return defaultGroup;
            }
        }
        if (!(group instanceof EpollChannelGroup g) || g.provider() != this) {
            throw new IllegalChannelGroupException();
        }
        if (g.isShutdown()) {
            throw new ShutdownChannelGroupException();
        }
        return g;
    }
}
