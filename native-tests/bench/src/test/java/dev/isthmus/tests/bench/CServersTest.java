package dev.isthmus.tests.bench;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Builds the C servers of {@code --vs c} from src/main/c with gcc and liburing, as the harness does, starts
 * each through {@link ServerCommand} and {@link ServerProcess}, and checks its replies byte for byte
 * against HttpServer's: one request, a pipelined batch in one write, a request split across two writes,
 * a body, HEAD and HTTP/1.0, Connection: close, a bad request; and the echo app. gcc and liburing-dev
 * are installed here and in CI (.ci/run), so a missing one fails the test rather than skipping it.
 */
class CServersTest {

    private static final byte[] OK = Workload.HTTP_REPLY;
    private static final String HEADERS = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 13\r\n";

    @TempDir
    static Path dir;
    private static Map<String, Path> built;
    private static final Map<String, ServerProcess> HTTP = new HashMap<>();

    @BeforeAll
    static void build() throws IOException {
        built = CServers.build(Path.of("src", "main", "c"), dir.resolve("c-servers"));
        assertEquals(CServers.names(), java.util.List.copyOf(built.keySet()));
        // Warnings do not stop a user's build (another gcc may warn about other things), but here none is left.
        String log = java.nio.file.Files.readString(dir.resolve("c-servers").resolve("build.log"));
        assertTrue(log.contains("gcc -O2") && !log.contains("warning:"), log);
    }

    @AfterAll
    static void stop() {
        HTTP.values().forEach(ServerProcess::close);
    }

    private static ServerProcess start(String name, Workload.App app) throws IOException {
        ServerCommand commands = new ServerCommand(null, null, null, "", built);
        return ServerProcess.start(name, commands.command(name, app, 0, 1, null),
                dir.resolve(name + "-" + app.argument() + ".log"), Duration.ofSeconds(10));
    }

    private static ServerProcess http(String name) throws IOException {
        ServerProcess p = HTTP.get(name);
        if (p == null) {
            p = start(name, Workload.App.HTTP);
            HTTP.put(name, p);
        }
        return p;
    }

