package dev.isthmus.stack.examples;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link HttpServer} and its {@link HttpRequestFramer}, driven through a fake Inbound and Connection. */
class HttpServerTest {

    static final String OK = text(HttpServer.OK);
    static final String OK_CLOSE = text(HttpServer.OK_CLOSE);
    static final String OK_KEEP_ALIVE = text(HttpServer.OK_KEEP_ALIVE);
    static final String OK_HEAD = text(HttpServer.OK_HEAD);
    static final String BAD = text(HttpServer.BAD_REQUEST);
    static final String TOO_LARGE = text(HttpServer.TOO_LARGE);

    static final String GET = "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n";

    /** Feeds {@code chunks} as successive onData calls and returns the connection. */
    static FakeConnection serve(HttpServer server, String... chunks) {
        FakeConnection c = new FakeConnection(true);
        FakeInbound in = new FakeInbound();
        for (String chunk : chunks) {
            in.append(chunk.getBytes(StandardCharsets.ISO_8859_1));
            server.onData(c, in);
            assertEquals(0, c.unflushed(), "every reply written in onData is flushed before it returns");
        }
        assertFalse(c.writeAfterClose, "nothing written after close");
        return c;
    }

    static FakeConnection serve(String... chunks) {
        return serve(new HttpServer(), chunks);
    }

    @Test
    void theReplyIsExactlyTheAgreedBytes() {
        assertEquals("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 13\r\n\r\nHello, World!", OK);
        assertEquals("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 13\r\n\r\n", OK_HEAD);
        assertTrue(HttpServer.OK.isNative(), "preencoded in native memory");
        for (String error : new String[] {BAD, TOO_LARGE}) {
            int body = error.indexOf("\r\n\r\n") + 4;
            assertTrue(error.contains("Content-Length: " + (error.length() - body) + "\r\n"), error);
        }
    }

