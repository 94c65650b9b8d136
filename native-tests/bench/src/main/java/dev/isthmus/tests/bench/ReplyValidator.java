package dev.isthmus.tests.bench;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

/**
 * Checks a connection's reply stream against the one expected reply, byte for byte, however the stream
 * is cut into chunks: each call to {@link #accept(MemorySegment, int)} says how many replies the chunk
 * completed, or {@link #MISMATCH} at the first wrong or unexpected byte, after which {@link #error()}
 * says where and what. A wrong reply is an error, never a reply.
 *
 * <p>One per connection, used from its worker thread only. Comparing uses
 * {@link MemorySegment#mismatch}, so a chunk costs one vectorised compare per reply in it, and nothing
 * is allocated until a mismatch.
 */
public final class ReplyValidator {

    /** What {@link #accept} returns once a byte differs from the expected reply. */
    public static final int MISMATCH = -1;

    private final MemorySegment expected;
    private final int length;
    private int offset; // bytes of the current reply already matched
    private long repliesMatched;
    private String error;

    /** A validator for replies equal to {@code expectedReply}. */
    public ReplyValidator(byte[] expectedReply) {
        if (expectedReply.length == 0) {
            throw new IllegalArgumentException("the expected reply is empty");
        }
        this.expected = MemorySegment.ofArray(expectedReply.clone());
        this.length = expectedReply.length;
    }

    /**
     * Consumes {@code chunk}, the next bytes of the stream, while at most {@code outstanding} replies
     * (requests sent and not yet answered, counting those that this chunk completes) may arrive.
     *
     * @return how many replies this chunk completed, or {@link #MISMATCH}
     */
    public int accept(MemorySegment chunk, int outstanding) {
        if (error != null) {
            return MISMATCH;
        }
        long size = chunk.byteSize();
        long pos = 0;
        int completed = 0;
        while (pos < size) {
            if (completed >= outstanding) {
                return fail(chunk, pos, offset, "bytes arrived with no request outstanding");
            }
            long n = Math.min(length - offset, size - pos);
            long at = MemorySegment.mismatch(chunk, pos, pos + n, expected, offset, offset + n);
            if (at >= 0) {
                return fail(chunk, pos + at, offset + (int) at, null);
            }
            pos += n;
            offset += (int) n;
            if (offset == length) {
                offset = 0;
                completed++;
                repliesMatched++;
            }
        }
        return completed;
    }

    /** Whether a reply has started and not ended (bytes of it were received, not all). */
    public boolean inReply() {
        return offset > 0;
    }

    /** Replies matched in full so far. */
    public long repliesMatched() {
        return repliesMatched;
    }

    /** What was wrong, or null while everything matched. */
    public String error() {
        return error;
    }

    /** Records the first error: at {@code pos} in the chunk, which should have been byte {@code off} of a reply. */
    private int fail(MemorySegment chunk, long pos, int off, String why) {
        StringBuilder sb = new StringBuilder();
        if (why != null) {
            sb.append(why);
        } else {
            byte want = expected.get(ValueLayout.JAVA_BYTE, off);
            byte got = chunk.get(ValueLayout.JAVA_BYTE, pos);
            sb.append("reply ").append(repliesMatched + 1).append(" differs at byte ").append(off)
                    .append(": expected ").append(show(want)).append(", got ").append(show(got));
        }
        sb.append("; received \"").append(snippet(chunk, pos)).append('"');
        error = sb.toString();
        return MISMATCH;
    }

    private static String show(byte b) {
        int c = b & 0xff;
        if (c >= 0x20 && c < 0x7f) {
            return "'" + (char) c + "'";
        }
        return String.format("0x%02x", c);
    }

    /** Up to 40 bytes around {@code pos}, printable, for the error message. */
    private static String snippet(MemorySegment chunk, long pos) {
        long from = Math.max(0, pos - 16);
        long to = Math.min(chunk.byteSize(), pos + 24);
        byte[] b = chunk.asSlice(from, to - from).toArray(ValueLayout.JAVA_BYTE);
        String s = new String(b, StandardCharsets.ISO_8859_1);
        StringBuilder out = new StringBuilder();
        for (char ch : s.toCharArray()) {
            switch (ch) {
                case '\r' -> out.append("\\r");
                case '\n' -> out.append("\\n");
                case '"' -> out.append("\\\"");
                default -> out.append(ch >= 0x20 && ch < 0x7f ? String.valueOf(ch) : String.format("\\x%02x", (int) ch));
            }
        }
        return out.toString();
    }
}
