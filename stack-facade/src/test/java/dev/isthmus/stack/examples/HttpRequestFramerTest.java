package dev.isthmus.stack.examples;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link HttpRequestFramer} on its own: the window it keeps across calls. Each request below says what it
 * is in its target ({@code /h} HEAD, {@code /c} close, {@code /10} HTTP/1.0), and the framer's verdicts are
 * compared with that list, so a window that described the wrong bytes (a request read twice, one missed,
 * a body read as a request) fails whatever the split. A window bookkeeping error can also loop
 * forever (a scan that never reaches new bytes): the timeout turns that into a failure.
 */
@Timeout(120)
class HttpRequestFramerTest {

    /** One request and what the framer must report for it. */
    private record Req(String text, String seen) {
    }

    private static Req get(String path, int padding) {
        String pad = padding == 0 ? "" : "X-Pad: " + "p".repeat(padding) + "\r\n";
        return new Req("GET /" + path + " HTTP/1.1\r\nHost: h\r\n" + pad + "\r\n", "R");
    }

    private static Req post(String body) {
        return new Req("POST /p HTTP/1.1\r\nContent-Length: " + body.length() + "\r\n\r\n" + body, "R");
    }

    /** Pipelined requests of mixed sizes: short ones, ones around the 256-byte window, one far over it, bodies. */
    private static final List<Req> MIXED = List.of(
            new Req("\r\n\n", ""), // empty lines before a request line are skipped (RFC 9112 §2.2)
            get("a", 0),
            get("b", 200),
            new Req("HEAD /h HTTP/1.1\r\n\r\n", "RH"),
            // A body that looks like requests: read as one, the list below would not match.
            post("GET /x HTTP/1.1\r\n\r\nGET /y HTTP/1.1\r\n\r\nGET /z HTTP"),
            get("c", 230),
            get("d", 1000), // a line four times the first window: it grows
            new Req("GET /10 HTTP/1.0\nHost: h\n\n", "R0"),
            get("e", 5),
            post("GET / HTTP/1.1\r\n\r\n".repeat(16) + "b".repeat(100)), // a body longer than the window
            get("f", 17),
            new Req("GET /c HTTP/1.1\r\nConnection: close\r\n\r\n", "RC"));

    private static String text(List<Req> reqs) {
        StringBuilder sb = new StringBuilder();
        reqs.forEach(r -> sb.append(r.text()));
        return sb.toString();
    }

    private static List<String> expected(List<Req> reqs) {
        List<String> out = new ArrayList<>();
        for (Req r : reqs) {
            if (!r.seen().isEmpty()) {
                out.add(r.seen());
            }
        }
        return out;
    }

    /** Feeds {@code stream} in pieces ending at {@code cuts} (one onData per piece), framing after each. */
    private static List<String> frame(HttpRequestFramer framer, FakeInbound in, String stream, int... cuts) {
        byte[] bytes = stream.getBytes(StandardCharsets.ISO_8859_1);
        List<String> seen = new ArrayList<>();
        int from = 0;
        for (int i = 0; i <= cuts.length; i++) {
            int to = i < cuts.length ? cuts[i] : bytes.length;
            in.append(bytes, from, to - from);
            from = to;
            int v;
            while ((v = framer.next(in)) == HttpRequestFramer.REQUEST) {
                seen.add("R" + (framer.isHead() ? "H" : "") + (framer.closeAfterReply() && !framer.isHttp10() ? "C" : "")
                        + (framer.isHttp10() ? "0" : ""));
            }
            assertEquals(HttpRequestFramer.NEED_MORE, v, "verdict after the piece ending at " + to);
        }
        return seen;
    }

    private static List<String> frame(String stream, int... cuts) {
        return frame(new HttpRequestFramer(), new FakeInbound(), stream, cuts);
    }

    @Test
    void mixedPipelinedRequestsInOneRead() {
        String stream = text(MIXED);
        FakeInbound in = new FakeInbound();
        assertEquals(expected(MIXED), frame(new HttpRequestFramer(), in, stream));
        assertEquals(0, in.readableBytes(), "everything consumed, bodies included");
    }

    @Test
    void mixedPipelinedRequestsSplitAtEveryBytePosition() {
        String stream = text(MIXED);
        List<String> want = expected(MIXED);
        for (int i = 0; i <= stream.length(); i++) {
            assertEquals(want, frame(stream, i), "split at " + i);
        }
    }

    @Test
    void mixedPipelinedRequestsInThreePiecesOfEveryLength() {
        // Two cuts, the second 1 to 300 bytes after the first: the window is kept over two calls that each
        // end anywhere in a line, a head or a body.
        String stream = text(MIXED);
        List<String> want = expected(MIXED);
        for (int i = 0; i < stream.length(); i += 7) {
            for (int j = i + 1; j <= Math.min(stream.length(), i + 300); j += 3) {
                assertEquals(want, frame(stream, i, j), "split at " + i + " and " + j);
            }
        }
    }

