package dev.isthmus.stack.examples;

import dev.isthmus.stack.Connection;
import dev.isthmus.stack.ConnectionHandler;
import dev.isthmus.stack.Inbound;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

/**
 * A minimal HTTP/1.1 server that answers every request with "Hello, World!": keep-alive, pipelining,
 * {@code Connection: close}, 400 for a malformed request and 431 for a head over the limit, each error
 * followed by a close. {@link HttpRequestFramer} says where each request ends and what it asked for.
 * <pre>{@code
 * stack.listen(new InetSocketAddress(8080), ListenOptions.defaults(), HttpServer::new);
 * }</pre>
 *
 * <p>The steady state allocates nothing: the framer reads the request in place, the replies are encoded
 * once into native memory, and {@code onData} answers every complete request it was given, in order,
 * then flushes once, so pipelined requests go out in one gathered write.
 *
 * <p>Like {@link EchoServer}, it answers every request it receives even while
 * {@link Connection#isWritable()} is false: the facade has no call to stop reading yet, and a request
 * left unconsumed would only be seen again when more bytes arrive.
 */
public final class HttpServer implements ConnectionHandler {

    private static final String BODY = "Hello, World!";
    private static final String HEADERS = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: "
            + BODY.length() + "\r\n";

    /** The keep-alive reply, 78 bytes (wrk counts 78 per reply). */
    static final MemorySegment OK = nativeAscii(HEADERS + "\r\n" + BODY);
    /** The reply after which the connection is closed (RFC 9112 §9.6: say so with Connection: close). */
    static final MemorySegment OK_CLOSE = nativeAscii(HEADERS + "Connection: close\r\n\r\n" + BODY);
    /** The reply to an HTTP/1.0 client that asked to keep the connection (RFC 9112 §9.3 and appendix C.2.2). */
    static final MemorySegment OK_KEEP_ALIVE = nativeAscii(HEADERS + "Connection: keep-alive\r\n\r\n" + BODY);
    // HEAD gets the same headers and no body (RFC 9110 §9.3.2): the same memory without the last 13 bytes.
    static final MemorySegment OK_HEAD = OK.asSlice(0, OK.byteSize() - BODY.length());
    static final MemorySegment OK_CLOSE_HEAD = OK_CLOSE.asSlice(0, OK_CLOSE.byteSize() - BODY.length());
    static final MemorySegment OK_KEEP_ALIVE_HEAD = OK_KEEP_ALIVE.asSlice(0, OK_KEEP_ALIVE.byteSize() - BODY.length());
    static final MemorySegment BAD_REQUEST = nativeAscii("HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain\r\n"
            + "Content-Length: 12\r\nConnection: close\r\n\r\nBad Request\n");
    static final MemorySegment TOO_LARGE = nativeAscii("HTTP/1.1 431 Request Header Fields Too Large\r\n"
            + "Content-Type: text/plain\r\nContent-Length: 32\r\nConnection: close\r\n\r\n"
            + "Request Header Fields Too Large\n");

    private final HttpRequestFramer framer;
    private boolean closing;

    /** A handler with the default 8 KiB limit on a request head. */
    public HttpServer() {
        this(HttpRequestFramer.DEFAULT_MAX_HEAD_BYTES);
    }

    /** A handler that answers 431 to a request head longer than {@code maxHeadBytes}. */
    public HttpServer(int maxHeadBytes) {
        this.framer = new HttpRequestFramer(maxHeadBytes);
    }

    @Override
    public void onData(Connection connection, Inbound in) {
        if (closing) {
            in.skip(in.readableBytes()); // after the last reply, what the client still sends is ignored
            return;
        }
        int verdict;
        boolean replied = false;
        while ((verdict = framer.next(in)) == HttpRequestFramer.REQUEST) {
            connection.write(reply());
            replied = true;
            if (framer.closeAfterReply()) {
                closing = true;
                break;
            }
        }
        if (verdict == HttpRequestFramer.BAD_REQUEST) {
            connection.write(BAD_REQUEST);
            closing = true;
        } else if (verdict == HttpRequestFramer.TOO_LARGE) {
            connection.write(TOO_LARGE);
            closing = true;
        }
        if (closing) {
            in.skip(in.readableBytes());
            connection.close(); // flushes the replies written above, then closes
        } else if (replied) {
            connection.flush();
        }
    }

    private MemorySegment reply() {
        if (framer.closeAfterReply()) {
            return framer.isHead() ? OK_CLOSE_HEAD : OK_CLOSE;
        }
        if (framer.isHttp10()) {
            return framer.isHead() ? OK_KEEP_ALIVE_HEAD : OK_KEEP_ALIVE;
        }
        return framer.isHead() ? OK_HEAD : OK;
    }

    /** {@code text} as US-ASCII bytes in native memory that lives as long as the process. */
    private static MemorySegment nativeAscii(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        MemorySegment s = Arena.global().allocate(bytes.length);
        MemorySegment.copy(bytes, 0, s, java.lang.foreign.ValueLayout.JAVA_BYTE, 0, bytes.length);
        return s.asReadOnly();
    }
}
