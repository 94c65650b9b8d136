package dev.isthmus.dpdk.eal;

import dev.isthmus.ffi.dpdk.Dpdk;
import dev.isthmus.ffi.dpdk.rte_eal_h;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.locks.LockSupport;

/**
 * DPDK's Environment Abstraction Layer, started once per JVM and kept until the process exits.
 *
 * <p>Why a thread of its own: {@code rte_eal_init} may run only once per process (a second call fails
 * with EALREADY, and rte_eal_cleanup does not make a new init possible), and it pins the calling thread
 * to the main lcore's CPU set and makes it the main lcore. So no stack's or application's thread calls
 * it: a daemon thread, {@code isthmus-eal}, does, keeps the outcome (or the reason it failed, with
 * rte_errno read on that thread, where rte_errno lives) and then parks for the life of the JVM. Stacks
 * then hot-plug their own ports ({@link dev.isthmus.dpdk.port.EthPort}) and remove them on close, so a JVM
 * can open and close dpdk stacks many times.
 *
 * <p>The arguments are fixed by the first caller; a later caller asking for other arguments gets an
 * {@link IllegalStateException} naming both, rather than an EAL silently configured for someone else.
 */
public final class Eal {
    private static final Object LOCK = new Object();
    private static List<String> startedWith;
    private static CompletableFuture<String> outcome;

    private Eal() {
    }

    /**
     * The defaults for a machine without hugepages or a NIC (see the EAL parameters guide,
     * doc/guides/linux_gsg/linux_eal_parameters.rst): no hugepages ({@code --no-huge}, so {@code -m}
     * bounds the memory), no PCI scan, {@code --no-shconf} (no shared config files, no secondary
     * processes; {@code --in-memory} would be neater but EAL refuses it with --no-huge, which implies
     * --legacy-mem), a file prefix unique to this process, no telemetry socket, warnings only. net_tap
     * is set to critical: without the sch_multiq module and with --no-shconf it logs three harmless
     * errors per port (no multiq qdisc, so no rte_flow; no secondary process to tell of a start), and
     * every call's result is checked here anyway. It comes first: EAL applies the saved log-level
     * patterns to a driver loaded later in reverse order, so the last one given wins for it. Devices are not given here: each stack hot-plugs its own.
     */
    public static List<String> defaultArgs() {
        return List.of("--no-huge", "--no-pci", "-m", "256", "--no-shconf",
                "--file-prefix", "isthmus-" + ProcessHandle.current().pid(), "--no-telemetry",
                "--log-level=pmd.net.tap:critical", "--log-level=*:warning");
    }

