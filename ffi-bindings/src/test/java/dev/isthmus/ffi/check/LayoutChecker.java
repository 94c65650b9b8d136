package dev.isthmus.ffi.check;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Checks binding classes against the C headers: reads the Java declarations, compiles and runs one C
 * probe per group of headers, and compares. Collects every difference instead of stopping at the
 * first; the caller decides how to fail.
 */
final class LayoutChecker {
    private final CCompiler cc;
    private final Path scratchParent;

    /** @param scratchParent where a temporary probe directory is made (under {@code target/}) */
    LayoutChecker(CCompiler cc, Path scratchParent) {
        this.cc = cc;
        this.scratchParent = scratchParent;
    }

    /**
     * Checks {@code classes}. The probe directory is deleted afterwards unless something differed, in
     * which case {@link LayoutReport#keptAt} names it so the generated C can be read.
     */
    LayoutReport check(List<Class<?>> classes) throws IOException {
        Files.createDirectories(scratchParent);
        Path scratch = Files.createTempDirectory(scratchParent, "layout-check");
        LayoutReport report = new LayoutReport();
        report.compiler = cc.version();
        report.classes.addAll(classes);
        BindingDeclarations declarations = BindingDeclarations.read(classes);
        report.findings.addAll(declarations.problems());
        int n = 0;
        for (ProbeGroup g : declarations.groups()) {
            List<String> cflags = List.of();
            if (!g.pkgConfig().isEmpty()) {
                try {
                    cflags = CCompiler.pkgConfigCflags(g.pkgConfig(), scratch);
                } catch (IOException e) {
                    report.notChecked.add(new LayoutReport.NotChecked(g.owners(), e.getMessage()));
                    continue;
                }
            }
            Path dir = Files.createDirectory(scratch.resolve("probe" + ++n));
            CProbe.Outcome outcome = CProbe.run(cc, g, cflags, dir);
            report.probes++;
            if (outcome.groupFailure() != null) {
                for (Class<?> owner : g.owners()) {
                    report.findings.add(new Finding(owner, "#include " + g.label(), "-", outcome.groupFailure()));
                }
                continue;
            }
            for (int id = 0; id < g.checks().size(); id++) {
                compare(g, g.checks().get(id), outcome.values().get(id), outcome.rejected().get(id), report);
            }
        }
        if (report.findings.isEmpty()) {
            delete(scratch);
        } else {
            report.keptAt = scratch;
        }
        return report;
    }

    private static void compare(ProbeGroup g, Check check, long[] c, String rejected, LayoutReport report) {
        if (rejected != null) {
            rejected(g, check, rejected, report);
            return;
        }
        if (c == null) {
            report.findings.add(new Finding(check.owner(), check.describe(), "-", "the probe printed nothing for it"));
            return;
        }
        switch (check) {
            case Check.Constant k -> {
                report.constants++;
                String problem = compareConstant(k, c[0]);
                if (problem != null) {
                    report.findings.add(new Finding(k.owner(), k.name(), show(k.javaValue()), problem));
                }
            }
            case Check.SizeOf s -> {
                report.structs++;
                if (s.javaSize() != c[0]) {
                    report.findings.add(new Finding(s.owner(), s.describe(), "" + s.javaSize(), "" + c[0]));
                }
            }
            case Check.Member m -> {
                report.members++;
                if (m.javaOffset() != c[0]) {
                    report.findings.add(new Finding(m.owner(), "offsetof(" + m.cType() + ", " + m.designator() + ")",
                            "" + m.javaOffset(), "" + c[0]));
                }
                if (m.javaSize() != c[1]) {
                    report.findings.add(new Finding(m.owner(), "sizeof(" + m.describe() + ")",
                            "" + m.javaSize(), "" + c[1]));
                }
            }
        }
    }

    /**
     * Null when the Java constant equals the C value modulo the field's width, e.g. C's
     * {@code 1U << 31} in a Java int is {@code Integer.MIN_VALUE}. A C value that does not fit the
     * width at all, as signed or unsigned, is a difference even if its low bits agree.
     */
    static String compareConstant(Check.Constant k, long c) {
        long raw = c;
        if (k.bits() < 64) {
            long min = -(1L << (k.bits() - 1));
            long maxUnsigned = (1L << k.bits()) - 1;
            if (c < min || c > maxUnsigned) {
                return show(c) + ", which does not fit a " + k.bits() + "-bit Java field";
            }
            int shift = 64 - k.bits();
            c = (c << shift) >> shift;
        }
        return c == k.javaValue() ? null : show(raw);
    }

    private static void rejected(ProbeGroup g, Check check, String message, LayoutReport report) {
        if (check instanceof Check.Constant k
                && Pattern.compile("'" + Pattern.quote(k.name()) + "' undeclared").matcher(message).find()) {
            if (k.newerThan() != null) {
                report.absent.add(new LayoutReport.Absent(k.owner(), k.name(), k.newerThan()));
            } else {
                report.findings.add(new Finding(k.owner(), k.name(), show(k.javaValue()),
                        "not declared by " + String.join(", ", g.headers())
                                + " (a typo? if a newer kernel has it, mark it @NewerThanHeaders)"));
            }
            return;
        }
        String java = switch (check) {
            case Check.Constant k -> show(k.javaValue());
            case Check.SizeOf s -> "" + s.javaSize();
            case Check.Member m -> "offset " + m.javaOffset() + ", size " + m.javaSize();
        };
        report.findings.add(new Finding(check.owner(), check.describe(), java, "compiler: " + message));
    }

    private static String show(long v) {
        return v >= -9 && v <= 9 ? Long.toString(v) : v + " (0x" + Long.toHexString(v) + ")";
    }

    /** Deletes a probe directory and everything in it. */
    static void delete(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }
}
