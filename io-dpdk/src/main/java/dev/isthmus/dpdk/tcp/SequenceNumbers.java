package dev.isthmus.dpdk.tcp;

/**
 * Comparisons of 32-bit sequence numbers modulo 2^32 (RFC 9293 section 3.4): {@code a} is before
 * {@code b} when the signed difference {@code a - b} is negative, which holds while the two are less
 * than 2^31 apart (the window is far smaller).
 */
public final class SequenceNumbers {
    private SequenceNumbers() {
    }

    /** {@code a < b} modulo 2^32. */
    public static boolean lt(int a, int b) {
        return a - b < 0;
    }

    /** {@code a <= b} modulo 2^32. */
    public static boolean le(int a, int b) {
        return a - b <= 0;
    }

    /** {@code a > b} modulo 2^32. */
    public static boolean gt(int a, int b) {
        return a - b > 0;
    }

    /** {@code a >= b} modulo 2^32. */
    public static boolean ge(int a, int b) {
        return a - b >= 0;
    }

    /** {@code lo <= a < hi} modulo 2^32 (an empty range when {@code lo == hi}). */
    public static boolean inWindow(int a, int lo, int hi) {
        return a - lo >= 0 && a - hi < 0;
    }

    /** The distance from {@code from} to {@code to} ({@code to - from}), as a non-negative long when {@code to >= from}. */
    public static long distance(int from, int to) {
        return to - from;
    }
}
