package dev.isthmus.tests.bench;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every server of {@code --vs nio} started with the very command line the harness uses ({@link ServerCommand},
 * unpinned, without JFR), on the JDK's providers and on ours: it says it listens, names the provider it runs on in
 * its log, and answers 64 keep-alive requests, eight in flight, with 200, text/plain and "Hello, World!".
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class NioServersServeTest {

    static List<String> servers() {
        return NioServers.names();
    }

    @ParameterizedTest
    @MethodSource("servers")
    void servesHelloWorldOnTheProviderItsNameSays(String server, @TempDir Path dir) throws Exception {
        List<String> command = new ServerCommand(null, null, null, "", Map.of())
                .command(server, Workload.App.HTTP, 0, 1, null);
        try (ServerProcess p = ServerProcess.start(server, command, dir.resolve(server + ".log"), Duration.ofSeconds(60));
             HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                     .connectTimeout(Duration.ofSeconds(10)).build()) {
            URI uri = URI.create("http://127.0.0.1:" + p.port() + "/");
            for (int round = 0; round < 8; round++) {
                List<CompletableFuture<HttpResponse<String>>> batch = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    batch.add(client.sendAsync(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).GET().build(),
                            HttpResponse.BodyHandlers.ofString()));
                }
                for (CompletableFuture<HttpResponse<String>> f : batch) {
                    HttpResponse<String> r = f.get(60, TimeUnit.SECONDS);
                    assertEquals(200, r.statusCode(), server);
                    assertEquals("Hello, World!", r.body(), server);
                    assertEquals("text/plain", r.headers().firstValue("Content-Type").orElse(""), server);
                }
            }
            String log = Files.readString(p.log());
            String provider = NioServers.onIsthmus(server) ? "provider dev.isthmus.nio.channels.Isthmus" : "provider sun.nio.ch.";
            assertTrue(log.contains(provider), server + " runs on the provider its name says:\n" + log);
        }
    }
}
