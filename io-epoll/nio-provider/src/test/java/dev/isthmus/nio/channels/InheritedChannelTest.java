package dev.isthmus.nio.channels;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code System.inheritedChannel()} in a child JVM whose standard input is a socket (a python3 driver plays
 * inetd: {@code inherited_channel_driver.py}), once on the JDK's provider and once on ours: both must give the
 * same kind of channel (SocketChannel for a connected TCP or Unix-domain stream, ServerSocketChannel for a
 * listening socket, DatagramChannel for UDP, null for a pipe) and serve the driver's request alike; ours must
 * be our class, of our provider.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class InheritedChannelTest {
    @ParameterizedTest
    @ValueSource(strings = {"tcp-connected", "unix-connected", "tcp-listening", "udp", "pipe"})
    void inheritedChannelAgreesWithTheJdk(String mode) throws Exception {
        Map<String, String> jdk = run(mode, false);
        Map<String, String> ours = run(mode, true);
        String expected = switch (mode) {
            case "tcp-connected", "unix-connected" -> "SocketChannel";
            case "tcp-listening" -> "ServerSocketChannel";
            case "udp" -> "DatagramChannel";
            default -> "null";
        };
        assertEquals(expected, jdk.get("kind"), "JDK: " + jdk);
        assertEquals(expected, ours.get("kind"), "ours: " + ours);
        assertEquals(jdk.get("reply"), ours.get("reply"));
        assertEquals("0", ours.get("child-exit"), ours.toString());
        // closing an inherited channel points fds 0-2 at /dev/null on both providers: "done", printed after the
        // close, is seen exactly when the JDK's child shows it too
        assertEquals(jdk.get("last"), ours.get("last"), ours.toString());
        assertEquals("true", ours.get("same"), "inheritedChannel() returns one channel");
        if (!expected.equals("null")) {
            assertEquals("pong ping " + expected, ours.get("reply"));
            assertEquals(IsthmusSelectorProvider.class.getName(), ours.get("provider"));
            assertTrue(ours.get("class").startsWith("dev.isthmus.nio.channels.Native"), ours.get("class"));
        } else {
            assertEquals("-", ours.get("reply"));
        }
    }

    /**
     * An AF_INET datagram socket: ours answers from it. (The JDK's provider returns a DatagramChannel too, but
     * takes it for AF_INET6 and its send fails with EAFNOSUPPORT, so there is nothing to agree with.)
     */
    @org.junit.jupiter.api.Test
    void inheritedIpv4DatagramSocketServes() throws Exception {
        Map<String, String> ours = run("udp4", true);
        assertEquals("DatagramChannel", ours.get("kind"), ours.toString());
        assertEquals("pong ping DatagramChannel", ours.get("reply"), ours.toString());
        assertEquals("0", ours.get("child-exit"), ours.toString());
    }

    /** The driver's and the child's output as key=value pairs (and "last": the child's last line). */
    private static Map<String, String> run(String mode, boolean ours) throws IOException, InterruptedException {
        Path driver = Files.createTempFile("inherited_channel_driver", ".py");
        try (InputStream in = InheritedChannelTest.class.getResourceAsStream("/inherited_channel_driver.py")) {
            Files.write(driver, in.readAllBytes());
        }
        List<String> cmd = new ArrayList<>(List.of("python3", driver.toString(), mode));
        cmd.addAll(ChildJvm.command(ours, InheritedChannelPeer.class.getName()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out;
        try {
            out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), "driver did not finish");
        } finally {
            p.destroyForcibly();
            Files.deleteIfExists(driver);
        }
        assertEquals(0, p.exitValue(), "driver failed:\n" + out);
        Map<String, String> m = new HashMap<>();
        for (String line : out.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                m.putIfAbsent(line.substring(0, eq), line.substring(eq + 1));
            }
            if (line.equals("done")) {
                m.put("last", "done");
            }
        }
        m.put("output", out);
        return m;
    }
}
