package dev.isthmus.tests.nioprovider;

import dev.isthmus.tests.bench.Workload;
import dev.isthmus.tests.bench.netty.NettyServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.module.ModuleFinder;
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
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Unmodified servers and clients over the Isthmus SelectorProvider, each in a fresh JVM (the JDK picks its
 * provider once per JVM) started with {@code -Djava.nio.channels.spi.SelectorProvider=...}: the JDK's HTTP
 * server and HTTP client talking to each other, and Netty's nio transport and Jetty 12 serving HTTP to this
 * JVM's client.
 * Every reply is checked, and the child's class-initialization log ({@code -Xlog:class+init}) shows that none
 * of the JDK's selector or socket channel implementations was instantiated, while ours were. The same run
 * without the property shows that the log check does see the JDK's classes when they are used.
 */
class NioProviderInChildJvmTest {
    private static final String PROVIDER = "dev.isthmus.nio.channels.IsthmusSelectorProvider";
    private static final List<String> JDK_IMPLS = List.of("sun.nio.ch.EPollSelectorImpl", "sun.nio.ch.PollSelectorImpl",
            "sun.nio.ch.SocketChannelImpl", "sun.nio.ch.ServerSocketChannelImpl");

    static String classPath() {
        String cp = System.getProperty("surefire.test.class.path");
        return cp != null && !cp.isBlank() ? cp : System.getProperty("java.class.path");
    }

    private static ProcessBuilder java(boolean ours, Path classLog, String mainClass, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("--enable-native-access=ALL-UNNAMED");
        cmd.add("-Xlog:class+init=info:file=" + classLog);
        if (ours) {
            cmd.add("-Djava.nio.channels.spi.SelectorProvider=" + PROVIDER);
        }
        cmd.add("-cp");
        cmd.add(classPath());
        cmd.add(mainClass);
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectErrorStream(true);
    }

    /**
     * Whether {@code className} was initialized. A class is initialized before its first instance is created
     * (JLS 12.4.1), so a class never initialized was never instantiated. Loading alone proves nothing: the
     * JDK loads sun.nio.ch.SocketChannelImpl for an {@code instanceof} in Channels.newInputStream while reading
     * its security properties, in every JVM.
     */
    static boolean initialized(String log, String className) {
        return log.contains("Initializing '" + className.replace('.', '/') + "'");
    }

    private static void assertOnlyOurs(Path classLog) throws IOException {
        String log = Files.readString(classLog);
        assertTrue(initialized(log, "dev.isthmus.nio.channels.EpollSelector"), "our selector was used");
        assertTrue(initialized(log, "dev.isthmus.nio.channels.NativeSocketChannel"), "our socket channel was used");
        for (String jdk : JDK_IMPLS) {
            assertFalse(initialized(log, jdk), jdk + " was instantiated: a socket or selector bypassed the provider");
        }
    }

