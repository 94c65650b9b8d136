package dev.isthmus.nio.channels;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The command line of a child JVM on the test class path, on our provider (the property) or the JDK's. */
final class ChildJvm {
    private ChildJvm() {
    }

    static List<String> command(boolean ours, String mainClass, String... args) {
        String cp = System.getProperty("surefire.test.class.path");
        if (cp == null || cp.isBlank()) {
            cp = System.getProperty("java.class.path");
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("--enable-native-access=ALL-UNNAMED");
        cmd.add("-XX:TieredStopAtLevel=1"); // short-lived: C1 only, for a quick start on a loaded machine
        if (ours) {
            cmd.add("-Djava.nio.channels.spi.SelectorProvider=" + IsthmusSelectorProvider.class.getName());
        }
        cmd.add("-cp");
        cmd.add(cp);
        cmd.add(mainClass);
        cmd.addAll(List.of(args));
        return cmd;
    }
}
