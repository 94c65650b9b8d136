package dev.isthmus.stack.examples;

import dev.isthmus.stack.Inbound;

/**
 * Finds where each HTTP/1.1 request ends in a connection's {@link Inbound}, without copying or
 * allocating: just enough of RFC 9112 for a server that answers every request the same way.
 *
 * <p>Call {@link #next(Inbound)} from {@code onData} until it stops returning {@link #REQUEST}. It reads
 * the bytes in place with {@link Inbound#indexOf} and {@link Inbound#getByte}, consumes a request's head
 * once the head is complete and then skips its body ({@code Content-Length}), also when the body arrives
 * over several calls. A head that is still incomplete stays in the Inbound, and the framer remembers how
 * far it has looked, so a request that trickles in byte by byte is scanned once, not once per byte.
 *
 * <p>What it accepts and refuses:
 * <ul>
 *   <li>a request line {@code method SP request-target SP HTTP/1.x} (RFC 9112 §3); anything else is
 *       {@link #BAD_REQUEST}, and so is another major version;</li>
 *   <li>header lines {@code name ":" OWS value OWS} (§5); whitespace before the colon, obsolete line
 *       folding (a line starting with SP or HTAB), a bare CR and control characters are {@link #BAD_REQUEST};</li>
 *   <li>lines end with CRLF or a bare LF (§2.2 lets a recipient accept LF alone); empty lines before the
 *       request line are skipped (§2.2);</li>
 *   <li>{@code Connection: close} (any case, also in a list) ends the connection after the reply;
 *       HTTP/1.0 does so unless it sent {@code Connection: keep-alive} (§9.3);</li>
 *   <li>{@code Content-Length} bodies are skipped; a malformed or conflicting one is {@link #BAD_REQUEST}
 *       (§6.3); {@code Transfer-Encoding} (chunked bodies) is not supported and is {@link #BAD_REQUEST};</li>
 *   <li>a head (request line, headers and the empty line) longer than the limit is {@link #TOO_LARGE}
 *       (431, RFC 6585 §5), also a long request line, where a general server would answer 414.</li>
 * </ul>
 * One framer per connection; not thread-safe (a connection's callbacks all run on one worker).
 */
public final class HttpRequestFramer {

    /** The default limit on a request head: 8 KiB, as nginx's default {@code large_client_header_buffers} line. */
    public static final int DEFAULT_MAX_HEAD_BYTES = 8 * 1024;

    /** No complete request yet; call again when more bytes arrive. */
    public static final int NEED_MORE = 0;
    /** A complete request head was consumed; see {@link #closeAfterReply()} and {@link #isHead()}. */
    public static final int REQUEST = 1;
    /** The request is malformed: answer 400 and close. */
    public static final int BAD_REQUEST = 2;
    /** The request head is longer than the limit: answer 431 and close. */
    public static final int TOO_LARGE = 3;

    private static final byte CR = '\r';
    private static final byte LF = '\n';
    private static final byte SP = ' ';
    private static final byte HTAB = '\t';

    private final int maxHeadBytes;

    // Where the current line of the unfinished head starts, relative to the first unconsumed byte.
    // Valid across onData calls because nothing of an unfinished head is consumed.
    private long lineStart;
    private boolean sawRequestLine;
    private int minorVersion;
    private boolean methodIsHead;
    private boolean connectionClose;
    private boolean connectionKeepAlive;
    private long contentLength;
    // Body bytes of the last request not yet skipped.
    private long bodyRemaining;
    // Set once the framer has refused a request: it stays refused.
    private int failed;

    // Results of the last REQUEST.
    private boolean lastClose;
    private boolean lastHead;
    private boolean lastHttp10;

    /** A framer with the {@link #DEFAULT_MAX_HEAD_BYTES default} head limit. */
    public HttpRequestFramer() {
        this(DEFAULT_MAX_HEAD_BYTES);
    }

    /** @param maxHeadBytes the longest request head accepted, in bytes (at least 16) */
    public HttpRequestFramer(int maxHeadBytes) {
        if (maxHeadBytes < 16) {
            throw new IllegalArgumentException("maxHeadBytes must be at least 16, was " + maxHeadBytes);
        }
        this.maxHeadBytes = maxHeadBytes;
        resetHead();
    }

