package dev.isthmus.stack.cli;

import dev.isthmus.stack.AcceptStrategy;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command line of {@link Serve}. */
class ServeOptionsTest {

    @Test
    void defaults() throws Exception {
        ServeOptions o = ServeOptions.parse();
        assertEquals(System.getProperty("isthmus.stack", "auto"), o.stack);
        assertEquals(8080, o.port);
        assertEquals("0.0.0.0", o.host);
        assertEquals("http", o.app);
        assertEquals(Runtime.getRuntime().availableProcessors(), o.workers);
        assertEquals(AcceptStrategy.REUSEPORT, o.accept);
        assertFalse(o.pin);
    }

    @Test
    void udpEchoIsAnApp() throws Exception {
        ServeOptions o = ServeOptions.parse("--app", "udp-echo", "--workers", "2");
        assertEquals("udp-echo", o.app);
        assertTrue(o.udp());
        assertFalse(ServeOptions.parse("--app", "echo").udp());
        assertTrue(ServeOptions.usage().contains("udp-echo"), ServeOptions.usage());
    }

    @Test
    void everySwitch() throws Exception {
        ServeOptions o = ServeOptions.parse("--stack", "epoll", "--port=0", "--host", "127.0.0.1", "--workers", "3",
                "--app", "echo", "--pin", "--first-cpu", "1", "--spin-us", "50", "--accept", "FIXED",
                "--property", "io_uring.sqpoll=true", "--property=epoll.trigger=level");
        assertEquals("epoll", o.stack);
        assertEquals(0, o.port);
        assertEquals("127.0.0.1", o.host);
        assertEquals("echo", o.app);
        var s = o.stackOptions();
        assertEquals(3, s.workers());
        assertTrue(s.pinWorkers());
        assertEquals(1, s.firstCpu());
        assertEquals(Duration.ofNanos(50_000), s.spin());
        assertEquals("true", s.properties().get("io_uring.sqpoll"));
        assertEquals("level", s.properties().get("epoll.trigger"));
        assertEquals(AcceptStrategy.FIXED, o.listenOptions().acceptStrategy());
        assertEquals(AcceptStrategy.PORT, ServeOptions.parse("--accept", "port").listenOptions().acceptStrategy());
    }

    @Test
    void badValuesSayWhatWasWrong() {
        assertEquals("--port must be from 0 to 65535, was 70000", message("--port", "70000"));
        assertEquals("--port must be a whole number, was 'http'", message("--port", "http"));
        assertEquals("--workers must be from 1 to 4096, was 0", message("--workers", "0"));
        assertEquals("--app must be echo, http or udp-echo, was 'ftp'", message("--app", "ftp"));
        assertTrue(message("--accept", "random").startsWith("--accept must be reuseport, connection_distribution"));
        assertEquals("--property needs KEY=VALUE, was 'novalue'", message("--property", "novalue"));
        assertEquals("--port needs a value", message("--port"));
        assertEquals("unknown option '--colour'", message("--colour"));
        assertEquals("--pin takes no value", message("--pin=yes"));
    }

    @Test
    void usageNamesEverySwitchWithItsDefault() {
        String u = ServeOptions.usage();
        for (String s : new String[] {"--stack", "--app", "--host", "--port", "--workers", "--pin", "--first-cpu",
                "--spin-us", "--accept", "--property", "--list-stacks", "--help"}) {
            assertTrue(u.contains("  " + s + " "), s);
        }
        assertTrue(u.contains("(default: 8080)"));
    }

    @Test
    void runExitCodes() {
        assertEquals(0, Serve.run(new String[] {"--help"}, sink(), sink()));
        assertEquals(Serve.EXIT_USAGE, Serve.run(new String[] {"--port", "-1"}, sink(), sink()));
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(Serve.EXIT_USAGE, Serve.run(new String[] {"--stack", "no-such-stack"}, sink(),
                new PrintStream(err, true, StandardCharsets.UTF_8)));
        assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("serve: unknown stack 'no-such-stack'; known: auto"),
                err.toString(StandardCharsets.UTF_8));
    }

    private static PrintStream sink() {
        return new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    }

    private static String message(String... args) {
        return assertThrows(ServeOptions.UsageException.class, () -> ServeOptions.parse(args)).getMessage();
    }
}