    @Test
    void oneRequestOneReplyConnectionStaysOpen() {
        FakeConnection c = serve(GET);
        assertEquals(OK, c.sent());
        assertEquals(1, c.flushes);
        assertFalse(c.closed);
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrderWithOneFlush() {
        FakeConnection c = serve(GET + "HEAD /x HTTP/1.1\r\n\r\n" + GET);
        assertEquals(OK + OK_HEAD + OK, c.sent());
        assertEquals(1, c.flushes);
        assertFalse(c.closed);
    }

    @Test
    void noFlushWhenNoRequestIsComplete() {
        FakeConnection c = serve("GET / HTTP/1.1\r\nHo");
        assertEquals("", c.sent());
        assertEquals(0, c.flushes);
    }

    /** A stream of pipelined requests of every kind the server accepts, ending with a close. */
    static final String STREAM = "\r\n" + GET
            + "POST /form HTTP/1.1\r\nContent-Length: 11\r\ncontent-length: 11\r\n\r\nhello=world"
            + "HEAD / HTTP/1.1\r\n\r\n"
            + "GET /lf HTTP/1.1\nHost: x\n\n"
            + "GET /ws HTTP/1.1\r\nX-Long:  \t padded value \t \r\nConnection: Upgrade, keep-alive\r\n\r\n"
            + "GET /last HTTP/1.1\r\nConnection: Keep-Alive, CLOSE\r\n\r\n"
            + "GET /ignored HTTP/1.1\r\n\r\n";
    static final String STREAM_REPLIES = OK + OK + OK_HEAD + OK + OK + OK_CLOSE;

    @Test
    void aStreamOfRequestsInOneCall() {
        FakeConnection c = serve(STREAM);
        assertEquals(STREAM_REPLIES, c.sent());
        assertTrue(c.closed);
    }

    @Test
    void aStreamSplitAtEveryByteBoundary() {
        for (int i = 1; i < STREAM.length(); i++) {
            FakeConnection c = serve(STREAM.substring(0, i), STREAM.substring(i));
            assertEquals(STREAM_REPLIES, c.sent(), "split at " + i);
            assertTrue(c.closed, "split at " + i);
        }
    }

    @Test
    void aStreamOneByteAtATime() {
        String[] bytes = STREAM.split("");
        FakeConnection c = serve(bytes);
        assertEquals(STREAM_REPLIES, c.sent());
        assertTrue(c.closed);
    }

    /**
     * The framer reads the head through a window of 256 bytes that it copies out of the Inbound: lines
     * longer than the window (it grows), lines that cross its end (it copies again from the line's start),
     * a request that ends just before, at or after the window's end, each also split at every byte.
     */
    @Test
    void linesLongerThanTheFramersWindowOrAcrossItsEnd() {
        for (int valueLength : new int[] {200, 230, 231, 232, 233, 234, 235, 240, 255, 256, 300, 511, 512, 513, 3000}) {
            String longOne = "GET / HTTP/1.1\r\nX-Long: " + "v".repeat(valueLength) + "\r\nConnection: close\r\n\r\n";
            String stream = GET + "GET /a HTTP/1.1\r\nX-Short: 1\r\n\r\n" + longOne;
            String replies = OK + OK + OK_CLOSE;
            FakeConnection c = serve(stream);
            assertEquals(replies, c.sent(), "value of " + valueLength);
            assertTrue(c.closed);
            int step = valueLength > 600 ? 97 : 1;
            for (int i = 1; i < stream.length(); i += step) {
                c = serve(stream.substring(0, i), stream.substring(i));
                assertEquals(replies, c.sent(), "value of " + valueLength + ", split at " + i);
            }
        }
    }

    @Test
    void aBodySpreadOverSeveralCallsIsSkipped() {
        FakeConnection c = serve("POST / HTTP/1.1\r\nContent-Length: 14\r\n\r\nGET", " / H", "TTP/1.1", GET);
        assertEquals(OK + OK, c.sent(), "the body looked like a request and must not be parsed as one");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Connection: close", "connection:close", "CONNECTION: Close ", "Connection: keep-alive,close"})
    void connectionCloseRepliesThenCloses(String header) {
        FakeConnection c = serve("GET / HTTP/1.1\r\n" + header + "\r\n\r\n" + GET);
        assertEquals(OK_CLOSE, c.sent());
        assertTrue(c.closed);
    }

    @Test
    void closeIsAWholeTokenNotASubstring() {
        FakeConnection c = serve("GET / HTTP/1.1\r\nConnection: closed, xclose\r\nX-Connection: close\r\n\r\n");
        assertEquals(OK, c.sent());
        assertFalse(c.closed);
    }

    @Test
    void http10ClosesUnlessAskedToKeepAlive() {
        FakeConnection c = serve("GET / HTTP/1.0\r\n\r\n");
        assertEquals(OK_CLOSE, c.sent());
        assertTrue(c.closed);

        c = serve("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n" + "GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n");
        assertEquals(OK_KEEP_ALIVE + OK_KEEP_ALIVE, c.sent());
        assertFalse(c.closed);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "GET / HTTP/1.1 extra\r\n\r\n",
        "GET  / HTTP/1.1\r\n\r\n",
        "GET /\r\n\r\n",
        "/ HTTP/1.1\r\n\r\n",
        "GET / HTTP/2.0\r\n\r\n",
        "GET / http/1.1\r\n\r\n",
        "GET / HTTP/1.10\r\n\r\n",
        "G(T / HTTP/1.1\r\n\r\n",
        "GET /\u0001 HTTP/1.1\r\n\r\n",
        "GET / HTTP/1.1\r\r\n\r\n",
        "GET / HTTP/1.1\r\nHost : x\r\n\r\n",
        "GET / HTTP/1.1\r\nHost x\r\n\r\n",
        "GET / HTTP/1.1\r\n: x\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: x\r\n folded\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: a\rb\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: a\u0000b\r\n\r\n",
        "GET / HTTP/1.1\r\nContent-Length: abc\r\n\r\n",
        "GET / HTTP/1.1\r\nContent-Length: \r\n\r\n",
        "GET / HTTP/1.1\r\nContent-Length: -1\r\n\r\n",
        "GET / HTTP/1.1\r\nContent-Length: 5, 5\r\n\r\n",
        "GET / HTTP/1.1\r\nContent-Length: 99999999999999999999\r\n\r\n",
        "GET / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
        "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
    })
    void malformedRequestsGet400ThenClose(String request) {
        FakeConnection c = serve(request);
        assertEquals(BAD, c.sent(), request);
        assertTrue(c.closed);
    }

    @Test
    void aMalformedRequestAfterGoodOnesIsAnsweredInOrder() {
        FakeConnection c = serve(GET + GET + "BROKEN\r\n\r\n" + GET);
        assertEquals(OK + OK + BAD, c.sent());
        assertTrue(c.closed);
        assertEquals(0, c.flushes, "close flushes the good replies and the 400 together");
    }

    @Test
    void dataAfterTheCloseDecisionIsIgnored() {
        HttpServer server = new HttpServer();
        FakeConnection c = serve(server, "BROKEN\r\n\r\n", GET, GET);
        assertEquals(BAD, c.sent());
    }

    @Test
    void headAtTheLimitIsServedOneByteMoreIs431() {
        int limit = 256;
        String start = "GET / HTTP/1.1\r\nX: ";
        String fill = "a".repeat(limit - start.length() - 4);
        String exact = start + fill + "\r\n\r\n";
        assertEquals(limit, exact.length());
        assertEquals(OK, serve(new HttpServer(limit), exact).sent());
        assertEquals(OK, serve(new HttpServer(limit), exact.substring(0, 100), exact.substring(100)).sent());

        String over = start + fill + "a\r\n\r\n";
        FakeConnection c = serve(new HttpServer(limit), over);
        assertEquals(TOO_LARGE, c.sent());
        assertTrue(c.closed);
        for (int i = 1; i < over.length(); i++) {
            c = serve(new HttpServer(limit), over.substring(0, i), over.substring(i));
            assertEquals(TOO_LARGE, c.sent(), "split at " + i);
        }
    }

    @Test
    void aHugeLineWithoutNewlineIs431WithoutWaitingForTheEnd() {
        FakeConnection c = serve("GET /" + "a".repeat(HttpRequestFramer.DEFAULT_MAX_HEAD_BYTES));
        assertEquals(TOO_LARGE, c.sent());
        assertTrue(c.closed);
    }

    @Test
    void manyHeadersOverTheLimitAre431() {
        StringBuilder sb = new StringBuilder(GET.substring(0, GET.length() - 2));
        while (sb.length() <= HttpRequestFramer.DEFAULT_MAX_HEAD_BYTES) {
            sb.append("X-Header: value\r\n");
        }
        FakeConnection c = serve(GET + sb + "\r\n");
        assertEquals(OK + TOO_LARGE, c.sent());
    }

    @Test
    void limitsOnlyCountTheCurrentRequest() {
        // 100 pipelined requests are far more than the limit together, but each is small.
        FakeConnection c = serve(new HttpServer(64), GET.repeat(100));
        assertEquals(OK.repeat(100), c.sent());
    }

    @Test
    void framerRefusesAnAbsurdLimit() {
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> new HttpRequestFramer(3));
    }