    /** The head limit in bytes. */
    public int maxHeadBytes() {
        return maxHeadBytes;
    }

    /**
     * Looks for the next complete request in {@code in}: {@link #REQUEST} (its head is consumed),
     * {@link #NEED_MORE}, {@link #BAD_REQUEST} or {@link #TOO_LARGE}. After a refusal every further call
     * returns the same refusal: the connection is to be closed.
     */
    public int next(Inbound in) {
        if (failed != NEED_MORE) {
            return failed;
        }
        if (bodyRemaining > 0) {
            long n = Math.min(bodyRemaining, in.readableBytes());
            in.skip(n);
            bodyRemaining -= n;
            if (bodyRemaining > 0) {
                return NEED_MORE;
            }
        }
        while (true) {
            long lf = in.indexOf(LF, lineStart);
            if (lf < 0) {
                // No end of line yet: the head's terminating LF would come at readableBytes() or later.
                return in.readableBytes() >= maxHeadBytes ? fail(TOO_LARGE) : NEED_MORE;
            }
            if (lf + 1 > maxHeadBytes) {
                return fail(TOO_LARGE);
            }
            long end = lf > lineStart && in.getByte(lf - 1) == CR ? lf - 1 : lf;
            long start = lineStart;
            lineStart = lf + 1;
            if (end == start) { // an empty line
                if (!sawRequestLine) {
                    in.skip(lineStart); // RFC 9112 §2.2: ignore empty lines before the request line
                    lineStart = 0;
                    continue;
                }
                return complete(in, lineStart);
            }
            int verdict = sawRequestLine ? headerLine(in, start, end) : requestLine(in, start, end);
            if (verdict != NEED_MORE) {
                return fail(verdict);
            }
            sawRequestLine = true;
        }
    }

    /** Whether the connection is to be closed after the reply to the last {@link #REQUEST}. */
    public boolean closeAfterReply() {
        return lastClose;
    }

    /** Whether the last {@link #REQUEST} was a HEAD request (the reply carries no body). */
    public boolean isHead() {
        return lastHead;
    }

    /** Whether the last {@link #REQUEST} was HTTP/1.0 (which keeps the connection only if asked to). */
    public boolean isHttp10() {
        return lastHttp10;
    }

    private int complete(Inbound in, long headLength) {
        lastHead = methodIsHead;
        lastHttp10 = minorVersion == 0;
        lastClose = connectionClose || (lastHttp10 && !connectionKeepAlive);
        in.skip(headLength);
        bodyRemaining = contentLength;
        resetHead();
        if (bodyRemaining > 0) {
            long n = Math.min(bodyRemaining, in.readableBytes());
            in.skip(n);
            bodyRemaining -= n;
        }
        return REQUEST;
    }

    private int fail(int verdict) {
        failed = verdict;
        return verdict;
    }

    private void resetHead() {
        lineStart = 0;
        sawRequestLine = false;
        minorVersion = 1;
        methodIsHead = false;
        connectionClose = false;
        connectionKeepAlive = false;
        contentLength = -1;
    }

    /** {@code method SP request-target SP HTTP-version}, RFC 9112 §3; {@code [start, end)} holds no CR/LF. */
    private int requestLine(Inbound in, long start, long end) {
        long p = start;
        while (p < end && isTchar(in.getByte(p))) {
            p++;
        }
        long methodEnd = p;
        if (methodEnd == start || p == end || in.getByte(p) != SP) {
            return BAD_REQUEST;
        }
        methodIsHead = methodEnd - start == 4 && in.getByte(start) == 'H' && in.getByte(start + 1) == 'E'
                && in.getByte(start + 2) == 'A' && in.getByte(start + 3) == 'D';
        long target = ++p;
        while (p < end && isVisible(in.getByte(p))) {
            p++;
        }
        if (p == target || p == end || in.getByte(p) != SP) {
            return BAD_REQUEST;
        }
        p++;
        // HTTP-version = "HTTP/" DIGIT "." DIGIT, and this server speaks only major version 1.
        if (end - p != 8 || in.getByte(p) != 'H' || in.getByte(p + 1) != 'T' || in.getByte(p + 2) != 'T'
                || in.getByte(p + 3) != 'P' || in.getByte(p + 4) != '/' || in.getByte(p + 5) != '1'
                || in.getByte(p + 6) != '.' || !isDigit(in.getByte(p + 7))) {
            return BAD_REQUEST;
        }
        minorVersion = in.getByte(p + 7) - '0';
        return NEED_MORE;
    }

