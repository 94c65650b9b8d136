package dev.isthmus.tests.nioprovider;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.isthmus.tests.nioprovider.NioProviderInChildJvmTest.classPath;
import static dev.isthmus.tests.nioprovider.NioProviderInChildJvmTest.initialized;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Tomcat's NIO2 connector, unmodified, in a fresh JVM started with
 * {@code -Djava.nio.channels.spi.AsynchronousChannelProvider=dev.isthmus.nio.channels.IsthmusAsynchronousChannelProvider}
 * (the JDK picks its provider once per JVM), serving GETs and POST echoes with bodies up to 512 KiB to this JVM's
 * HttpClient, once on each backend ({@code -Disthmus.nio.async.backend=io_uring} and {@code =epoll}); every reply is checked byte for byte, and Tomcat then stops cleanly (its channel group terminates). The child's class-initialization log shows that none of the
 * JDK's asynchronous channel or port classes was initialized, hence none instantiated (JLS 12.4.1), while ours
 * were; the same server without the property shows that the check sees the JDK's classes when they are used and
 * that the jar alone does not install our provider.
 */
class AsyncProviderInChildJvmTest {
    private static final String PROVIDER = "dev.isthmus.nio.channels.IsthmusAsynchronousChannelProvider";
    private static final List<String> JDK_IMPLS = List.of("sun.nio.ch.UnixAsynchronousSocketChannelImpl",
            "sun.nio.ch.UnixAsynchronousServerSocketChannelImpl", "sun.nio.ch.EPollPort",
            "sun.nio.ch.AsynchronousChannelGroupImpl");
    private static final String BACKEND = "isthmus.nio.async.backend";
    /** What every backend of ours initializes. */
    private static final List<String> OURS = List.of("dev.isthmus.nio.channels.AsyncSocketChannel",
            "dev.isthmus.nio.channels.AsyncServerSocketChannel", "dev.isthmus.nio.channels.AsyncGroup");

    /** The classes of one backend ({@code isthmus.nio.async.backend}'s value). */
    private static List<String> backendClasses(String backend) {
        String prefix = backend.equals("io_uring") ? "dev.isthmus.nio.channels.Uring" : "dev.isthmus.nio.channels.Epoll";
        return List.of(prefix + "SocketChannel", prefix + "ServerSocketChannel", prefix + "ChannelGroup");
    }

    private static String otherBackend(String backend) {
        return backend.equals("io_uring") ? "epoll" : "io_uring";
    }

    /** Checks that the child ran on {@code backend}'s classes and on none of the other backend's or the JDK's. */
    private static void assertRanOn(String backend, String log) {
        for (String c : OURS) {
            assertTrue(initialized(log, c), c + " was used");
        }
        for (String c : backendClasses(backend)) {
            assertTrue(initialized(log, c), c + " was used");
        }
        for (String c : backendClasses(otherBackend(backend))) {
            assertFalse(initialized(log, c), c + " was used although " + BACKEND + "=" + backend);
        }
        for (String jdk : JDK_IMPLS) {
            assertFalse(initialized(log, jdk), jdk + " was instantiated: an asynchronous channel bypassed the provider");
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"io_uring", "epoll"})
    void tomcatNio2ConnectorServesHttpOnOurAsynchronousProvider(String backend, @TempDir Path dir) throws Exception {
        Path classLog = dir.resolve("ours.log");
        String out = serveAndCheck(classLog, backend, 25);
        assertTrue(out.contains("provider=" + PROVIDER), out);
        assertTrue(out.contains("protocol=org.apache.coyote.http11.Http11Nio2Protocol"), out);
        assertRanOn(backend, Files.readString(classLog));
    }

    @Test
    void withoutThePropertyTheJdksAsynchronousChannelsServeAndTheLogShowsThem(@TempDir Path dir) throws Exception {
        Path classLog = dir.resolve("jdk.log");
        String out = serveAndCheck(classLog, null, 3);
        assertFalse(out.contains("provider=" + PROVIDER), "the jar alone does not install the provider:\n" + out);
        String log = Files.readString(classLog);
        assertTrue(initialized(log, "sun.nio.ch.UnixAsynchronousSocketChannelImpl")
                && initialized(log, "sun.nio.ch.UnixAsynchronousServerSocketChannelImpl"), "the JDK's channels are seen in the log");
        for (String c : OURS) {
            assertFalse(initialized(log, c), c + " was used without the property");
        }
        for (String c : backendClasses("io_uring")) {
            assertFalse(initialized(log, c), c + " was used without the property");
        }
    }

