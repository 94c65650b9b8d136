package dev.isthmus.tests.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link ServerProcess#pause} and {@link ServerProcess#resume}, which {@code --slices} relies on: a paused
 * server takes no CPU at all, runs again when resumed, and still stops cleanly (SIGTERM) while paused.
 * The "server" is a shell that says it listens and then spins, so any CPU it is given shows.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ServerProcessTest {

    private static ServerProcess spinner(Path dir) throws IOException {
        return ServerProcess.start("spinner", List.of("sh", "-c", "echo listening on 127.0.0.1:1; while :; do :; done"),
                dir.resolve("spinner.log"), Duration.ofSeconds(10));
    }

    /** The state letter of /proc/PID/stat: R running, S sleeping, T stopped. */
    private static char state(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        return stat.charAt(stat.lastIndexOf(')') + 2);
    }

    private static long cpuTicks(ServerProcess p) throws IOException {
        ProcStat s = p.cpu();
        return s.userTicks() + s.systemTicks();
    }

    @Test
    void aPausedServerTakesNoCpuAndRunsAgainWhenResumed(@TempDir Path dir) throws Exception {
        try (ServerProcess p = spinner(dir)) {
            p.pause();
            assertEquals('T', state(p.pid()));
            long before = cpuTicks(p);
            Thread.sleep(400);
            assertEquals(before, cpuTicks(p), "CPU time while stopped");
            p.resume();
            assertTrue(state(p.pid()) != 'T', "still stopped after SIGCONT");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (cpuTicks(p) <= before && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(cpuTicks(p) > before, "no CPU time after resume");
        }
    }

    @Test
    void stopEndsAPausedServerWithSigtermNotSigkill(@TempDir Path dir) throws Exception {
        ServerProcess p = spinner(dir);
        p.pause();
        long start = System.nanoTime();
        int status = p.stop(Duration.ofSeconds(5));
        assertEquals(143, status, "SIGTERM, not a kill after the grace period"); // 128 + 15
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(4), "waited for the grace period");
        assertFalse(p.isAlive());
    }
}
