package dev.isthmus.tests.bench.nio;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

import java.nio.ByteBuffer;
import java.nio.channels.spi.SelectorProvider;
import java.nio.charset.StandardCharsets;

/**
 * Jetty 12's server, unmodified, for {@code scripts/bench --vs nio} ({@code jetty}, and {@code jetty-isthmus}
 * in a JVM started with our SelectorProvider): a {@link ServerConnector}, which selects with a Selector from
 * {@link SelectorProvider#provider()}, and a non-blocking core handler (no servlet layer) that answers every
 * request with {@code 200}, {@code Content-Type: text/plain} and "Hello, World!" in one last write. Jetty adds
 * its own {@code Date} and {@code Server} headers.
 *
 * <p>Threads: {@code --workers} selectors (1 by default) and no acceptor thread: with 0 acceptors the
 * ServerConnector registers its server channel with a selector, which accepts as our servers' workers do.
 * Requests run on a {@link QueuedThreadPool} of {@value #MIN_THREADS} to {@value #MAX_THREADS} threads (the
 * selectors' included), through Jetty's adaptive execution strategy, which lets the selecting thread run a
 * request itself while another pool thread stands by to take over selecting; Jetty's default pool (8 to 200
 * threads) would only add idle threads on the one CPU the bench gives a server.
 * <pre>
 * java -cp ... dev.isthmus.tests.bench.nio.JettyMain --app http --host 127.0.0.1 --port 0 --workers 1
 * </pre>
 * Exit status 2 for a bad command line, 1 when it cannot listen; runs until SIGTERM.
 */
public final class JettyMain {

    static final String NAME = "jetty";
    static final int MIN_THREADS = 4;
    static final int MAX_THREADS = 8;
    /** The body, read-only, shared: each reply writes a slice of it (position and limit of its own). */
    private static final ByteBuffer BODY = ByteBuffer.wrap(HelloServerArguments.BODY.getBytes(StandardCharsets.US_ASCII))
            .asReadOnlyBuffer();

    private JettyMain() {
    }

    public static void main(String[] args) {
        HelloServerArguments a = HelloServerArguments.parseOrExit(NAME, args);
        QueuedThreadPool threads = new QueuedThreadPool(Math.max(MAX_THREADS, 2 * a.workers() + 2), MIN_THREADS);
        threads.setName(NAME);
        Server server = new Server(threads);
        ServerConnector connector = new ServerConnector(server, 0, a.workers(), new HttpConnectionFactory());
        connector.setHost(a.host());
        connector.setPort(a.port());
        connector.setAcceptQueueSize(1024);
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract.NonBlocking() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                response.setStatus(200);
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain");
                response.getHeaders().put(HttpHeader.CONTENT_LENGTH, BODY.remaining());
                response.write(true, BODY.slice(), callback);
                return true;
            }
        });
        try {
            server.start();
        } catch (Exception e) {
            HelloServerArguments.exitCannotServe(NAME, "cannot listen on " + a.host() + ":" + a.port() + ": " + e);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                server.stop();
            } catch (Exception e) {
                System.err.println(NAME + ": stopping: " + e);
            }
        }, NAME + "-shutdown"));
        HelloServerArguments.announce(NAME, a.workers() + " selector(s), no acceptor thread, " + threads.getMinThreads()
                + ".." + threads.getMaxThreads() + " pool threads", SelectorProvider.provider(), a.host(), connector.getLocalPort());
    }
}
