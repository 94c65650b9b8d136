package dev.isthmus.tests.bench.nio;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.channels.spi.SelectorProvider;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The JDK's own HTTP server ({@code com.sun.net.httpserver}, module jdk.httpserver), unmodified, for
 * {@code scripts/bench --vs nio} ({@code jdk-httpserver}, and {@code jdk-httpserver-isthmus} in a JVM started
 * with our SelectorProvider): it runs on a Selector and SocketChannels from {@link SelectorProvider#provider()}.
 * Answers every request with {@code 200}, {@code Content-Type: text/plain} and "Hello, World!" (the server adds
 * its own {@code Date} header).
 *
 * <p>Threads: with {@code --workers 1} (the bench's default) no executor is set, so the server's one dispatcher
 * thread accepts, selects and runs every exchange itself (HttpServer#setExecutor: "the thread which was created
 * by the start() method"), one thread like the other servers' one worker; with {@code --workers N > 1} the
 * exchanges run on a fixed pool of N threads and the dispatcher only selects.
 * <pre>
 * java -cp ... dev.isthmus.tests.bench.nio.JdkHttpServerMain --app http --host 127.0.0.1 --port 0 --workers 1
 * </pre>
 * Exit status 2 for a bad command line, 1 when it cannot listen; runs until SIGTERM.
 */
public final class JdkHttpServerMain {

    static final String NAME = "jdk-httpserver";
    private static final byte[] BODY = HelloServerArguments.BODY.getBytes(StandardCharsets.US_ASCII);

    private JdkHttpServerMain() {
    }

    public static void main(String[] args) {
        HelloServerArguments a = HelloServerArguments.parseOrExit(NAME, args);
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(a.host(), a.port()), 1024);
        } catch (IOException e) {
            HelloServerArguments.exitCannotServe(NAME, "cannot listen on " + a.host() + ":" + a.port() + ": " + e);
            return;
        }
        server.createContext("/", JdkHttpServerMain::hello);
        ExecutorService pool = a.workers() > 1 ? Executors.newFixedThreadPool(a.workers()) : null;
        server.setExecutor(pool);
        server.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.stop(0);
            if (pool != null) {
                pool.shutdownNow();
            }
        }, NAME + "-shutdown"));
        HelloServerArguments.announce(NAME, a.workers() > 1 ? "dispatcher + " + a.workers() + " handler threads"
                : "one dispatcher thread runs every exchange", SelectorProvider.provider(), a.host(),
                server.getAddress().getPort());
    }

    private static void hello(HttpExchange exchange) throws IOException {
        try (exchange) {
            exchange.getResponseHeaders().set("Content-Type", "text/plain");
            exchange.sendResponseHeaders(200, BODY.length); // before getResponseBody, as HttpExchange asks
            OutputStream body = exchange.getResponseBody();
            body.write(BODY);
        }
    }
}
