package dev.isthmus.tests.bench;

import java.io.PrintStream;
import java.util.Locale;

/**
 * The progress bar: on a terminal one line redrawn with {@code \r}; otherwise (CI, a pipe) a plain line
 * at each change of phase and every few seconds. Progress is planned seconds done over planned seconds
 * in all, so the bar moves at the pace of the clock.
 */
public final class Progress {

    private static final int BAR = 24;
    private static final long PLAIN_EVERY_NANOS = 5_000_000_000L;

    private final PrintStream out;
    private final boolean terminal;
    private final double plannedSeconds;
    private double doneSeconds;
    private String lastPhase = "";
    private long lastPlain;
    private int lastWidth;

    /** @param plannedSeconds the whole benchmark's planned time, for the percentage */
    public Progress(PrintStream out, boolean terminal, double plannedSeconds) {
        this.out = out;
        this.terminal = terminal;
        this.plannedSeconds = Math.max(plannedSeconds, 1e-3);
    }

    /** Whether standard output is a terminal (JDK 22+: {@code Console.isTerminal}). */
    public static boolean stdoutIsTerminal() {
        java.io.Console c = System.console();
        return c != null && c.isTerminal();
    }

    /**
     * Shows where we are: {@code phaseSeconds} into a phase planned for {@code phasePlanned}, with a status
     * such as the current rate.
     */
    public void show(String run, String phase, double phaseSeconds, double phasePlanned, String status) {
        double now = doneSeconds + Math.min(phaseSeconds, phasePlanned);
        int percent = (int) Math.min(100, Math.round(100 * now / plannedSeconds));
        String label = run + " " + phase + (status.isEmpty() ? "" : "  " + status);
        if (terminal) {
            int filled = percent * BAR / 100;
            String line = String.format(Locale.ROOT, "[%s%s] %3d%%  %s", "#".repeat(filled), ".".repeat(BAR - filled),
                    percent, label);
            int pad = Math.max(0, lastWidth - line.length());
            out.print("\r" + line + " ".repeat(pad));
            out.flush();
            lastWidth = line.length();
        } else {
            long t = System.nanoTime();
            String key = run + phase;
            if (!key.equals(lastPhase) || t - lastPlain >= PLAIN_EVERY_NANOS) {
                out.println(String.format(Locale.ROOT, "[%3d%%] %s", percent, label));
                lastPhase = key;
                lastPlain = t;
            }
        }
    }

    /** Counts a phase as done. */
    public void phaseDone(double plannedPhaseSeconds) {
        doneSeconds += plannedPhaseSeconds;
    }

    /** Ends the bar's line (on a terminal), before other output. */
    public void clear() {
        if (terminal && lastWidth > 0) {
            out.print("\r" + " ".repeat(lastWidth) + "\r");
            out.flush();
            lastWidth = 0;
        }
    }
}