    /**
     * Plain asynchronous-channel code on the default group with the provider from the module path and the
     * application on the class path: the JDK loads the class named by the property with the system class loader,
     * which finds it once the module is resolved ({@code --add-modules dev.isthmus.nio}).
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"io_uring", "epoll"})
    void defaultGroupEchoRunsWithTheProviderOnTheModulePath(String backend, @TempDir Path dir) throws Exception {
        java.util.Set<String> wanted = java.util.Set.of("dev.isthmus.nio", "dev.isthmus.ffi", "dev.isthmus.linux",
                "dev.isthmus.uring", "dev.isthmus.stack", "org.slf4j");
        List<String> modulePath = new ArrayList<>();
        List<String> classPath = new ArrayList<>();
        for (String entry : classPath().split(java.io.File.pathSeparator)) {
            String name = NioProviderInChildJvmTest.moduleName(Path.of(entry));
            (name != null && wanted.contains(name) ? modulePath : classPath).add(entry);
        }
        assertEquals(wanted.size(), modulePath.size(), "modules found on the test class path: " + modulePath);
        Path classLog = dir.resolve("modules.log");
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--module-path", String.join(java.io.File.pathSeparator, modulePath),
                "--add-modules", "dev.isthmus.nio",
                "--enable-native-access=dev.isthmus.ffi,dev.isthmus.linux,dev.isthmus.uring,dev.isthmus.nio",
                "-Xlog:class+init=info:file=" + classLog,
                "-Djava.nio.channels.spi.AsynchronousChannelProvider=" + PROVIDER,
                "-D" + BACKEND + "=" + backend,
                "-cp", String.join(java.io.File.pathSeparator, classPath),
                AsyncRoundTrip.class.getName(), "100");
        String out = NioProviderInChildJvmTest.run(new ProcessBuilder(cmd).redirectErrorStream(true));
        assertTrue(out.contains("provider=" + PROVIDER) && out.contains("ok 100"), out);
        assertRanOn(backend, Files.readString(classLog));
    }

    /** A child JVM running Tomcat; {@code backend} null: on the JDK's provider, else on ours with that backend. */
    private static ProcessBuilder java(String backend, Path classLog) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("--enable-native-access=ALL-UNNAMED");
        cmd.add("-Xlog:class+init=info:file=" + classLog);
        if (backend != null) {
            cmd.add("-Djava.nio.channels.spi.AsynchronousChannelProvider=" + PROVIDER);
            cmd.add("-D" + BACKEND + "=" + backend);
        }
        cmd.add("-cp");
        cmd.add(classPath());
        cmd.add(TomcatNio2Hello.class.getName());
        return new ProcessBuilder(cmd).redirectErrorStream(true);
    }

    /**
     * Starts Tomcat in a child JVM, waits for its {@code listening on HOST:PORT} line, sends {@code rounds} rounds
     * of eight requests in flight (GETs, and POSTs echoing bodies up to 512 KiB), checks every reply, stops the
     * child; returns what the child printed before it listened.
     */
    private static String serveAndCheck(Path classLog, String backend, int rounds) throws Exception {
        Process p = java(backend, classLog).start();
        StringBuilder seen = new StringBuilder();
        try {
            BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            int port = -1;
            Pattern listening = Pattern.compile("listening on [^:]+:(\\d+)");
            CompletableFuture<Integer> found = CompletableFuture.supplyAsync(() -> {
                try {
                    String line;
                    while ((line = r.readLine()) != null) {
                        synchronized (seen) {
                            seen.append(line).append('\n');
                        }
                        Matcher m = listening.matcher(line);
                        if (m.find()) {
                            return Integer.parseInt(m.group(1));
                        }
                    }
                } catch (IOException e) {
                    return -1;
                }
                return -1;
            });
            port = found.get(90, TimeUnit.SECONDS);
            assertTrue(port > 0, "Tomcat did not start:\n" + seen);
            Thread drain = new Thread(() -> { // keep reading the child's output (for the checks after it stops)
                try {
                    String line;
                    while ((line = r.readLine()) != null) {
                        synchronized (seen) {
                            seen.append(line).append('\n');
                        }
                    }
                } catch (IOException ignored) {
                    // the child exited
                }
            });
            drain.setDaemon(true);
            drain.start();
            try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(10)).build()) {
                for (int round = 0; round < rounds; round++) {
                    List<CompletableFuture<HttpResponse<byte[]>>> batch = new ArrayList<>();
                    List<byte[]> expected = new ArrayList<>();
                    for (int j = 0; j < 8; j++) {
                        String path = "/" + round + "/" + j;
                        URI uri = URI.create("http://127.0.0.1:" + port + path);
                        HttpRequest req;
                        if (j % 2 == 0) {
                            req = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).GET().build();
                            expected.add(("hello " + path).getBytes(StandardCharsets.UTF_8));
                        } else {
                            byte[] body = HttpRoundTrip.body((round * 8 + j) * 2731 % (512 * 1024), round + j);
                            req = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
                            expected.add(body);
                        }
                        batch.add(client.sendAsync(req, HttpResponse.BodyHandlers.ofByteArray()));
                    }
                    for (int j = 0; j < batch.size(); j++) {
                        HttpResponse<byte[]> resp = batch.get(j).get(60, TimeUnit.SECONDS);
                        assertEquals(200, resp.statusCode(), "round " + round + " request " + j);
                        assertArrayEquals(expected.get(j), resp.body(), "round " + round + " request " + j);
                    }
                }
            }
            // a graceful stop: Tomcat shuts its AsynchronousChannelGroup down (shutdownNow, awaitTermination) and warns
            // "has not fully shutdown" if the group does not terminate
            p.getOutputStream().write("stop\n".getBytes(StandardCharsets.US_ASCII));
            p.getOutputStream().flush();
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "Tomcat did not stop in 60 s:\n" + seen);
            drain.join(10_000);
        } finally {
            p.destroyForcibly();
            p.waitFor(20, TimeUnit.SECONDS);
        }
        String out;
        synchronized (seen) {
            out = seen.toString();
        }
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("stopped"), out);
        assertFalse(out.contains("has not fully shutdown"), "the channel group did not terminate:\n" + out);
        return out;
    }
}
