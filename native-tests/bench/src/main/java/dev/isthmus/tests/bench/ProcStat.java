package dev.isthmus.tests.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * A process's CPU time from {@code /proc/PID/stat} (proc(5)): {@code utime} and {@code stime}, fields 14
 * and 15, in clock ticks, summed over all its threads (live ones, and those that exited). The server's
 * CPU per request is the difference over the measured window divided by the requests answered in it.
 *
 * @param userTicks   utime: time in user mode, in clock ticks
 * @param systemTicks stime: time in kernel mode, in clock ticks
 */
public record ProcStat(long userTicks, long systemTicks) {

    /** Reads {@code /proc/PID/stat}; fails with a message naming the pid when the process is gone. */
    public static ProcStat read(long pid) throws IOException {
        Path p = Path.of("/proc", Long.toString(pid), "stat");
        try {
            return parse(Files.readString(p, StandardCharsets.ISO_8859_1));
        } catch (NoSuchFileException e) {
            throw new IOException("process " + pid + " is gone (no " + p + ")", e);
        }
    }

    /**
     * Parses the one line of {@code /proc/PID/stat}. The second field, {@code (comm)}, is the command name
     * in parentheses and may itself hold spaces and parentheses, so the fields are counted from the last
     * {@code ')'}: field 3 ({@code state}) follows it, so utime (14) and stime (15) are the 12th and 13th
     * after it.
     *
     * @throws IllegalArgumentException if the line does not have that shape
     */
    public static ProcStat parse(String line) {
        int close = line.lastIndexOf(')');
        if (close < 0 || line.indexOf('(') < 0) {
            throw new IllegalArgumentException("not a /proc/PID/stat line (no \"(comm)\"): " + abbreviate(line));
        }
        String[] f = line.substring(close + 1).trim().split(" +");
        if (f.length < 13) {
            throw new IllegalArgumentException("a /proc/PID/stat line has 52 fields, this one " + (f.length + 2)
                    + ": " + abbreviate(line));
        }
        try {
            long utime = Long.parseLong(f[11]); // field 14
            long stime = Long.parseLong(f[12]); // field 15
            if (utime < 0 || stime < 0) {
                throw new IllegalArgumentException("negative utime or stime in " + abbreviate(line));
            }
            return new ProcStat(utime, stime);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("utime/stime are not numbers in " + abbreviate(line), e);
        }
    }

    /** The CPU time from {@code earlier} to this reading, in nanoseconds, given the clock ticks per second. */
    public long userNanosSince(ProcStat earlier, long ticksPerSecond) {
        return (userTicks - earlier.userTicks) * 1_000_000_000L / ticksPerSecond;
    }

    /** As {@link #userNanosSince} for kernel time. */
    public long systemNanosSince(ProcStat earlier, long ticksPerSecond) {
        return (systemTicks - earlier.systemTicks) * 1_000_000_000L / ticksPerSecond;
    }

    /**
     * Clock ticks per second ({@code sysconf(_SC_CLK_TCK)}, what proc(5) counts utime in), from
     * {@code getconf CLK_TCK}; 100, the value on every Linux architecture we run on, if that fails.
     */
    public static long ticksPerSecond() {
        try {
            Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
            if (p.waitFor() == 0) {
                long v = Long.parseLong(out);
                if (v > 0) {
                    return v;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // fall through to the default
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 100;
    }

    private static String abbreviate(String s) {
        String t = s.strip();
        return t.length() <= 80 ? "\"" + t + "\"" : "\"" + t.substring(0, 80) + "...\"";
    }
}
