package dev.isthmus.tests.bench.nio;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class HelloServerArgumentsTest {

    private static String refused(String... args) {
        return assertThrows(IllegalArgumentException.class, () -> HelloServerArguments.parse(args)).getMessage();
    }

    @Test
    void theHarnessesCommandLine() {
        assertEquals(new HelloServerArguments("127.0.0.1", 0, 2),
                HelloServerArguments.parse(new String[]{"--app", "http", "--host", "127.0.0.1", "--port", "0", "--workers", "2"}));
        assertEquals(new HelloServerArguments("127.0.0.1", 8080, 1), HelloServerArguments.parse(new String[0]));
    }

    @Test
    void badInputSaysWhatWasWrong() {
        assertEquals("serves HTTP only: --app must be http, was 'echo'", refused("--app", "echo"));
        assertEquals("--port must be from 0 to 65535, was 70000", refused("--port", "70000"));
        assertEquals("--workers must be from 1 to 1024, was 0", refused("--workers", "0"));
        assertEquals("--workers must be a whole number, was 'many'", refused("--workers", "many"));
        assertEquals("--host needs a value", refused("--host"));
        assertEquals("unknown option '--transport'", refused("--transport", "nio"));
    }

    @Test
    void theBodyIsTheHarnessReplysBody() {
        String reply = new String(dev.isthmus.tests.bench.Workload.HTTP_REPLY, java.nio.charset.StandardCharsets.US_ASCII);
        assertEquals(reply.substring(reply.indexOf("\r\n\r\n") + 4), HelloServerArguments.BODY);
    }
}
