package dev.isthmus.nio.channels;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The thread pools of the channel groups, as AsynchronousChannelProvider's factory methods describe them, and the
 * daemon threads the groups run internally.
 */
final class GroupPools {
    private GroupPools() {
    }

    /** {@code withFixedThreadPool}: {@code nThreads} threads from {@code factory} run the handlers. */
    static ExecutorService fixed(int nThreads, ThreadFactory factory) {
        if (nThreads <= 0) {
            throw new IllegalArgumentException("'nThreads' must be > 0");
        }
        if (factory == null) {
            throw new NullPointerException("threadFactory");
        }
        return new ThreadPoolExecutor(nThreads, nThreads, 0L, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), factory);
    }

    /** {@code withCachedThreadPool} and {@code withThreadPool}: the caller's executor runs the handlers. */
    static ExecutorService callers(ExecutorService executor) {
        if (executor == null) {
            throw new NullPointerException("executor");
        }
        return executor;
    }

    /**
     * The default group's pool: cached daemon threads, or threads from the factory named by the JDK's
     * {@code java.nio.channels.DefaultThreadPool.threadFactory} property.
     */
    static ExecutorService defaultPool() {
        ThreadFactory factory = daemon("isthmus-aio-default");
        String name = System.getProperty("java.nio.channels.DefaultThreadPool.threadFactory");
        if (name != null) {
            try {
                Class<?> c = Class.forName(name, true, ClassLoader.getSystemClassLoader());
                factory = (ThreadFactory) c.getConstructor().newInstance();
            } catch (ReflectiveOperationException | ClassCastException e) {
                throw new Error("java.nio.channels.DefaultThreadPool.threadFactory=" + name + ": " + e, e);
            }
        }
        return new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60L, TimeUnit.SECONDS, new SynchronousQueue<>(), factory);
    }

    /** Daemon threads named {@code name}, for a group's internal loop and timer. */
    static ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
