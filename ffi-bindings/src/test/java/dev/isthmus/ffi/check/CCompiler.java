package dev.isthmus.ffi.check;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The system C compiler ({@code cc}, or the command in the system property
 * {@code isthmus.layoutcheck.cc}), and pkg-config for the flags of a library's headers.
 */
final class CCompiler {
    private static final Duration LIMIT = Duration.ofSeconds(60);

    private final String command;
    private final String version;

    private CCompiler(String command, String version) {
        this.command = command;
        this.version = version;
    }

    /** The compiler, or empty when none can be run (the only case the layout check may skip). */
    static Optional<CCompiler> find(Path scratch) {
        String command = System.getProperty("isthmus.layoutcheck.cc", "cc");
        try {
            // A missing scratch directory must not pass for a missing compiler.
            Files.createDirectories(scratch);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + scratch, e);
        }
        try {
            Processes.Result r = Processes.run(List.of(command, "--version"), scratch, LIMIT);
            if (r.exitCode() != 0) {
                return Optional.empty();
            }
            return Optional.of(new CCompiler(command, r.stdout().lines().findFirst().orElse(command)));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The compiler's first line of {@code --version}, for the summary. */
    String version() {
        return version;
    }

    /**
     * Compiles {@code source} (a file in {@code dir}) into {@code binary}. Warnings are off: only
     * errors mean something to the checker, and they are read from the returned stderr.
     */
    Processes.Result compile(Path dir, String source, String binary, List<String> cflags) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(command, "-w", "-fdiagnostics-plain-output", "-o", binary));
        cmd.addAll(cflags);
        cmd.add(source);
        return Processes.run(cmd, dir, LIMIT);
    }

    /**
     * {@code pkg-config --cflags pkg}, split into arguments.
     *
     * @throws IOException whose message says why the package's headers cannot be used here
     */
    static List<String> pkgConfigCflags(String pkg, Path scratch) throws IOException {
        Processes.Result r;
        try {
            r = Processes.run(List.of("pkg-config", "--cflags", pkg), scratch, LIMIT);
        } catch (IOException e) {
            throw new IOException("pkg-config is not installed (" + e.getMessage() + ")", e);
        }
        if (r.exitCode() != 0) {
            // pkg-config's first line says which package is missing; the rest is advice about PKG_CONFIG_PATH.
            throw new IOException("pkg-config --cflags " + pkg + " failed: "
                    + r.stderr().strip().lines().findFirst().orElse("exit " + r.exitCode()));
        }
        String flags = r.stdout().strip();
        return flags.isEmpty() ? List.of() : List.of(flags.split("\\s+"));
    }
}
