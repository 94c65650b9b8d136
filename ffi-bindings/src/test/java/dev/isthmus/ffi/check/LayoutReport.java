package dev.isthmus.ffi.check;

import java.util.ArrayList;
import java.util.List;

/**
 * The result of one layout check: the differences, the constants a newer kernel has but these headers
 * lack, the groups that could not be compiled here for want of a library, and what was counted.
 */
final class LayoutReport {
    /** A constant marked {@code @NewerThanHeaders} that this machine's headers do not declare. */
    record Absent(Class<?> owner, String name, String since) {
    }

    /** Classes whose headers are not installed here (a missing pkg-config package). */
    record NotChecked(List<Class<?>> owners, String reason) {
    }

    final List<Finding> findings = new ArrayList<>();
    final List<Absent> absent = new ArrayList<>();
    final List<NotChecked> notChecked = new ArrayList<>();
    final List<Class<?>> classes = new ArrayList<>();
    int constants;
    int structs;
    int members;
    int probes;
    String compiler = "";
    /** The probe directory, kept when something differed; null when it was deleted. */
    java.nio.file.Path keptAt;

    /**
     * Whether the bindings agree with the headers. Unchecked groups fail too unless
     * {@code allowMissing}: CI installs every library, so a missing one there is a broken setup.
     */
    boolean passed(boolean allowMissing) {
        return findings.isEmpty() && (allowMissing || notChecked.isEmpty());
    }

    /** One line: what was checked, and which constants these headers lack. */
    String summary() {
        StringBuilder s = new StringBuilder("layout check: ").append(classes.size()).append(" classes, ")
                .append(constants).append(" constants, ").append(structs).append(" structs, ")
                .append(members).append(" fields checked in ").append(probes).append(" C probes (")
                .append(compiler).append("); absent from this machine's headers: ");
        if (absent.isEmpty()) {
            s.append("none");
        } else {
            s.append(String.join(", ", absent.stream()
                    .map(a -> a.name() + " (" + a.owner().getSimpleName() + ", " + a.since() + ")").toList()));
        }
        for (NotChecked n : notChecked) {
            s.append("; NOT CHECKED ").append(n.owners().stream().map(Class::getSimpleName).toList())
                    .append(": ").append(n.reason());
        }
        return s.toString();
    }

    /** The failure message: every finding as a row of class, item, Java side, C side. */
    String table() {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"class", "item", "Java", "C"});
        for (Finding f : findings) {
            rows.add(new String[] {f.owner().getName(), f.item(), f.java(), f.c()});
        }
        for (NotChecked n : notChecked) {
            for (Class<?> c : n.owners()) {
                rows.add(new String[] {c.getName(), "(whole class)", "not checked", n.reason()
                        + " (set -Disthmus.layoutcheck.allowMissing=true to accept)"});
            }
        }
        int[] w = new int[3];
        for (String[] r : rows) {
            for (int i = 0; i < 3; i++) {
                w[i] = Math.max(w[i], r[i].length());
            }
        }
        StringBuilder s = new StringBuilder("the Java bindings differ from the C headers in ")
                .append(rows.size() - 1).append(" places:\n");
        for (String[] r : rows) {
            s.append(String.format("  %-" + w[0] + "s | %-" + w[1] + "s | %-" + w[2] + "s | %s%n",
                    r[0], r[1], r[2], r[3].replace("\n", "\n      ")));
        }
        if (keptAt != null) {
            s.append("  (generated C probes kept in ").append(keptAt).append(")\n");
        }
        return s.toString();
    }
}