    /**
     * Starts EAL with {@code args} (without the program name) unless it runs already; returns a line
     * describing it. Throws an {@link java.io.IOException} with EAL's reason if init failed, now or in an
     * earlier call (the failure is kept: init cannot be retried in this process).
     */
    public static String start(List<String> args) throws java.io.IOException {
        Objects.requireNonNull(args, "args");
        CompletableFuture<String> f;
        synchronized (LOCK) {
            if (outcome == null) {
                if (!Dpdk.isAvailable()) {
                    throw new java.io.IOException("DPDK unavailable: " + Dpdk.unavailableReason());
                }
                startedWith = List.copyOf(args);
                outcome = new CompletableFuture<>();
                CompletableFuture<String> result = outcome;
                List<String> a = startedWith;
                Thread t = new Thread(() -> initAndPark(a, result), "isthmus-eal");
                t.setDaemon(true);
                t.start();
            } else if (!startedWith.equals(args)) {
                throw new IllegalStateException("EAL runs already with " + startedWith + "; it starts once per JVM"
                        + " and cannot be started again with " + args);
            }
            f = outcome;
        }
        try {
            return f.get();
        } catch (ExecutionException e) {
            throw new java.io.IOException(e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.IOException("interrupted while EAL started", e);
        }
    }

    /** Whether EAL has been started successfully in this JVM (never starts it). */
    public static boolean isRunning() {
        synchronized (LOCK) {
            return outcome != null && outcome.isDone() && !outcome.isCompletedExceptionally();
        }
    }

    /** Why EAL failed to start in this JVM, or null if it did not fail (or was never started). Never starts it. */
    public static String failureReason() {
        synchronized (LOCK) {
            if (outcome == null || !outcome.isCompletedExceptionally()) {
                return null;
            }
            try {
                outcome.join();
                return null;
            } catch (java.util.concurrent.CompletionException e) {
                return e.getCause().getMessage();
            }
        }
    }

    private static void initAndPark(List<String> args, CompletableFuture<String> result) {
        // argv must outlive EAL, which keeps pointers into it (e.g. for rte_eal_get_runtime_dir's prefix):
        // a global arena, as EAL itself lives until exit.
        Arena arena = Arena.global();
        List<String> argv = new ArrayList<>();
        argv.add("isthmus");
        argv.addAll(args);
        MemorySegment array = arena.allocate(ValueLayout.ADDRESS, argv.size() + 1L);
        for (int i = 0; i < argv.size(); i++) {
            array.setAtIndex(ValueLayout.ADDRESS, i, arena.allocateFrom(argv.get(i)));
        }
        int rc;
        try {
            rc = rte_eal_h.rte_eal_init(argv.size(), array);
        } catch (Throwable t) {
            result.completeExceptionally(t);
            return;
        }
        if (rc < 0) {
            int errno = Dpdk.rte_errno();
            result.completeExceptionally(new java.io.IOException("rte_eal_init(" + String.join(" ", args)
                    + ") failed: rte_errno " + errno + " (" + describe(errno) + ")"));
            return;
        }
        removeRuntimeDirAtExit(args);
        result.complete(rte_eal_h.rte_version() + " EAL started with " + String.join(" ", args));
        while (true) {
            // This thread is EAL's main lcore; it has nothing else to do, and must not end: lcore state
            // belongs to it.
            LockSupport.park();
        }
    }

    /**
     * EAL keeps a runtime directory, /var/run/dpdk/&lt;file prefix&gt; for root, even with --no-shconf
     * (--in-memory, which avoids it, is refused with --no-huge). A prefix of our own making
     * ({@code isthmus-<pid>}) is this process's alone, so it is removed when the JVM exits.
     */
    private static void removeRuntimeDirAtExit(List<String> args) {
        int i = args.indexOf("--file-prefix");
        if (i < 0 || i + 1 >= args.size() || !args.get(i + 1).startsWith("isthmus-")) {
            return;
        }
        String base = System.getenv("XDG_RUNTIME_DIR") != null && !"root".equals(System.getProperty("user.name"))
                ? System.getenv("XDG_RUNTIME_DIR") + "/dpdk" : "/var/run/dpdk";
        java.nio.file.Path dir = java.nio.file.Path.of(base, args.get(i + 1));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try (var files = java.nio.file.Files.list(dir)) {
                for (java.nio.file.Path f : (Iterable<java.nio.file.Path>) files::iterator) {
                    java.nio.file.Files.deleteIfExists(f);
                }
                java.nio.file.Files.deleteIfExists(dir);
            } catch (java.io.IOException e) {
                // Best effort at exit: a leftover directory harms nobody (the next pid makes its own).
            }
        }, "isthmus-eal-cleanup"));
    }

    private static String describe(int errno) {
        // The meanings listed for rte_eal_init's rte_errno in rte_eal.h (22.11).
        return switch (errno) {
            case 13 -> "EACCES: a permissions issue";
            case 114 -> "EALREADY: EAL was initialised already in this process";
            case 14 -> "EFAULT: a tailq configuration name was not found";
            case 22 -> "EINVAL: invalid arguments";
            case 12 -> "ENOMEM: out of memory (-m too large?)";
            case 19 -> "ENODEV: memory setup failed (hugepages? try --no-huge)";
            case 95 -> "ENOTSUP: EAL cannot initialise on this system";
            case 71 -> "EPROTO: the PCI bus is not present or not readable (try --no-pci)";
            case 8 -> "ENOEXEC: a service core failed to launch";
            default -> "errno " + errno;
        };
    }
}
