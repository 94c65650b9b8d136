package dev.isthmus.tests.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Counts a server's system calls over a window: {@code perf stat -e raw_syscalls:sys_enter -p PID}
 * (the tracepoint every system call passes on entry, so it needs no hardware counter and works in a VM), attached
 * with its events disabled ({@code -D -1}) and switched on and off through a control FIFO
 * ({@code --control fifo:CTL,ACK}, perf-stat(1)): {@link #enable()} and {@link #disable()} return once perf has
 * acknowledged, so the count covers the window and not perf's own start-up and exit. perf follows every thread of
 * the process, those started later included. Enabling the tracepoint costs each system call of the server some CPU
 * (the kernel's slower, traced syscall path), so the harness counts in a window of its own after the measured one
 * ({@code Bench.syscallSeconds}); {@code --no-syscalls} leaves the counting out.
 */
final class SyscallCounter implements AutoCloseable {

    static final String EVENT = "raw_syscalls:sys_enter";
    private static final long ACK_MILLIS = 10_000;

    private final Process perf;
    private final Path ctl;
    private final Path ack;
    private final Path counts;
    private final Path log;
    private final FileChannel ctlChannel;
    private final FileChannel ackChannel;

    private SyscallCounter(Process perf, Path ctl, Path ack, Path counts, Path log, FileChannel ctlChannel,
                           FileChannel ackChannel) {
        this.perf = perf;
        this.ctl = ctl;
        this.ack = ack;
        this.counts = counts;
        this.log = log;
        this.ctlChannel = ctlChannel;
        this.ackChannel = ackChannel;
    }

    /**
     * Why system calls cannot be counted here, or null when they can: perf counts {@link #EVENT} with a control
     * FIFO for a short command ({@code -- true}). The reason is what the harness prints instead of the figures.
     */
    static String unavailable(Path dir) {
        try (SyscallCounter probe = start(List.of("--", "true"), dir, "perf-probe")) {
            if (!probe.perf.waitFor(30, TimeUnit.SECONDS)) {
                return "perf stat did not finish a probe within 30 s";
            }
            if (probe.perf.exitValue() != 0) {
                return "perf stat -e " + EVENT + " failed (status " + probe.perf.exitValue() + "): " + probe.lastLogLine();
            }
            return null;
        } catch (IOException e) {
            return e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    /** Attaches perf to process {@code pid}, counting nothing until {@link #enable()}; its files go in {@code dir}. */
    static SyscallCounter attach(long pid, Path dir, String stem) throws IOException {
        return start(List.of("-p", Long.toString(pid)), dir, stem);
    }

    private static SyscallCounter start(List<String> target, Path dir, String stem) throws IOException {
        Path ctl = dir.resolve(stem + ".perf-ctl");
        Path ack = dir.resolve(stem + ".perf-ack");
        Path counts = dir.resolve(stem + ".perf");
        Path log = dir.resolve(stem + ".perf.log");
        Files.deleteIfExists(ctl);
        Files.deleteIfExists(ack);
        mkfifo(ctl, ack);
        List<String> command = new java.util.ArrayList<>(List.of("perf", "stat", "-x", ",", "-e", EVENT, "-D", "-1",
                "--control", "fifo:" + ctl + "," + ack, "-o", counts.toString()));
        command.addAll(target);
        Process perf;
        try {
            perf = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            Files.deleteIfExists(ctl);
            Files.deleteIfExists(ack);
            throw new IOException("perf is not installed (the linux-perf package): " + e.getMessage(), e);
        }
        ServerProcess.track(perf);
        // Read and write: open(2) of a FIFO for reading and writing does not wait for the other end (fifo(7)),
        // so neither side blocks if perf fails before it opens its ends.
        FileChannel c = FileChannel.open(ctl, StandardOpenOption.READ, StandardOpenOption.WRITE);
        FileChannel a = FileChannel.open(ack, StandardOpenOption.READ, StandardOpenOption.WRITE);
        return new SyscallCounter(perf, ctl, ack, counts, log, c, a);
    }

    private static void mkfifo(Path... fifos) throws IOException {
        List<String> command = new java.util.ArrayList<>(List.of("mkfifo"));
        for (Path f : fifos) {
            command.add(f.toString());
        }
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException("mkfifo failed: " + out);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** Starts counting; returns once perf has acknowledged. */
    void enable() throws IOException {
        command("enable");
    }

    /**
     * Stops counting, once perf has acknowledged, then ends perf (SIGINT: perf stat writes its counts on SIGINT,
     * not on SIGTERM) and returns the system calls counted between {@link #enable()} and now.
     */
    long disable() throws IOException {
        command("disable");
        try {
            Process kill = new ProcessBuilder("kill", "-INT", Long.toString(perf.pid())).redirectErrorStream(true).start();
            kill.getInputStream().readAllBytes();
            kill.waitFor(10, TimeUnit.SECONDS);
            if (!perf.waitFor(10, TimeUnit.SECONDS)) {
                throw new IOException("perf stat did not exit within 10 s of SIGINT");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        try {
            return PerfStatOutput.count(Files.readString(counts, StandardCharsets.UTF_8), EVENT);
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage() + "; " + lastLogLine(), e);
        }
    }

    /** Sends {@code word} on the control FIFO and waits for perf's {@code ack}. */
    private void command(String word) throws IOException {
        if (!perf.isAlive()) {
            throw new IOException("perf stat exited (status " + perf.exitValue() + "): " + lastLogLine());
        }
        ctlChannel.write(ByteBuffer.wrap((word + "\n").getBytes(StandardCharsets.US_ASCII)));
        CompletableFuture<String> reply = CompletableFuture.supplyAsync(this::readAck);
        try {
            String r = reply.get(ACK_MILLIS, TimeUnit.MILLISECONDS);
            if (!r.equals("ack")) {
                throw new IOException("perf stat answered '" + word + "' with '" + r + "'");
            }
        } catch (TimeoutException e) {
            throw new IOException("perf stat did not acknowledge '" + word + "' within " + ACK_MILLIS + " ms: " + lastLogLine());
        } catch (ExecutionException e) {
            throw new IOException("reading perf stat's acknowledgement: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /**
     * One line from the ack FIFO. perf writes {@code "ack\n"} with the string's terminating NUL (perf 6.1
     * writes sizeof its literal), so a NUL byte is passed over: it starts the next read.
     */
    private String readAck() {
        StringBuilder sb = new StringBuilder();
        ByteBuffer b = ByteBuffer.allocate(1);
        try {
            while (ackChannel.read(b.clear()) > 0 && b.get(0) != '\n') {
                if (b.get(0) != 0) {
                    sb.append((char) b.get(0));
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return sb.toString();
    }

    private String lastLogLine() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8).stream().filter(l -> !l.isBlank()).toList();
            return lines.isEmpty() ? "(perf printed nothing)" : lines.getFirst().strip()
                    + (lines.size() > 1 ? " ... " + lines.getLast().strip() : "");
        } catch (IOException e) {
            return "(no perf log: " + e.getMessage() + ")";
        }
    }

    /** Ends perf if it still runs and removes its FIFOs and files. */
    @Override
    public void close() {
        ServerProcess.kill(perf);
        for (AutoCloseable c : List.of(ctlChannel, ackChannel)) {
            try {
                c.close();
            } catch (Exception ignored) {
                // closing a FIFO's descriptor cannot lose anything
            }
        }
        for (Path p : List.of(ctl, ack, counts, log)) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException ignored) {
                // a leftover file in the run's directory is harmless
            }
        }
    }
}
