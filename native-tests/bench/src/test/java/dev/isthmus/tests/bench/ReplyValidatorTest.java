package dev.isthmus.tests.bench;

import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReplyValidatorTest {

    private static final byte[] REPLY = Workload.HTTP_REPLY;

    private static MemorySegment seg(byte[] b, int from, int to) {
        return MemorySegment.ofArray(java.util.Arrays.copyOfRange(b, from, to));
    }

    private static byte[] twice(byte[] b) {
        byte[] two = new byte[b.length * 2];
        System.arraycopy(b, 0, two, 0, b.length);
        System.arraycopy(b, 0, two, b.length, b.length);
        return two;
    }

    @Test
    void wholeReplyInOneChunk() {
        ReplyValidator v = new ReplyValidator(REPLY);
        assertEquals(1, v.accept(seg(REPLY, 0, REPLY.length), 1));
        assertEquals(1, v.repliesMatched());
        assertFalse(v.inReply());
        assertNull(v.error());
    }

    @Test
    void replySplitAtEveryByte() {
        for (int cut = 1; cut < REPLY.length; cut++) {
            ReplyValidator v = new ReplyValidator(REPLY);
            assertEquals(0, v.accept(seg(REPLY, 0, cut), 1), "cut at " + cut);
            assertTrue(v.inReply());
            assertEquals(1, v.accept(seg(REPLY, cut, REPLY.length), 1), "cut at " + cut);
        }
    }

    @Test
    void pipelinedRepliesAcrossChunks() {
        byte[] two = twice(REPLY);
        ReplyValidator v = new ReplyValidator(REPLY);
        int cut = REPLY.length + 5;
        assertEquals(1, v.accept(seg(two, 0, cut), 2));
        assertEquals(1, v.accept(seg(two, cut, two.length), 1));
        assertEquals(2, v.repliesMatched());
    }

    @Test
    void wrongByteIsAnErrorThatNamesWhere() {
        byte[] bad = REPLY.clone();
        int at = 9; // the status code's first digit: "HTTP/1.1 500"
        bad[at] = '5';
        ReplyValidator v = new ReplyValidator(REPLY);
        assertEquals(ReplyValidator.MISMATCH, v.accept(seg(bad, 0, bad.length), 1));
        assertTrue(v.error().contains("differs at byte 9"), v.error());
        assertTrue(v.error().contains("expected '2', got '5'"), v.error());
        // Once wrong, always wrong: later bytes cannot make it right.
        assertEquals(ReplyValidator.MISMATCH, v.accept(seg(REPLY, 0, REPLY.length), 1));
        assertEquals(0, v.repliesMatched());
    }

    @Test
    void wrongByteInASecondChunkCountsFromTheReplyStart() {
        byte[] bad = REPLY.clone();
        bad[REPLY.length - 1] = '?';
        ReplyValidator v = new ReplyValidator(REPLY);
        assertEquals(0, v.accept(seg(bad, 0, 20), 1));
        assertEquals(ReplyValidator.MISMATCH, v.accept(seg(bad, 20, bad.length), 1));
        assertTrue(v.error().contains("differs at byte " + (REPLY.length - 1)), v.error());
    }

    @Test
    void bytesWithNoRequestOutstandingAreAnError() {
        byte[] two = twice(REPLY);
        ReplyValidator v = new ReplyValidator(REPLY);
        assertEquals(ReplyValidator.MISMATCH, v.accept(seg(two, 0, two.length), 1));
        assertTrue(v.error().startsWith("bytes arrived with no request outstanding"), v.error());
        assertEquals(1, v.repliesMatched());
    }

    @Test
    void shortReplyFollowedByAnotherIsAnError() {
        // A server that drops the body: the next reply's first byte lands where the body should be.
        String headOnly = new String(REPLY, StandardCharsets.US_ASCII).replace("Hello, World!", "");
        byte[] b = (headOnly + new String(REPLY, StandardCharsets.US_ASCII)).getBytes(StandardCharsets.US_ASCII);
        ReplyValidator v = new ReplyValidator(REPLY);
        assertEquals(ReplyValidator.MISMATCH, v.accept(seg(b, 0, b.length), 2));
        // "Hello" and "HTTP" share their first byte: the mismatch is at the second.
        assertTrue(v.error().contains("differs at byte " + (REPLY.length - 12) + ": expected 'e', got 'T'"), v.error());
    }

    @Test
    void echoPatternDetectsAShiftedStream() {
        Workload w = Workload.echo(64);
        byte[] r = w.reply();
        ReplyValidator v = new ReplyValidator(r);
        assertEquals(ReplyValidator.MISMATCH, v.accept(seg(twice(r), 1, 65), 1));
    }
}
