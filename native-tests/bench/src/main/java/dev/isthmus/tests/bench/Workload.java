package dev.isthmus.tests.bench;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/**
 * What the load generator sends and what it must get back, byte for byte.
 *
 * <ul>
 *   <li>{@code http}: a keep-alive {@code GET / HTTP/1.1}, padded with an {@code X-Pad} header to the
 *       request size asked for; the reply is the example server's canned "Hello, World!" (the Netty
 *       comparison servers write the very same bytes, {@link #HTTP_REPLY});</li>
 *   <li>{@code echo}: a payload of the request size; the reply is the same bytes.</li>
 * </ul>
 * Every request of a run is the same, so a reply is checked against one expected array
 * ({@link ReplyValidator}).
 */
public final class Workload {

    /** The application protocol. */
    public enum App {
        HTTP, ECHO, UDP_ECHO;

        /** The name the servers take on their command line ({@code --app http|echo|udp-echo}). */
        public String argument() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /** The reply of the HTTP example (HttpServer's keep-alive reply), as every server under test must send it. */
    public static final byte[] HTTP_REPLY = ("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 13\r\n"
            + "\r\nHello, World!").getBytes(StandardCharsets.US_ASCII);

    private static final String HTTP_HEAD = "GET / HTTP/1.1\r\nHost: bench\r\n";
    private static final String HTTP_PAD = "X-Pad: ";

    /** The shortest HTTP request this harness sends: request line, Host, the empty line. */
    public static final int MIN_HTTP_REQUEST = HTTP_HEAD.length() + 2;

    private final App app;
    private final byte[] request;
    private final byte[] reply;

    private Workload(App app, byte[] request, byte[] reply) {
        this.app = app;
        this.request = request;
        this.reply = reply;
    }

    /**
     * An HTTP workload whose request is {@code requestSize} bytes long, or the shortest request when
     * {@code requestSize} is 0.
     *
     * @throws IllegalArgumentException if {@code requestSize} is neither 0 nor enough for the request line,
     *                                  the Host header and a pad header
     */
    public static Workload http(int requestSize) {
        if (requestSize == 0 || requestSize == MIN_HTTP_REQUEST) {
            return new Workload(App.HTTP, ascii(HTTP_HEAD + "\r\n"), HTTP_REPLY.clone());
        }
        int pad = requestSize - MIN_HTTP_REQUEST - HTTP_PAD.length() - 2;
        if (pad < 1) {
            throw new IllegalArgumentException("an HTTP request is " + MIN_HTTP_REQUEST + " bytes, or at least "
                    + (MIN_HTTP_REQUEST + HTTP_PAD.length() + 3) + " with a pad header; was asked for " + requestSize);
        }
        char[] fill = new char[pad];
        Arrays.fill(fill, 'a');
        return new Workload(App.HTTP, ascii(HTTP_HEAD + HTTP_PAD + new String(fill) + "\r\n\r\n"), HTTP_REPLY.clone());
    }

    /** An echo workload of {@code size}-byte messages, filled with a pattern that a shifted stream would not match. */
    public static Workload echo(int size) {
        if (size < 1) {
            throw new IllegalArgumentException("an echo message must be at least 1 byte, was " + size);
        }
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) {
            b[i] = (byte) ('A' + (i % 23)); // 23 is prime: a reply off by a few bytes does not line up
        }
        return new Workload(App.ECHO, b, b.clone());
    }

    /** The protocol. */
    public App app() {
        return app;
    }

    /** The bytes of one request (a copy). */
    public byte[] request() {
        return request.clone();
    }

    /** The bytes of the one correct reply (a copy). */
    public byte[] reply() {
        return reply.clone();
    }

    /** The request's length in bytes. */
    public int requestSize() {
        return request.length;
    }

    /** The reply's length in bytes. */
    public int replySize() {
        return reply.length;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
