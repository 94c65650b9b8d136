package dev.isthmus.tests.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The counter on a process whose system calls are known: {@code cat} between two pipes, blocked in read(2), makes
 * exactly two per line it echoes once counting is on (the write of the line, then the read it enters and blocks
 * in; the read it was blocked in when counting started was entered before). The echo coming back does not mean
 * cat has entered its next read yet, so before counting starts and before it stops the test waits until
 * {@code /proc/<pid>/syscall} shows cat blocked in a system call (cat here blocks only in read(2)); without that
 * wait the count came out one short now and then. Where perf cannot count here, the counter must say so instead
 * of returning a figure.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SyscallCounterTest {

    private static final int LINES = 100;

    @Test
    void countsExactlyTheSystemCallsOfTheWindow(@TempDir Path dir) throws Exception {
        String unavailable = SyscallCounter.unavailable(dir);
        Process cat = new ProcessBuilder("cat").start();
        try (OutputStream in = cat.getOutputStream(); InputStream out = cat.getInputStream()) {
            echo(in, out); // cat runs and is blocked in read(2)
            if (unavailable != null) {
                assertFalse(unavailable.isBlank());
                assertThrows(IOException.class, () -> {
                    try (SyscallCounter c = SyscallCounter.attach(cat.pid(), dir, "cat")) {
                        c.enable();
                        c.disable();
                    }
                }, "perf cannot count here (" + unavailable + "): no figure may come out");
                return;
            }
            long counted;
            try (SyscallCounter c = SyscallCounter.attach(cat.pid(), dir, "cat")) {
                awaitBlockedInSystemCall(cat.pid());
                c.enable();
                for (int i = 0; i < LINES; i++) {
                    echo(in, out);
                }
                awaitBlockedInSystemCall(cat.pid());
                counted = c.disable();
            }
            assertEquals(2L * LINES, counted);
            try (Stream<Path> left = Files.list(dir)) {
                assertTrue(left.noneMatch(p -> p.getFileName().toString().startsWith("cat.")), "FIFOs and files removed");
            }
        } finally {
            cat.destroy();
            cat.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /**
     * Waits until {@code pid} is blocked inside a system call: {@code /proc/<pid>/syscall} then starts with the
     * call's number, and reads "running" while the task runs (proc(5)).
     */
    private static void awaitBlockedInSystemCall(long pid) throws IOException, InterruptedException {
        Path syscall = Path.of("/proc", Long.toString(pid), "syscall");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        String state = "";
        while (System.nanoTime() < deadline) {
            state = Files.readString(syscall, StandardCharsets.US_ASCII).trim();
            if (!state.isEmpty() && Character.isDigit(state.charAt(0))) {
                return;
            }
            Thread.sleep(1);
        }
        throw new AssertionError("process " + pid + " did not block in a system call within 10 s: " + state);
    }

    /** Writes one line to cat and waits for it to come back, so cat is blocked in read(2) again after it. */
    private static void echo(OutputStream in, InputStream out) throws IOException {
        byte[] line = "x\n".getBytes(StandardCharsets.US_ASCII);
        in.write(line);
        in.flush();
        assertArrayEquals(line, out.readNBytes(line.length));
    }
}
