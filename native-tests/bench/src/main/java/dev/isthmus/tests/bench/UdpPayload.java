package dev.isthmus.tests.bench;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The bytes of one datagram of the UDP load: what the echo must send back unchanged.
 * <pre>
 *  0        4                12                                  size
 *  +--------+----------------+-----------------------------------+
 *  | step   | sent at (ns,   | pattern: 'A' + (i % 23), as the    |
 *  | number | System.nanoTime| TCP echo workload's bytes          |
 *  +--------+----------------+-----------------------------------+
 * </pre>
 * The step number tells an echo of this step from a late one of an earlier step; the send time gives the
 * round trip; the pattern catches a datagram that came back changed or cut.
 */
final class UdpPayload {

    /** Bytes before the pattern; a datagram is at least this plus 4 bytes of pattern. */
    static final int HEADER = 12;
    static final int MIN_SIZE = HEADER + 4;

    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private UdpPayload() {
    }

    /** Checks a datagram size from the command line. */
    static void checkSize(int size) {
        if (size < MIN_SIZE || size > 1472) {
            throw new IllegalArgumentException("a UDP datagram of the load is " + MIN_SIZE
                    + "..1472 bytes (one unfragmented frame at MTU 1500), was " + size);
        }
    }

    /** Writes the pattern into {@code d} once; {@link #stamp} then changes only the header. */
    static void fill(MemorySegment d) {
        for (long i = HEADER; i < d.byteSize(); i++) {
            d.set(ValueLayout.JAVA_BYTE, i, pattern(i));
        }
    }

    /** Sets the step number and the send time. */
    static void stamp(MemorySegment d, int step, long sentNanos) {
        d.set(INT, 0, step);
        d.set(LONG, 4, sentNanos);
    }

    static int step(MemorySegment d) {
        return d.get(INT, 0);
    }

    static long sentNanos(MemorySegment d) {
        return d.get(LONG, 4);
    }

    /** Whether {@code d} is {@code size} bytes long and its pattern intact. */
    static boolean intact(MemorySegment d, int size) {
        if (d.byteSize() != size) {
            return false;
        }
        for (long i = HEADER; i < size; i++) {
            if (d.get(ValueLayout.JAVA_BYTE, i) != pattern(i)) {
                return false;
            }
        }
        return true;
    }

    private static byte pattern(long i) {
        return (byte) ('A' + (i % 23));
    }
}
