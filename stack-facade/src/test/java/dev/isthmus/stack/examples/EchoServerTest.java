package dev.isthmus.stack.examples;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** {@link EchoServer} through a fake Inbound and Connection. */
class EchoServerTest {

    @Test
    void everyByteIsSentBackAndConsumedWithOneFlushPerCall() {
        EchoServer echo = new EchoServer();
        FakeConnection c = new FakeConnection(true);
        FakeInbound in = new FakeInbound();
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 50; i++) {
            String chunk = "chunk " + i + " " + "x".repeat(i * 7) + "\n";
            expected.append(chunk);
            in.append(chunk.getBytes(StandardCharsets.US_ASCII));
            echo.onData(c, in);
            assertEquals(0, in.readableBytes(), "all consumed");
            assertEquals(i + 1, c.flushes);
        }
        assertEquals(expected.toString(), c.sent());
        assertFalse(c.closed);
    }
}
