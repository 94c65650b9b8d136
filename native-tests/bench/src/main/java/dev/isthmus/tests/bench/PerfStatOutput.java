package dev.isthmus.tests.bench;

/**
 * Reads one event's count from what {@code perf stat -x ,} writes (perf-stat(1), "CSV FORMAT"): one line per
 * event, {@code count,unit,event,running time,percentage,...}, where the count is a plain integer, or
 * {@code <not counted>} (the event was never scheduled in: the task did not run while it was enabled) or
 * {@code <not supported>}. Comment lines ({@code # started on ...}), blank lines and the notes {@code --control}
 * prints ({@code Events enabled}) are passed over.
 */
final class PerfStatOutput {

    private PerfStatOutput() {
    }

    /**
     * The count of {@code event} in {@code text}.
     *
     * @throws IllegalArgumentException with a message for the run's notes when perf did not count it: no line for
     *                                  the event, or a count that is not a number
     */
    static long count(String text, String event) {
        for (String line : text.split("\n")) {
            String[] f = line.strip().split(",", -1);
            if (line.startsWith("#") || f.length < 3 || !f[2].equals(event)) {
                continue;
            }
            String count = f[0].strip();
            if (count.startsWith("<")) {
                throw new IllegalArgumentException("perf stat says " + count + " for " + event);
            }
            try {
                long n = Long.parseLong(count);
                if (n < 0) {
                    throw new NumberFormatException();
                }
                return n;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("perf stat's count for " + event + " is not a number: '" + count + "'");
            }
        }
        throw new IllegalArgumentException("perf stat wrote no count for " + event + ": "
                + (text.isBlank() ? "(nothing)" : "'" + text.strip().replace("\n", " | ") + "'"));
    }
}
