package dev.isthmus.tests.bench.netty;

import dev.isthmus.tests.bench.Workload;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class HelloHandlerTest {

    private static ByteBuf ascii(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.US_ASCII);
    }

    private static int replies(EmbeddedChannel ch) {
        int n = 0;
        ByteBuf b;
        while ((b = ch.readOutbound()) != null) {
            byte[] got = new byte[b.readableBytes()];
            b.readBytes(got);
            b.release();
            assertArrayEquals(Workload.HTTP_REPLY, got);
            n++;
        }
        return n;
    }

    @Test
    void answersEachRequestEvenWhenSplitAcrossReads() {
        EmbeddedChannel ch = new EmbeddedChannel(new HelloHandler());
        String req = "GET / HTTP/1.1\r\nHost: bench\r\n\r\n";
        for (int cut = 1; cut < req.length(); cut++) {
            ch.writeInbound(ascii(req.substring(0, cut)));
            ch.writeInbound(ascii(req.substring(cut)));
            assertEquals(1, replies(ch), "cut at " + cut);
        }
        ch.finishAndReleaseAll();
    }

    @Test
    void pipelinedRequestsGetOneReplyEach() {
        EmbeddedChannel ch = new EmbeddedChannel(new HelloHandler());
        ch.writeInbound(ascii("GET /1 HTTP/1.1\r\n\r\nGET /2 HTTP/1.1\r\nX: \r\r\n\r\nGET /3 HTTP/1.1\r\n\r"));
        assertEquals(2, replies(ch));
        ch.writeInbound(ascii("\n"));
        assertEquals(1, replies(ch));
        assertNull(ch.readInbound());
        ch.finishAndReleaseAll();
    }

    @Test
    void echoSendsBackWhatCame() {
        EmbeddedChannel ch = new EmbeddedChannel(new EchoHandler());
        ch.writeInbound(ascii("ping"));
        ByteBuf b = ch.readOutbound();
        assertEquals("ping", b.toString(StandardCharsets.US_ASCII));
        b.release();
        ch.finishAndReleaseAll();
    }
}
