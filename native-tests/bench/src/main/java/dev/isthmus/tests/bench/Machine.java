package dev.isthmus.tests.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The machine a benchmark ran on, for the report: CPUs, CPU model, kernel, JDK.
 *
 * @param cpus     online CPUs (all of them, not the harness's affinity mask)
 * @param cpuModel "model name" from /proc/cpuinfo
 * @param kernel   /proc/sys/kernel/osrelease
 * @param jdk      the runtime's version and vendor (the servers run on the same JDK)
 */
public record Machine(int cpus, String cpuModel, String kernel, String jdk) {

    /** This machine. */
    public static Machine here() {
        List<String> cpuinfo = lines(Path.of("/proc/cpuinfo"));
        int cpus = (int) cpuinfo.stream().filter(l -> l.startsWith("processor")).count();
        String model = cpuinfo.stream().filter(l -> l.startsWith("model name")).findFirst()
                .map(l -> l.substring(l.indexOf(':') + 1).strip()).orElse("unknown");
        List<String> os = lines(Path.of("/proc/sys/kernel/osrelease"));
        String kernel = os.isEmpty() ? System.getProperty("os.version") : os.getFirst().strip();
        String jdk = System.getProperty("java.vm.vendor") + " " + Runtime.version();
        return new Machine(Math.max(cpus, 1), model, kernel, jdk);
    }

    /** One line for the report. */
    public String describe() {
        return cpus + " CPU(s), " + cpuModel + ", Linux " + kernel + ", JDK " + jdk;
    }

    private static List<String> lines(Path p) {
        try {
            return Files.readAllLines(p);
        } catch (IOException e) {
            return List.of();
        }
    }
}