    @Test
    void oneByteAtATime() {
        String stream = text(MIXED);
        int[] cuts = new int[stream.length() - 1];
        for (int i = 0; i < cuts.length; i++) {
            cuts[i] = i + 1;
        }
        assertEquals(expected(MIXED), frame(stream, cuts));
    }

    @Test
    void aHeadLongerThanTheWindowSplitAtEveryBytePosition() {
        // Many short lines (the window fills with lines already read: the current one moves to the front)
        // and one long line (the window grows), with a request on either side.
        String manyLines = "GET /m HTTP/1.1\r\n" + "X-N: 123456789\r\n".repeat(40) + "\r\n";
        String longLine = "GET /l HTTP/1.1\r\nX-L: " + "v".repeat(700) + "\r\n\r\n";
        String stream = "GET /a HTTP/1.1\r\n\r\n" + manyLines + longLine + "GET /b HTTP/1.1\r\n\r\n";
        List<String> want = List.of("R", "R", "R", "R");
        assertEquals(want, frame(stream));
        for (int i = 0; i <= stream.length(); i++) {
            assertEquals(want, frame(stream, i), "split at " + i);
        }
    }

    @Test
    void theLimitCountsFromTheRequestsStartAlsoAfterTheWindowMoved() {
        // The second request's head is exactly at the limit of 300 bytes, after a first one that left the
        // window's start elsewhere; one byte more is refused.
        String first = "GET /a HTTP/1.1\r\nX-P: " + "p".repeat(100) + "\r\n\r\n";
        String prefix = "GET /b HTTP/1.1\r\nX-L: ";
        String atLimit = prefix + "v".repeat(300 - prefix.length() - 4) + "\r\n\r\n";
        assertEquals(300, atLimit.length());
        for (int i = 0; i <= first.length() + atLimit.length(); i += 5) {
            assertEquals(List.of("R", "R"), frame(new HttpRequestFramer(300), new FakeInbound(), first + atLimit, i),
                    "split at " + i);
        }
        String over = prefix + "v".repeat(300 - prefix.length() - 3) + "\r\n\r\n";
        HttpRequestFramer framer = new HttpRequestFramer(300);
        FakeInbound in = new FakeInbound();
        in.append((first + over).getBytes(StandardCharsets.ISO_8859_1));
        assertEquals(HttpRequestFramer.REQUEST, framer.next(in));
        assertEquals(HttpRequestFramer.TOO_LARGE, framer.next(in));
    }

    @Test
    void consumedThenCompactedInboundBuffers() {
        // FakeInbound moves its unread bytes to the front of its array (or into a bigger one) when an
        // append does not fit behind them, as a stack may coalesce chunks: the framer's window is a copy
        // indexed from the first unconsumed byte, so it stays right. Pieces of 1 to 97 bytes force many such moves.
        String stream = text(MIXED).repeat(3);
        for (int step : new int[] {1, 13, 31, 64, 97}) {
            List<Integer> cuts = new ArrayList<>();
            for (int at = step, k = 0; at < stream.length(); at += 1 + (k++ * step) % 97) {
                cuts.add(at);
            }
            int[] c = cuts.stream().mapToInt(Integer::intValue).toArray();
            assertEquals(wantAll(3), frame(stream, c), "pieces from step " + step);
        }
    }

    /** What {@code copies} copies of MIXED in one stream give: the framer reports every request (closing is the caller's). */
    private static List<String> wantAll(int copies) {
        List<String> out = new ArrayList<>();
        for (int r = 0; r < copies; r++) {
            out.addAll(expected(MIXED));
        }
        return out;
    }

    @Test
    void theWindowIsReusedAfterAnInboundWasDrained() {
        // Batch after batch through one framer and one Inbound, as a connection's onData calls go: each
        // batch ends mid-request, which the next completes.
        HttpRequestFramer framer = new HttpRequestFramer();
        FakeInbound in = new FakeInbound();
        String stream = text(MIXED.subList(0, MIXED.size() - 1));
        List<String> want = expected(MIXED.subList(0, MIXED.size() - 1));
        for (int round = 0; round < 20; round++) {
            int cut = 17 + round * 61 % (stream.length() - 17);
            assertEquals(want, frame(framer, in, stream, cut), "round " + round);
            assertEquals(0, in.readableBytes());
        }
    }

    @Test
    void bytesConsumedBehindTheFramersBackAreAnError() {
        HttpRequestFramer framer = new HttpRequestFramer();
        FakeInbound in = new FakeInbound();
        in.append("GET / HTTP/1.1\r\nHost".getBytes(StandardCharsets.ISO_8859_1));
        assertEquals(HttpRequestFramer.NEED_MORE, framer.next(in));
        in.skip(3);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> framer.next(in));
        assertTrue(e.getMessage().contains("only the framer may consume"), e.getMessage());
    }
}
