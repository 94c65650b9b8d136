package dev.isthmus.stack.examples;

import dev.isthmus.stack.ListenOptions;
import dev.isthmus.stack.Listener;
import dev.isthmus.stack.NetworkStack;
import dev.isthmus.stack.NetworkStacks;
import dev.isthmus.stack.StackOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The examples end to end over the JDK nio stack and real loopback sockets. */
@Timeout(60)
class ExamplesOverNioTest {
    static NetworkStack stack;
    static int httpPort;
    static int echoPort;

    @BeforeAll
    static void start() throws IOException {
        stack = NetworkStacks.open("nio", StackOptions.defaults().withWorkers(2));
        InetAddress lo = InetAddress.getLoopbackAddress();
        Listener http = stack.listen(new InetSocketAddress(lo, 0), ListenOptions.defaults(), HttpServer::new);
        Listener echo = stack.listen(new InetSocketAddress(lo, 0), ListenOptions.defaults(), EchoServer::new);
        httpPort = ((InetSocketAddress) http.localAddress()).getPort();
        echoPort = ((InetSocketAddress) echo.localAddress()).getPort();
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close(Duration.ofSeconds(5));
        }
    }

    /** Sends {@code request}, then reads until the server closes the connection. */
    static String exchangeUntilClose(String request) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), httpPort)) {
            s.setSoTimeout(20_000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    @Test
    void keepAlivePipeliningAndClose() throws IOException {
        String ok = HttpServerTest.OK;
        String get = "GET / HTTP/1.1\r\nHost: t\r\n\r\n";
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), httpPort)) {
            s.setSoTimeout(20_000);
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            for (int round = 0; round < 20; round++) { // keep-alive: one connection, request after request
                out.write(get.getBytes(StandardCharsets.US_ASCII));
                assertEquals(ok, new String(in.readNBytes(ok.length()), StandardCharsets.US_ASCII));
            }
            byte[] pipelined = (get.repeat(50) + "GET / HTTP/1.1\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII);
            for (byte b : pipelined) { // one byte per write: requests split at every boundary on the wire
                out.write(b);
            }
            assertEquals(ok.repeat(50) + HttpServerTest.OK_CLOSE,
                    new String(in.readAllBytes(), StandardCharsets.US_ASCII), "then EOF");
        }
    }

    @Test
    void errorsAreAnsweredThenTheConnectionCloses() throws IOException {
        assertEquals(HttpServerTest.BAD, exchangeUntilClose("HELLO\r\n\r\n"));
        assertEquals(HttpServerTest.TOO_LARGE,
                exchangeUntilClose("GET / HTTP/1.1\r\nX: " + "a".repeat(9000) + "\r\n\r\n"));
        assertEquals(HttpServerTest.OK_CLOSE, exchangeUntilClose("GET / HTTP/1.0\r\n\r\n"));
    }

    @Test
    void echoSendsBackEveryByte() throws Exception {
        byte[] data = new byte[4 << 20]; // more than the socket buffers and the write watermarks
        new Random(42).nextBytes(data);
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), echoPort)) {
            s.setSoTimeout(20_000);
            Thread writer = Thread.ofVirtual().start(() -> {
                try {
                    s.getOutputStream().write(data);
                    s.shutdownOutput();
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            s.getInputStream().transferTo(got);
            writer.join();
            byte[] back = got.toByteArray();
            assertEquals(data.length, back.length);
            assertArrayEquals(data, Arrays.copyOf(back, back.length));
        }
    }
}
