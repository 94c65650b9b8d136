package dev.isthmus.ffi.check;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Compiles and runs the probe of one {@link ProbeGroup} and returns what C says about each check.
 *
 * <p>A check the compiler rejects (an undeclared constant, a member that does not exist, a type the
 * headers do not declare) is dropped with the compiler's message and the probe is compiled again
 * without it, so one bad name neither hides the others nor stops the check. An error that belongs to
 * no check (a missing header) fails the whole group.
 */
final class CProbe {
    /** gcc/clang: {@code file:line:col: error: message} (also notes, and fatal errors). */
    private static final Pattern DIAGNOSTIC =
            Pattern.compile("^(.*?):(\\d+):(?:\\d+:)? (fatal error|error|note): (.*)$");
    private static final int MAX_COMPILES = 8;
    private static final String SOURCE = "probe.c";
    private static final String BINARY = "probe";

    /**
     * What C said.
     *
     * @param values       check id to {value} or {offset, size}, for the checks that compiled
     * @param rejected     check id to the compiler's message, for the checks it rejected
     * @param groupFailure why nothing of the group could be checked, or null
     */
    record Outcome(Map<Integer, long[]> values, Map<Integer, String> rejected, String groupFailure) {
    }

    private CProbe() {
    }

    /** Runs the probe for {@code group} in the empty directory {@code dir}. */
    static Outcome run(CCompiler cc, ProbeGroup group, List<String> cflags, Path dir) throws IOException {
        List<Integer> ids = new ArrayList<>();
        for (int i = 0; i < group.checks().size(); i++) {
            ids.add(i);
        }
        Map<Integer, String> rejected = new LinkedHashMap<>();
        for (int attempt = 1; ; attempt++) {
            CProbeGenerator probe = CProbeGenerator.generate(group, ids);
            Files.writeString(dir.resolve(SOURCE), probe.source());
            Processes.Result r = cc.compile(dir, SOURCE, BINARY, cflags);
            if (r.exitCode() == 0) {
                break;
            }
            Map<Integer, String> blamed = blame(r.stderr(), probe.lines());
            if (blamed.isEmpty() || attempt == MAX_COMPILES) {
                return new Outcome(Map.of(), rejected, "the probe does not compile (" + dir.resolve(SOURCE)
                        + "):\n" + firstLines(r.stderr(), 30));
            }
            rejected.putAll(blamed);
            ids.removeAll(blamed.keySet());
        }
        Processes.Result r = Processes.run(List.of(dir.resolve(BINARY).toString()), dir, Duration.ofSeconds(30));
        if (r.exitCode() != 0) {
            return new Outcome(Map.of(), rejected, "the probe exited with " + r.exitCode() + ": " + r.stderr());
        }
        Map<Integer, long[]> values = new HashMap<>();
        for (String line : r.stdout().lines().toList()) {
            String[] parts = line.split("\\|");
            long[] v = new long[parts.length - 1];
            for (int i = 1; i < parts.length; i++) {
                v[i - 1] = Long.parseLong(parts[i]);      // %lld for constants; sizes are far below 2^63
            }
            values.put(Integer.parseInt(parts[0]), v);
        }
        return new Outcome(values, rejected, null);
    }

    /**
     * Maps the compiler's errors to the checks whose lines they name. An error reported inside a
     * header (a macro whose expansion fails) is blamed on the probe line named by the notes after it.
     */
    static Map<Integer, String> blame(String diagnostics, Map<Integer, Integer> checkAtLine) {
        Map<Integer, String> blamed = new LinkedHashMap<>();
        String lastError = null;
        for (String line : diagnostics.lines().toList()) {
            Matcher m = DIAGNOSTIC.matcher(line);
            if (!m.matches()) {
                continue;
            }
            boolean error = !m.group(3).equals("note");
            if (error) {
                lastError = m.group(4);
            }
            if (!m.group(1).equals(SOURCE) || lastError == null) {
                continue;
            }
            Integer id = checkAtLine.get(Integer.parseInt(m.group(2)));
            if (id != null) {
                blamed.putIfAbsent(id, error ? m.group(4) : lastError);
            }
        }
        return blamed;
    }

    private static String firstLines(String text, int n) {
        List<String> lines = text.lines().toList();
        return String.join("\n", lines.subList(0, Math.min(n, lines.size())))
                + (lines.size() > n ? "\n... (" + (lines.size() - n) + " more lines)" : "");
    }
}
