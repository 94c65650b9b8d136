package dev.isthmus.tests.nioprovider;

import com.sun.net.httpserver.HttpServer;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.spi.SelectorProvider;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Run in a child JVM by {@link NioProviderInChildJvmTest}: the JDK's own {@code com.sun.net.httpserver}
 * server and {@code java.net.http.HttpClient}, unmodified, talking to each other over whatever
 * SelectorProvider the JVM was started with. Sends GETs and POSTs with bodies from 0 bytes to 1 MiB (so
 * reads and writes come back short and meet EAGAIN), eight in flight, and checks every reply byte for byte.
 * Prints {@code provider=<class>} and {@code ok <n>}; exits 1 on the first wrong reply.
 */
public final class HttpRoundTrip {
    private HttpRoundTrip() {
    }

    static byte[] body(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) ('a' + (i * 7 + seed) % 26);
        }
        return b;
    }

    public static void main(String[] args) throws Exception {
        int requests = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        System.out.println("provider=" + SelectorProvider.provider().getClass().getName());
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        server.setExecutor(pool);
        server.createContext("/", exchange -> {
            try (InputStream in = exchange.getRequestBody(); OutputStream out = exchange.getResponseBody()) {
                byte[] req = in.readAllBytes();
                // reply: the method and path, then the request body reversed, so every byte is checked
                byte[] head = (exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath() + "\n")
                        .getBytes(StandardCharsets.US_ASCII);
                byte[] reply = new byte[head.length + req.length];
                System.arraycopy(head, 0, reply, 0, head.length);
                for (int i = 0; i < req.length; i++) {
                    reply[head.length + i] = req[req.length - 1 - i];
                }
                exchange.sendResponseHeaders(200, reply.length);
                out.write(reply);
            }
        });
        server.start();
        int port = server.getAddress().getPort();
        int failures = 0;
        try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build()) {
            int[] sizes = {0, 1, 100, 4096, 65_536, 200_000, 1 << 20};
            int done = 0;
            while (done < requests) {
                List<CompletableFuture<String>> batch = new ArrayList<>();
                for (int j = 0; j < 8 && done < requests; j++, done++) {
                    int i = done;
                    String path = "/r" + i;
                    URI uri = URI.create("http://127.0.0.1:" + port + path);
                    boolean post = i % 2 == 1;
                    byte[] sent = post ? body(sizes[i % sizes.length], i) : new byte[0];
                    HttpRequest req = post
                            ? HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20)).POST(HttpRequest.BodyPublishers.ofByteArray(sent)).build()
                            : HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20)).GET().build();
                    byte[] head = ((post ? "POST" : "GET") + " " + path + "\n").getBytes(StandardCharsets.US_ASCII);
                    batch.add(client.sendAsync(req, HttpResponse.BodyHandlers.ofByteArray()).thenApply(r -> {
                        byte[] want = new byte[head.length + sent.length];
                        System.arraycopy(head, 0, want, 0, head.length);
                        for (int k = 0; k < sent.length; k++) {
                            want[head.length + k] = sent[sent.length - 1 - k];
                        }
                        if (r.statusCode() != 200) {
                            return path + ": status " + r.statusCode();
                        }
                        if (!Arrays.equals(want, r.body())) {
                            return path + ": reply of " + r.body().length + " bytes differs from the " + want.length + " expected";
                        }
                        return null;
                    }));
                }
                for (CompletableFuture<String> f : batch) {
                    String problem = f.join();
                    if (problem != null) {
                        System.out.println("FAIL " + problem);
                        failures++;
                    }
                }
            }
        } finally {
            server.stop(0);
            pool.shutdown();
        }
        if (failures > 0) {
            System.exit(1);
        }
        System.out.println("ok " + requests);
    }
}
