package dev.isthmus.epoll;

import dev.isthmus.stack.NetworkStack;
import dev.isthmus.stack.NetworkStacks;
import dev.isthmus.stack.StackOptions;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.Callable;

/** Helpers shared by the epoll-specific tests. */
final class EpollTesting {
    private EpollTesting() {
    }

    static final Duration WAIT = Duration.ofSeconds(10);

    static EpollNetworkStack open(int workers, String... properties) throws IOException {
        StackOptions o = StackOptions.defaults().withWorkers(workers);
        for (int i = 0; i < properties.length; i += 2) {
            o = o.withProperty(properties[i], properties[i + 1]);
        }
        NetworkStack s = NetworkStacks.open("epoll", o);
        return (EpollNetworkStack) s;
    }

    static InetSocketAddress loopback() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    }

    static <T> T on(EpollWorker w, Callable<T> task) throws IOException {
        return w.call(() -> {
            try {
                return task.call();
            } catch (IOException | RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IOException(e);
            }
        });
    }

    /** Reads exactly {@code n} bytes into a new buffer (blocking). */
    static ByteBuffer readFully(SocketChannel ch, int n) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(n);
        while (b.hasRemaining()) {
            if (ch.read(b) < 0) {
                throw new IOException("EOF after " + b.position() + " of " + n + " bytes");
            }
        }
        return b.flip();
    }
}
