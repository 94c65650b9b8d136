package dev.isthmus.ffi.check;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a command to completion with a time limit. Output goes to files, not pipes, so a chatty
 * compiler cannot block on a full pipe while we wait for it.
 */
final class Processes {
    private Processes() {
    }

    /** What a finished command left behind. */
    record Result(int exitCode, String stdout, String stderr) {
    }

    /**
     * Runs {@code command} in {@code dir} with {@code LC_ALL=C} (plain ASCII diagnostics).
     *
     * @throws IOException when the command cannot be started or does not finish within {@code limit}
     */
    static Result run(List<String> command, Path dir, Duration limit) throws IOException {
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        try {
            ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile())
                    .redirectOutput(out.toFile()).redirectError(err.toFile());
            pb.environment().put("LC_ALL", "C");
            Process p = pb.start();
            try {
                if (!p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                    p.destroyForcibly();
                    p.waitFor(5, TimeUnit.SECONDS);
                    throw new IOException(String.join(" ", command) + " did not finish within " + limit);
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while running " + String.join(" ", command), e);
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
