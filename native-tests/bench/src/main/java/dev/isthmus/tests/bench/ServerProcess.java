package dev.isthmus.tests.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A server under test in its own process: started from a command line, ready once it prints
 * {@code listening on HOST:PORT} (as the Serve launcher and the Netty bench server do), its output kept in
 * a log file, its CPU time read from {@code /proc}. Every server started here is stopped by
 * {@link #close()}, and by a shutdown hook if the harness is interrupted (Ctrl-C) or fails, so none
 * outlives the harness.
 */
public final class ServerProcess implements AutoCloseable {

    private static final Pattern LISTENING = Pattern.compile("^listening on (.+):(\\d+)$");
    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();
    private static final int LOG_TAIL_LINES = 6;

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(ServerProcess::killAll, "bench-server-reaper"));
    }

    private final String name;
    private final Process process;
    private final Path log;
    private final int port;
    private final Deque<String> tail;
    private final AtomicBoolean stopping;
    /** Stopped with SIGSTOP by {@link #pause}. */
    private boolean paused;

    private ServerProcess(String name, Process process, Path log, int port, Deque<String> tail, AtomicBoolean stopping) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.port = port;
        this.tail = tail;
        this.stopping = stopping;
    }

    /**
     * Starts {@code command} and waits until it says it is listening.
     *
     * @throws IOException if it cannot be started, exits first, or says nothing within {@code startTimeout};
     *                     the message has the last lines of its output
     */
    public static ServerProcess start(String name, List<String> command, Path log, Duration startTimeout)
            throws IOException {
        Files.createDirectories(log.toAbsolutePath().getParent());
        // In the log's directory, so that what a crashing server leaves in its working directory (a JVM's
        // hs_err_pid*.log, a core) lands with the run's logs, not in the checkout the harness runs from.
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .directory(log.toAbsolutePath().getParent().toFile());
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new IOException("cannot start server " + name + " (" + command.getFirst() + "): " + e.getMessage(), e);
        }
        LIVE.add(p);
        Deque<String> tail = new ArrayDeque<>();
        CountDownLatch ready = new CountDownLatch(1);
        int[] port = {-1};
        AtomicBoolean stopping = new AtomicBoolean();
        Writer out = Files.newBufferedWriter(log, StandardCharsets.UTF_8);
        Thread pump = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
                 out) {
                out.write("$ " + String.join(" ", command) + "\n");
                String line;
                while ((line = r.readLine()) != null) {
                    out.write(line);
                    out.write('\n');
                    out.flush();
                    synchronized (tail) {
                        tail.addLast(line);
                        if (tail.size() > LOG_TAIL_LINES) {
                            tail.removeFirst();
                        }
                    }
                    Matcher m = LISTENING.matcher(line.strip());
                    if (port[0] < 0 && m.matches()) {
                        port[0] = Integer.parseInt(m.group(2));
                        ready.countDown();
                    }
                }
            } catch (IOException e) {
                // Process.destroy closes the pipe at once, under this reader ("Stream closed"), and so does the
                // JDK when the process exits; the output up to then is in the log. Only a failure while the
                // server runs, and is not being stopped, matters.
                if (p.isAlive() && !stopping.get()) {
                    throw new UncheckedIOException(e);
                }
            } finally {
                ready.countDown();
            }
        }, "bench-server-log-" + name);
        pump.setDaemon(true);
        pump.start();
        try {
            boolean said = ready.await(startTimeout.toMillis(), TimeUnit.MILLISECONDS);
            if (port[0] < 0) {
                String why = said || !p.isAlive()
                        ? "exited with status " + waitExit(p) : "said nothing within " + startTimeout.toSeconds() + " s";
                stopping.set(true);
                kill(p);
                throw new IOException("server " + name + " did not start: it " + why + lastLines(tail)
                        + "\n  (whole log: " + log + ")");
            }
        } catch (InterruptedException e) {
            kill(p);
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while starting server " + name, e);
        }
        return new ServerProcess(name, p, log, port[0], tail, stopping);
    }

    /** Has {@code p} (a helper such as wrk) stopped with the servers when the harness exits. */
    static void track(Process p) {
        LIVE.add(p);
    }

    /** Forgets a helper that has exited. */
    static void untrack(Process p) {
        LIVE.remove(p);
    }

    /** The server's name in the table. */
    public String name() {
        return name;
    }

    /** The port it listens on. */
    public int port() {
        return port;
    }

    /** Its process id. */
    public long pid() {
        return process.pid();
    }

    /** Its output. */
    public Path log() {
        return log;
    }

    /** Whether it still runs. */
    public boolean isAlive() {
        return process.isAlive();
    }

    /** Its CPU time now. */
    public ProcStat cpu() throws IOException {
        return ProcStat.read(process.pid());
    }

    /** Why it is gone, with its last output: for the message when a server dies mid-run. */
    public String deathNotice() {
        return "server " + name + " (pid " + process.pid() + ") exited with status " + waitExit(process)
                + " during the run" + lastLines(tail) + "\n  (whole log: " + log + ")";
    }

    /**
     * Stops it: SIGTERM, so it closes its stack and JFR writes its recording, then SIGKILL if it has not
     * exited within {@code grace}. Returns its exit status (143 or 0 after SIGTERM, 137 if killed).
     */
    public int stop(Duration grace) {
        stopping.set(true);
        if (paused) {
            try {
                resume(); // a stopped process would hold SIGTERM pending and never write its recording
            } catch (IOException e) {
                // SIGKILL below ends it anyway, without its JFR recording
            }
        }
        process.destroy();
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        LIVE.remove(process);
        return process.isAlive() ? -1 : process.exitValue();
    }

    /**
     * Stops every thread of the server (SIGSTOP) until {@link #resume}: with {@code --slices}, a server not
     * being measured must take no CPU at all, not even its JVM's housekeeping (JFR, the JIT, GC threads), from
     * the one that is. Its sockets stay as they are; no load is sent to it meanwhile.
     */
    public void pause() throws IOException {
        signal("STOP");
        paused = true;
    }

    /** Lets a {@link #pause paused} server run again (SIGCONT). */
    public void resume() throws IOException {
        signal("CONT");
        paused = false;
    }

    private void signal(String signal) throws IOException {
        Process k = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).redirectErrorStream(true).start();
        try {
            String out = new String(k.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (k.waitFor() != 0) {
                throw new IOException("kill -" + signal + " " + process.pid() + " (" + name + ") failed: " + out);
            }
        } catch (InterruptedException e) {
            k.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while sending SIG" + signal + " to " + name, e);
        }
    }

    /** {@link #stop} with 10 s of grace. */
    @Override
    public void close() {
        stop(Duration.ofSeconds(10));
    }

    private static int waitExit(Process p) {
        try {
            if (p.waitFor(2, TimeUnit.SECONDS)) {
                return p.exitValue();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return -1;
    }

    /** Kills {@code p} (a server or a helper) at once, waits up to 5 s for its end and forgets it. */
    static void kill(Process p) {
        p.destroyForcibly();
        try {
            p.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LIVE.remove(p);
    }

    private static void killAll() {
        for (Process p : LIVE) {
            p.destroy();
        }
        for (Process p : LIVE) {
            try {
                if (!p.waitFor(3, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
            }
        }
    }

    private static String lastLines(Deque<String> tail) {
        synchronized (tail) {
            if (tail.isEmpty()) {
                return "; it printed nothing";
            }
            return "; its last output:\n    " + String.join("\n    ", tail);
        }
    }
}
