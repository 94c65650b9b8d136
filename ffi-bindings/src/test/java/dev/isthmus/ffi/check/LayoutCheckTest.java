package dev.isthmus.ffi.check;

import dev.isthmus.ffi.CHeader;
import dev.isthmus.ffi.posix.errno_h;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Every binding in ffi-bindings against this machine's C headers: each constant's value, each
 * struct's size and each member's offset and size, as the system C compiler sees them. The bindings
 * are found by listing the package, so a new one is checked without being registered here.
 *
 * <p>Skipped only when no C compiler can be run. A binding whose pkg-config package is not installed
 * fails the test unless {@code -Disthmus.layoutcheck.allowMissing=true} (CI installs all of them).
 */
class LayoutCheckTest {
    static final Path TARGET = Path.of(System.getProperty("basedir", "."), "target");

    @Test
    @Timeout(120)
    void everyBindingMatchesTheCHeaders() throws Exception {
        CCompiler cc = CCompiler.find(TARGET).orElse(null);
        if (cc == null) {
            String why = "layout check SKIPPED: no C compiler ('"
                    + System.getProperty("isthmus.layoutcheck.cc", "cc") + "') can be run on this machine";
            System.out.println(why);
            Assumptions.abort(why);
        }
        List<Class<?>> bindings = BindingScanner.scan(CHeader.class, "dev.isthmus.ffi");
        // Guards the scanner itself: an empty scan would pass vacuously.
        assertTrue(bindings.contains(errno_h.class), "the scan missed errno_h: " + bindings);

        LayoutReport report = new LayoutChecker(cc, TARGET).check(bindings);
        System.out.println(report.summary());
        if (!report.passed(Boolean.getBoolean("isthmus.layoutcheck.allowMissing"))) {
            fail(report.table());
        }
    }
}