    @Test
    void theHotPathAllocatesNothing() {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        byte[] request = ("GET /plaintext HTTP/1.1\r\nHost: localhost:8080\r\nAccept: text/plain\r\n"
                + "Connection: keep-alive\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        HttpServer server = new HttpServer();
        FakeConnection c = new FakeConnection(false);
        FakeInbound in = new FakeInbound();
        int pipelined = 4;
        run(server, c, in, request, pipelined, 20_000); // warm up: class init, JIT
        long tid = Thread.currentThread().threadId();
        long before = threads.getThreadAllocatedBytes(tid);
        int rounds = 50_000;
        run(server, c, in, request, pipelined, rounds);
        long allocated = threads.getThreadAllocatedBytes(tid) - before;
        assertEquals((long) (rounds + 20_000) * pipelined * HttpServer.OK.byteSize(), c.bytesWritten);
        // 200 000 requests: a single object per request would be megabytes; allow the measurement's own noise.
        assertTrue(allocated < 16 * 1024, "allocated " + allocated + " bytes over " + rounds * pipelined + " requests");
    }

    private static void run(HttpServer server, FakeConnection c, FakeInbound in, byte[] request, int pipelined, int rounds) {
        for (int r = 0; r < rounds; r++) {
            in.clear();
            for (int i = 0; i < pipelined; i++) {
                in.append(request, 0, request.length);
            }
            server.onData(c, in);
            if (in.readableBytes() != 0 || c.closed) {
                throw new AssertionError("request not consumed, or connection closed");
            }
        }
    }

    static String text(MemorySegment s) {
        return new String(s.toArray(ValueLayout.JAVA_BYTE), StandardCharsets.ISO_8859_1);
    }
}
