package dev.isthmus.dpdk;

import dev.isthmus.dpdk.eal.Eal;
import dev.isthmus.stack.NetworkStacks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Run in a fresh JVM by {@link DpdkProviderTest}: lists the stacks, then tells whether EAL started. */
public final class ListProbe {
    private ListProbe() {
    }

    public static void main(String[] args) throws Exception {
        for (NetworkStacks.StackInfo s : NetworkStacks.list()) {
            System.out.println("stack " + s.name() + " " + s.available() + " " + s.reason());
        }
        System.out.println("eal running: " + Eal.isRunning());
        // EAL's threads would show here (eal-intr-thread, rte_mp_handle...) had it started.
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path t : (Iterable<Path>) tasks::iterator) {
                String comm = Files.readString(t.resolve("comm")).trim();
                if (comm.startsWith("eal") || comm.startsWith("rte")) {
                    System.out.println("eal thread: " + comm);
                }
            }
        }
    }
}
