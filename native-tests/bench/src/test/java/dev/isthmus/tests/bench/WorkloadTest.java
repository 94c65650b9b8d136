package dev.isthmus.tests.bench;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WorkloadTest {

    @Test
    void httpRequestHasTheSizeAskedFor() {
        assertEquals(Workload.MIN_HTTP_REQUEST, Workload.http(0).requestSize());
        Workload w = Workload.http(512);
        assertEquals(512, w.requestSize());
        String s = new String(w.request(), StandardCharsets.US_ASCII);
        assertTrue(s.startsWith("GET / HTTP/1.1\r\nHost: bench\r\nX-Pad: a"), s);
        assertTrue(s.endsWith("a\r\n\r\n"), s);
    }

    @Test
    void tooSmallHttpRequestIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Workload.http(40));
        assertTrue(e.getMessage().contains("was asked for 40"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Workload.echo(0));
    }

    @Test
    void httpReplyIsTheExamplesReply() {
        String r = new String(Workload.HTTP_REPLY, StandardCharsets.US_ASCII);
        assertTrue(r.startsWith("HTTP/1.1 200 OK\r\n"));
        assertTrue(r.endsWith("\r\n\r\nHello, World!"));
    }
}
