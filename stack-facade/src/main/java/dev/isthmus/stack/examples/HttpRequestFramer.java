package dev.isthmus.stack.examples;

import dev.isthmus.stack.Inbound;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Finds where each HTTP/1.1 request ends in a connection's {@link Inbound}, without allocating in the
 * steady state: just enough of RFC 9112 for a server that answers every request the same way.
 *
 * <p>Call {@link #next(Inbound)} from {@code onData} until it stops returning {@link #REQUEST}. It
 * copies the unread bytes into an array of its own, a window of 256 bytes to start with, and reads them
 * there (one bulk copy, then plain array reads, instead of a checked {@link Inbound#indexOf} and
 * {@link Inbound#getByte} per byte examined, which were the largest share of the HTTP example's
 * user-space CPU samples). The window is kept across calls: the framer consumes a request's head once
 * the head is complete, skips its body ({@code Content-Length}, also when the body arrives over several
 * calls), and moves the start of its window past what it consumed, so the next request of a pipelined
 * batch is read where it already lies in the window. Only when the scan reaches the window's end is more
 * copied in, after the current line is moved to the front (or the window doubled, up to the head limit,
 * when one line fills it): every byte is copied out of the Inbound once, and at most the bytes of one
 * line move again. A head that is still incomplete stays in the Inbound, and the framer remembers how
 * far it has looked, so a request that trickles in byte by byte is scanned once, not once per byte.
 *
 * <p>Between calls nothing but the framer may consume from the Inbound (the window would describe
 * bytes that are gone); a call that finds fewer bytes than it had copied throws
 * {@link IllegalStateException}. After a refusal the caller may discard the rest.
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

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;
    private static final long LFS = LF * ONES;
    /** tchar, RFC 9110 §5.6.2, by byte value: one load instead of a chain of comparisons per byte. */
    private static final boolean[] TCHAR = new boolean[256];

    static {
        for (int c = 0; c < 128; c++) {
            TCHAR[c] = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
        }
    }

    private final int maxHeadBytes;
    /**
     * The window {@link #next} copies the unread bytes into: 256 bytes to start with (several requests of a
     * load generator, most lines of a browser's), doubled up to the head limit when one line fills it.
     */
    private byte[] line = new byte[256];
    /**
     * Where the Inbound's first unconsumed byte is in {@link #line}: {@code line[winOff + i]} is its byte
     * {@code i}. Negative after the current line was moved to the front: the head's earlier lines, read
     * already, are no longer in the window.
     */
    private int winOff;
    /** The end of the bytes copied into {@link #line}: the Inbound's bytes up to {@code winEnd - winOff} are in it. */
    private int winEnd;

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

    /**
     * A framer with its own head limit.
     *
     * @param maxHeadBytes the longest request head accepted, in bytes (at least 16)
     */
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
        if (winEnd - winOff > in.readableBytes()) {
            throw staleWindow(in);
        }
        if (bodyRemaining > 0) {
            long n = Math.min(bodyRemaining, in.readableBytes());
            consume(in, n);
            bodyRemaining -= n;
            if (bodyRemaining > 0) {
                return NEED_MORE;
            }
        }
        byte[] b = line;
        while (true) {
            // Copy in what the Inbound has beyond the window, as far as the array has room.
            long copied = winEnd - winOff;
            long more = in.readableBytes() - copied;
            if (more > 0 && winEnd < b.length) {
                int n = (int) Math.min(more, b.length - winEnd);
                in.copyTo(copied, b, winEnd, n);
                winEnd += n;
                more -= n;
            }
            // The current line starts at b[s]; b[winOff + i] is the Inbound's byte i.
            int s = winOff + (int) lineStart;
            int lf;
            while ((lf = indexOfLf(b, s, winEnd)) >= 0) {
                lineStart = lf + 1 - winOff;
                if (lineStart > maxHeadBytes) {
                    return fail(TOO_LARGE);
                }
                int end = lf > s && b[lf - 1] == CR ? lf - 1 : lf;
                if (end == s) { // an empty line
                    if (!sawRequestLine) {
                        consume(in, lineStart); // RFC 9112 §2.2: ignore empty lines before the request line
                        lineStart = 0;
                        s = winOff;
                        continue;
                    }
                    return complete(in, lineStart);
                }
                int verdict = sawRequestLine ? headerLine(b, s, end) : requestLine(b, s, end);
                if (verdict != NEED_MORE) {
                    return fail(verdict);
                }
                sawRequestLine = true;
                s = lf + 1;
            }
            // No end of line in the window: the current line goes on in bytes not copied yet, if any
            // (skipping empty lines above consumed copied bytes only, so more still holds).
            if (more <= 0) {
                return in.readableBytes() >= maxHeadBytes ? fail(TOO_LARGE) : NEED_MORE;
            }
            // The array is full (more is left after the copy): make room and copy again.
            if (s > 0) {
                // Only the current line is still needed: move it to the front (at most one line, and a
                // short one in the steady state, so bytes are moved about once).
                System.arraycopy(b, s, b, 0, winEnd - s);
                winEnd -= s;
                winOff -= s;
            } else if (b.length >= maxHeadBytes) {
                return fail(TOO_LARGE); // one line fills the limit: its LF, if any, lies past it
            } else {
                line = b = Arrays.copyOf(b, Math.min(maxHeadBytes, b.length * 2));
            }
        }
    }

    /** The window holds bytes the Inbound no longer has: someone else consumed them. */
    private IllegalStateException staleWindow(Inbound in) {
        return new IllegalStateException("the Inbound has " + in.readableBytes() + " bytes but the framer had "
                + "already copied " + (winEnd - winOff) + ": only the framer may consume between its calls");
    }

    /**
     * Skips {@code n} bytes of {@code in} and keeps the window in step: what is left of it still
     * starts with the Inbound's first byte, and an emptied window starts over at the array's start.
     */
    private void consume(Inbound in, long n) {
        in.skip(n);
        if (n >= winEnd - winOff) {
            winOff = 0; // also when n went past the window (a body): those bytes were never copied
            winEnd = 0;
        } else {
            winOff += (int) n;
        }
    }

    /**
     * The index of the first LF in {@code b[from, to)}, or -1: eight bytes per step, as
     * {@code InboundChain.indexIn} does (the "haszero" trick, Hacker's Delight §6-1: XOR with LF in every
     * byte turns a match into a zero byte, {@code (x - 0x01..01) & ~x & 0x80..80} sets the high bit of
     * every zero byte and maybe of bytes above one, never below, so in little-endian order the lowest set
     * bit is the first match). The last word may reach past {@code to} into the window's unused bytes,
     * which the mask discards; only at the array's end does it go byte by byte.
     */
    private static int indexOfLf(byte[] b, int from, int to) {
        int i = from;
        for (; i < to && i <= b.length - Long.BYTES; i += Long.BYTES) {
            long x = (long) LONGS.get(b, i) ^ LFS;
            long found = (x - ONES) & ~x & HIGHS;
            int left = to - i;
            if (left < Long.BYTES) {
                found &= (1L << (left << 3)) - 1; // only the bytes before to
            }
            if (found != 0) {
                return i + (Long.numberOfTrailingZeros(found) >>> 3);
            }
        }
        for (; i < to; i++) {
            if (b[i] == LF) {
                return i;
            }
        }
        return -1;
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
        consume(in, headLength);
        bodyRemaining = contentLength;
        resetHead();
        if (bodyRemaining > 0) {
            long n = Math.min(bodyRemaining, in.readableBytes());
            consume(in, n);
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

    /** {@code method SP request-target SP HTTP-version}, RFC 9112 §3; {@code b[start, end)} holds no CR/LF. */
    private int requestLine(byte[] b, int start, int end) {
        int p = start;
        while (p < end && isTchar(b[p])) {
            p++;
        }
        int methodEnd = p;
        if (methodEnd == start || p == end || b[p] != SP) {
            return BAD_REQUEST;
        }
        methodIsHead = methodEnd - start == 4 && b[start] == 'H' && b[start + 1] == 'E' && b[start + 2] == 'A'
                && b[start + 3] == 'D';
        int target = ++p;
        while (p < end && isVisible(b[p])) {
            p++;
        }
        if (p == target || p == end || b[p] != SP) {
            return BAD_REQUEST;
        }
        p++;
        // HTTP-version = "HTTP/" DIGIT "." DIGIT, and this server speaks only major version 1.
        if (end - p != 8 || b[p] != 'H' || b[p + 1] != 'T' || b[p + 2] != 'T' || b[p + 3] != 'P'
                || b[p + 4] != '/' || b[p + 5] != '1' || b[p + 6] != '.' || !isDigit(b[p + 7])) {
            return BAD_REQUEST;
        }
        minorVersion = b[p + 7] - '0';
        return NEED_MORE;
    }

    /** {@code field-name ":" OWS field-value OWS}, RFC 9112 §5; {@code b[start, end)} holds no LF. */
    private int headerLine(byte[] b, int start, int end) {
        int p = start;
        while (p < end && isTchar(b[p])) {
            p++;
        }
        // An empty name, whitespace before the colon (§5.1), or obs-fold (a line starting with SP/HTAB, §5.2).
        if (p == start || p == end || b[p] != ':') {
            return BAD_REQUEST;
        }
        int nameEnd = p;
        int v = p + 1;
        int ve = end;
        for (int i = v; i < ve; i++) {
            byte c = b[i];
            if ((c < 0x20 && c != HTAB) || c == 0x7f) {
                return BAD_REQUEST; // includes a bare CR
            }
        }
        while (v < ve && isOws(b[v])) {
            v++;
        }
        while (ve > v && isOws(b[ve - 1])) {
            ve--;
        }
        if (nameIs(b, start, nameEnd, "connection")) {
            connectionTokens(b, v, ve);
        } else if (nameIs(b, start, nameEnd, "content-length")) {
            return contentLength(b, v, ve);
        } else if (nameIs(b, start, nameEnd, "transfer-encoding")) {
            return BAD_REQUEST; // chunked bodies are not supported by this example
        }
        return NEED_MORE;
    }

    /** {@code Connection: 1#connection-option}, RFC 9110 §7.6.1: looks for "close" and "keep-alive". */
    private void connectionTokens(byte[] b, int v, int ve) {
        int p = v;
        while (p < ve) {
            int comma = p;
            while (comma < ve && b[comma] != ',') {
                comma++;
            }
            int s = p;
            int e = comma;
            while (s < e && isOws(b[s])) {
                s++;
            }
            while (e > s && isOws(b[e - 1])) {
                e--;
            }
            if (nameIs(b, s, e, "close")) {
                connectionClose = true;
            } else if (nameIs(b, s, e, "keep-alive")) {
                connectionKeepAlive = true;
            }
            p = comma + 1;
        }
    }

    /** {@code Content-Length: 1*DIGIT}; a repeated header must carry the same value (RFC 9110 §8.6). */
    private int contentLength(byte[] b, int v, int ve) {
        if (v == ve || ve - v > 18) { // 18 digits cannot overflow a long
            return BAD_REQUEST;
        }
        long n = 0;
        for (int i = v; i < ve; i++) {
            byte c = b[i];
            if (!isDigit(c)) {
                return BAD_REQUEST;
            }
            n = n * 10 + (c - '0');
        }
        if (contentLength >= 0 && contentLength != n) {
            return BAD_REQUEST;
        }
        contentLength = n;
        return NEED_MORE;
    }

    /** Case-insensitive comparison of {@code b[s, e)} with a lower-case ASCII {@code name}. */
    private static boolean nameIs(byte[] b, int s, int e, String name) {
        if (e - s != name.length()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            byte c = b[s + i];
            if (c >= 'A' && c <= 'Z') {
                c += 'a' - 'A';
            }
            if (c != name.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** tchar, RFC 9110 §5.6.2: the characters of a token (method, field name). */
    private static boolean isTchar(byte b) {
        return TCHAR[b & 0xff];
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
