package dev.isthmus.stack.examples;

import dev.isthmus.stack.Connection;
import dev.isthmus.stack.ConnectionHandler;
import dev.isthmus.stack.Inbound;
import dev.isthmus.stack.ListenOptions;
import dev.isthmus.stack.Listener;
import dev.isthmus.stack.NetworkStack;
import dev.isthmus.stack.NetworkStacks;

import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.util.concurrent.CountDownLatch;

/**
 * The tutorial: an echo server, the same code on every stack. Run it with
 * {@code java -Disthmus.stack=epoll -m dev.isthmus.stack/dev.isthmus.stack.examples.EchoServer 7007}
 * (or {@code scripts/serve --app echo}); leave out {@code -Disthmus.stack} to let {@code auto} choose.
 *
 * <p>The stack makes one handler per connection and calls it on that connection's worker thread, so
 * the handler needs no locks. {@code onData} is handed everything received and not yet consumed, as
 * chunks of pooled native memory: each chunk is queued for sending (a copy into the outbound buffer),
 * consumed, and one flush hands them all to the kernel in one gathered write.
 */
public final class EchoServer implements ConnectionHandler {

    @Override
    public void onData(Connection connection, Inbound in) {
        while (in.readableBytes() > 0) {
            MemorySegment chunk = in.firstChunk(); // a view into the stack's buffer: no copy
            connection.write(chunk);
            in.skip(chunk.byteSize());
        }
        connection.flush();
        // A peer that sends without reading fills our outbound queue past the high watermark: stop
        // reading until the peer catches up, so memory stays bounded and TCP pushes back on the sender.
        if (!connection.isWritable()) {
            connection.pauseReading();
        }
    }

    @Override
    public void onWritable(Connection connection) {
        connection.resumeReading(); // the queue fell below the low watermark
    }

    /** Echoes on the port given (default 7007) until Ctrl-C, on the stack named by -Disthmus.stack. */
    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 7007;
        NetworkStack stack = NetworkStacks.open(); // -Disthmus.stack=io_uring|epoll|nio|auto (the default)
        Listener listener = stack.listen(new InetSocketAddress(port), ListenOptions.defaults(), EchoServer::new);
        System.out.println("echo on " + listener.localAddress() + " over " + stack.name());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stack.close(); // drains what is queued (up to StackOptions.closeDrainTimeout), then closes
            stopped.countDown();
        }));
        stopped.await();
    }
}