    /** {@code field-name ":" OWS field-value OWS}, RFC 9112 §5; {@code [start, end)} holds no LF. */
    private int headerLine(Inbound in, long start, long end) {
        long p = start;
        while (p < end && isTchar(in.getByte(p))) {
            p++;
        }
        // An empty name, whitespace before the colon (§5.1), or obs-fold (a line starting with SP/HTAB, §5.2).
        if (p == start || p == end || in.getByte(p) != ':') {
            return BAD_REQUEST;
        }
        long nameEnd = p;
        long v = p + 1;
        long ve = end;
        for (long i = v; i < ve; i++) {
            byte b = in.getByte(i);
            if ((b < 0x20 && b != HTAB) || b == 0x7f) {
                return BAD_REQUEST; // includes a bare CR
            }
        }
        while (v < ve && isOws(in.getByte(v))) {
            v++;
        }
        while (ve > v && isOws(in.getByte(ve - 1))) {
            ve--;
        }
        if (nameIs(in, start, nameEnd, "connection")) {
            connectionTokens(in, v, ve);
        } else if (nameIs(in, start, nameEnd, "content-length")) {
            return contentLength(in, v, ve);
        } else if (nameIs(in, start, nameEnd, "transfer-encoding")) {
            return BAD_REQUEST; // chunked bodies are not supported by this example
        }
        return NEED_MORE;
    }

    /** {@code Connection: 1#connection-option}, RFC 9110 §7.6.1: looks for "close" and "keep-alive". */
    private void connectionTokens(Inbound in, long v, long ve) {
        long p = v;
        while (p < ve) {
            long comma = p;
            while (comma < ve && in.getByte(comma) != ',') {
                comma++;
            }
            long s = p;
            long e = comma;
            while (s < e && isOws(in.getByte(s))) {
                s++;
            }
            while (e > s && isOws(in.getByte(e - 1))) {
                e--;
            }
            if (nameIs(in, s, e, "close")) {
                connectionClose = true;
            } else if (nameIs(in, s, e, "keep-alive")) {
                connectionKeepAlive = true;
            }
            p = comma + 1;
        }
    }

    /** {@code Content-Length: 1*DIGIT}; a repeated header must carry the same value (RFC 9110 §8.6). */
    private int contentLength(Inbound in, long v, long ve) {
        if (v == ve || ve - v > 18) { // 18 digits cannot overflow a long
            return BAD_REQUEST;
        }
        long n = 0;
        for (long i = v; i < ve; i++) {
            byte b = in.getByte(i);
            if (!isDigit(b)) {
                return BAD_REQUEST;
            }
            n = n * 10 + (b - '0');
        }
        if (contentLength >= 0 && contentLength != n) {
            return BAD_REQUEST;
        }
        contentLength = n;
        return NEED_MORE;
    }

    /** Case-insensitive comparison of {@code [s, e)} with a lower-case ASCII {@code name}. */
    private static boolean nameIs(Inbound in, long s, long e, String name) {
        if (e - s != name.length()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            byte b = in.getByte(s + i);
            if (b >= 'A' && b <= 'Z') {
                b += 'a' - 'A';
            }
            if (b != name.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** tchar, RFC 9110 §5.6.2: the characters of a token (method, field name). */
    private static boolean isTchar(byte b) {
        if ((b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || isDigit(b)) {
            return true;
        }
        return switch (b) {
            case '!', '#', '$', '%', '&', '\'', '*', '+', '-', '.', '^', '_', '`', '|', '~' -> true;
            default -> false;
        };
    }

    /** A request-target byte: visible US-ASCII or above (no SP, no controls). */
    private static boolean isVisible(byte b) {
        return (b & 0xff) > 0x20 && b != 0x7f;
    }

    private static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }

    private static boolean isOws(byte b) {
        return b == SP || b == HTAB;
    }
}