    private static Socket connect(ServerProcess p) throws IOException {
        Socket s = new Socket("127.0.0.1", p.port());
        s.setSoTimeout(5000);
        return s;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** Reads exactly n bytes. */
    private static byte[] read(InputStream in, int n) throws IOException {
        byte[] b = in.readNBytes(n);
        assertEquals(n, b.length, "the server closed early: " + new String(b, StandardCharsets.US_ASCII));
        return b;
    }

    private static void assertClosed(InputStream in) throws IOException {
        assertEquals(-1, in.read(), "the connection should be closed after the last reply");
    }

    private static byte[] times(byte[] one, int n) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int i = 0; i < n; i++) {
            b.writeBytes(one);
        }
        return b.toByteArray();
    }

    @ParameterizedTest
    @ValueSource(strings = {"c-epoll", "c-io_uring"})
    void answersLikeTheJavaExample(String name) throws IOException {
        try (Socket s = connect(http(name))) {
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            out.write(ascii("GET / HTTP/1.1\r\nHost: x\r\n\r\n"));
            assertArrayEquals(OK, read(in, OK.length));

            // 16 pipelined requests in one write: 16 replies, in order, nothing more.
            out.write(times(ascii("GET / HTTP/1.1\r\nHost: x\r\n\r\n"), 16));
            assertArrayEquals(times(OK, 16), read(in, OK.length * 16));

            // A request split across two writes (mid-line): one reply, once the second part is there.
            out.write(ascii("GET /split HTTP/1.1\r\nHo"));
            out.flush();
            s.setSoTimeout(200);
            assertThrows(SocketTimeoutException.class, in::read, "no reply to half a request");
            s.setSoTimeout(5000);
            out.write(ascii("st: x\r\n\r\n"));
            assertArrayEquals(OK, read(in, OK.length));

            // A body (Content-Length) is skipped, also when it comes in pieces; bare LF ends lines too.
            out.write(ascii("POST / HTTP/1.1\nContent-Length: 5\n\nab"));
            out.flush();
            out.write(ascii("cdeHEAD / HTTP/1.1\r\n\r\n"));
            assertArrayEquals(OK, read(in, OK.length));
            assertArrayEquals(ascii(HEADERS + "\r\n"), read(in, HEADERS.length() + 2)); // HEAD: no body

            // HTTP/1.0 with keep-alive says so; Connection: close gets its reply, then the close.
            out.write(ascii("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\nGET / HTTP/1.1\r\nConnection: Close\r\n\r\n"));
            byte[] keep = ascii(HEADERS + "Connection: keep-alive\r\n\r\nHello, World!");
            byte[] close = ascii(HEADERS + "Connection: close\r\n\r\nHello, World!");
            assertArrayEquals(keep, read(in, keep.length));
            assertArrayEquals(close, read(in, close.length));
            assertClosed(in);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"c-epoll", "c-io_uring"})
    void queuesWhatTheKernelDoesNotTakeAtOnce(String name) throws Exception {
        // 150,000 pipelined requests while the client reads nothing for a while, through a small receive
        // window: 11.7 MB of replies, more than the server's socket send buffer takes (tcp_wmem's 4 MB at
        // most), so its writes come up short and the rest must wait its turn, in order.
        int n = 150_000;
        try (Socket s = new Socket()) {
            s.setReceiveBufferSize(4096); // before connecting: it sets the window the server may fill
            s.connect(new java.net.InetSocketAddress("127.0.0.1", http(name).port()));
            s.setSoTimeout(5000);
            byte[] batch = times(ascii("GET / HTTP/1.1\r\n\r\n"), 1000);
            Thread writer = Thread.ofVirtual().start(() -> {
                try {
                    for (int i = 0; i < n / 1000; i++) {
                        s.getOutputStream().write(batch);
                    }
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            Thread.sleep(500);
            byte[] all = read(s.getInputStream(), OK.length * n);
            for (int i = 0; i < n; i++) {
                assertArrayEquals(OK, java.util.Arrays.copyOfRange(all, i * OK.length, (i + 1) * OK.length), "reply " + i);
            }
            writer.join(5000);
            s.setSoTimeout(200);
            assertThrows(SocketTimeoutException.class, s.getInputStream()::read, "no reply more than requests");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"c-epoll", "c-io_uring"})
    void refusesABadRequestAndCloses(String name) throws IOException {
        try (Socket s = connect(http(name))) {
            s.getOutputStream().write(ascii("GET / HTTP/1.1\r\n\r\nGET /x HTTP/2.0\r\n\r\nGET / HTTP/1.1\r\n\r\n"));
            byte[] bad = ascii("HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain\r\nContent-Length: 12\r\n"
                    + "Connection: close\r\n\r\nBad Request\n");
            assertArrayEquals(OK, read(s.getInputStream(), OK.length));
            assertArrayEquals(bad, read(s.getInputStream(), bad.length));
            assertClosed(s.getInputStream());
        }
        try (Socket s = connect(http(name))) { // a head over 8 KiB: 431
            s.getOutputStream().write(ascii("GET / HTTP/1.1\r\nX-Long: " + "a".repeat(9000) + "\r\n\r\n"));
            String reply = new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            assertTrue(reply.startsWith("HTTP/1.1 431 Request Header Fields Too Large\r\n"), reply);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"c-epoll", "c-io_uring"})
    void echoesForTheEchoAndPingPongRuns(String name) throws IOException {
        try (ServerProcess p = start(name, Workload.App.ECHO); Socket s = connect(p)) {
            byte[] big = new byte[100_000]; // more than one read, one ring buffer and one socket buffer
            for (int i = 0; i < big.length; i++) {
                big[i] = (byte) (i * 31);
            }
            Thread writer = Thread.ofVirtual().start(() -> {
                try {
                    s.getOutputStream().write(big);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            assertArrayEquals(big, read(s.getInputStream(), big.length));
            try {
                writer.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Test
    void missingSourcesSayWhere(@TempDir Path empty) {
        IOException e = assertThrows(IOException.class, () -> CServers.build(empty, empty.resolve("out")));
        assertTrue(e.getMessage().contains(empty.toAbsolutePath().toString()), e.getMessage());
    }
}