    static String run(ProcessBuilder pb) throws Exception {
        Process p = pb.start();
        String out;
        try {
            CompletableFuture<String> text = CompletableFuture.supplyAsync(() -> {
                try {
                    return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                } catch (IOException e) {
                    return "(output lost: " + e + ")";
                }
            });
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), "child JVM did not finish in 120 s");
            out = text.get(10, TimeUnit.SECONDS);
        } finally {
            p.destroyForcibly();
        }
        assertEquals(0, p.exitValue(), "child JVM failed:\n" + out);
        return out;
    }

    @Test
    void jdkHttpServerAndHttpClientRunOnOurProvider(@TempDir Path dir) throws Exception {
        Path ours = dir.resolve("ours.log");
        String out = run(java(true, ours, HttpRoundTrip.class.getName(), "200"));
        assertTrue(out.contains("provider=" + PROVIDER), out);
        assertTrue(out.contains("ok 200"), out);
        assertOnlyOurs(ours);

        Path jdk = dir.resolve("jdk.log");
        String base = run(java(false, jdk, HttpRoundTrip.class.getName(), "8"));
        assertTrue(base.contains("ok 8"), base);
        String log = Files.readString(jdk);
        assertTrue(initialized(log, "sun.nio.ch.SocketChannelImpl") && initialized(log, "sun.nio.ch.ServerSocketChannelImpl"),
                "without the property the JDK's channels are used and the log shows them");
        assertFalse(initialized(log, "dev.isthmus.nio.channels.EpollSelector"), "the jar alone does not install the provider");
    }

    /**
     * The provider from the module path, the application on the class path: the JDK loads the class named by
     * the property with the system class loader, which finds it once the module is resolved
     * ({@code --add-modules dev.isthmus.nio}); its package is exported for that.
     */
    @Test
    void theProviderLoadsFromTheModulePath(@TempDir Path dir) throws Exception {
        Set<String> wanted = Set.of("dev.isthmus.nio", "dev.isthmus.ffi", "dev.isthmus.linux", "dev.isthmus.uring", "dev.isthmus.stack", "org.slf4j");
        List<String> modulePath = new ArrayList<>();
        List<String> classPath = new ArrayList<>();
        for (String entry : classPath().split(File.pathSeparator)) {
            String name = moduleName(Path.of(entry));
            (name != null && wanted.contains(name) ? modulePath : classPath).add(entry);
        }
        assertEquals(wanted.size(), modulePath.size(), "modules found on the test class path: " + modulePath);
        Path classLog = dir.resolve("modules.log");
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--module-path", String.join(File.pathSeparator, modulePath),
                "--add-modules", "dev.isthmus.nio",
                "--enable-native-access=dev.isthmus.ffi,dev.isthmus.linux,dev.isthmus.uring,dev.isthmus.nio",
                "-Xlog:class+init=info:file=" + classLog,
                "-Djava.nio.channels.spi.SelectorProvider=" + PROVIDER,
                "-cp", String.join(File.pathSeparator, classPath),
                HttpRoundTrip.class.getName(), "16");
        String out = run(new ProcessBuilder(cmd).redirectErrorStream(true));
        assertTrue(out.contains("provider=" + PROVIDER) && out.contains("ok 16"), out);
        assertOnlyOurs(classLog);
    }

    static String moduleName(Path entry) {
        try {
            return ModuleFinder.of(entry).findAll().stream().findFirst().map(m -> m.descriptor().name()).orElse(null);
        } catch (RuntimeException e) {
            return null; // not a usable module (a directory without module-info, a jar with a bad name)
        }
    }

    @Test
    void nettyNioTransportServesHttpOnOurProvider(@TempDir Path dir) throws Exception {
        String expected = new String(Workload.HTTP_REPLY, StandardCharsets.US_ASCII);
        String expectedBody = expected.substring(expected.indexOf("\r\n\r\n") + 4);
        serveAndCheck(dir.resolve("netty.log"), path -> expectedBody, NettyServer.class.getName(),
                "--transport", "nio", "--app", "http", "--host", "127.0.0.1", "--port", "0", "--workers", "1");
    }

    @Test
    void jettyServesHttpOnOurProvider(@TempDir Path dir) throws Exception {
        serveAndCheck(dir.resolve("jetty.log"), path -> "hello " + path, JettyHello.class.getName());
    }

    /**
     * Starts a server in a child JVM on our provider, waits for its {@code listening on HOST:PORT} line, sends
     * 200 requests from this JVM (eight in flight), checks every body against {@code expected(path)}, and
     * checks the child's class-initialization log.
     */
    private static void serveAndCheck(Path classLog, java.util.function.Function<String, String> expected,
                                      String mainClass, String... args) throws Exception {
        Process p = java(true, classLog, mainClass, args).start();
        try {
            BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            int port = -1;
            StringBuilder seen = new StringBuilder();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            Pattern listening = Pattern.compile("listening on [^:]+:(\\d+)");
            String line;
            while (port < 0 && System.nanoTime() < deadline && (line = r.readLine()) != null) {
                seen.append(line).append('\n');
                Matcher m = listening.matcher(line);
                if (m.find()) {
                    port = Integer.parseInt(m.group(1));
                }
            }
            assertTrue(port > 0, mainClass + " did not start:\n" + seen);
            try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(10)).build()) {
                for (int round = 0; round < 25; round++) {
                    List<CompletableFuture<HttpResponse<String>>> batch = new ArrayList<>();
                    List<String> paths = new ArrayList<>();
                    for (int j = 0; j < 8; j++) {
                        String path = "/" + round + "/" + j;
                        paths.add(path);
                        HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                                .timeout(Duration.ofSeconds(20)).GET().build();
                        batch.add(client.sendAsync(req, HttpResponse.BodyHandlers.ofString()));
                    }
                    for (int j = 0; j < batch.size(); j++) {
                        HttpResponse<String> resp = batch.get(j).get(30, TimeUnit.SECONDS);
                        assertEquals(200, resp.statusCode());
                        assertEquals(expected.apply(paths.get(j)), resp.body());
                    }
                }
            }
        } finally {
            p.destroy();
            p.waitFor(20, TimeUnit.SECONDS);
            p.destroyForcibly();
        }
        assertOnlyOurs(classLog);
    }
}
