package dev.isthmus.ffi.check;

import java.util.ArrayList;
import java.util.List;

/**
 * The checks that can share one C probe: those whose classes include the same headers, in the same
 * order, and compile with the same pkg-config package. Headers are not merged across groups because
 * some UAPI and libc headers conflict when included together (linux/in.h and netinet/in.h).
 *
 * @param headers   the {@code #include}s, in order
 * @param pkgConfig a pkg-config package name, or ""
 * @param owners    the classes whose checks are here
 * @param checks    the checks; a check's index is its id in the probe
 */
record ProbeGroup(List<String> headers, String pkgConfig, List<Class<?>> owners, List<Check> checks) {
    ProbeGroup {
        headers = List.copyOf(headers);
        owners = new ArrayList<>(owners);
        checks = new ArrayList<>(checks);
    }

    /** A short name for messages: the headers and the package. */
    String label() {
        return String.join(", ", headers) + (pkgConfig.isEmpty() ? "" : " (pkg-config " + pkgConfig + ")");
    }
}
