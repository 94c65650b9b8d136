package dev.isthmus.dpdk.net;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The Internet checksum (RFC 1071): the 16-bit one's complement of the one's complement sum of the
 * data taken as big-endian 16-bit words, an odd last byte padded with zero. Sums are carried in a
 * {@code long} and folded at the end, so partial sums (a pseudo-header, then a header, then data) add.
 */
public final class Checksums {
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private Checksums() {
    }

    /**
     * Adds {@code len} bytes at {@code off} to {@code sum}. The bytes are taken as big-endian words
     * starting at {@code off}; a caller adding several ranges keeps every range but the last even-sized.
     */
    public static long add(long sum, MemorySegment s, long off, int len) {
        long i = off;
        long end = off + len;
        // Four bytes at a time: two words summed at once (RFC 1071 section 2(B): the sum is independent
        // of the word grouping, the carries are folded later).
        while (end - i >= 4) {
            sum += Integer.toUnsignedLong(s.get(U32, i));
            i += 4;
        }
        if (end - i >= 2) {
            sum += Short.toUnsignedInt(s.get(U16, i));
            i += 2;
        }
        if (i < end) {
            sum += (Byte.toUnsignedInt(s.get(ValueLayout.JAVA_BYTE, i)) << 8);
        }
        return sum;
    }

    /** Adds a 32-bit value (e.g. an address of a pseudo-header) as two words. */
    public static long add32(long sum, int v) {
        return sum + (v >>> 16) + (v & 0xFFFF);
    }

    /** Folds the carries and complements: the checksum to write. */
    public static int finish(long sum) {
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        return (int) (~sum & 0xFFFF);
    }

    /** The checksum of {@code len} bytes at {@code off}; 0 when the range holds a correct checksum. */
    public static int of(MemorySegment s, long off, int len) {
        return finish(add(0, s, off, len));
    }

    /** The TCP/UDP pseudo-header sum (RFC 768): source, destination, protocol, length. */
    public static long pseudoHeader(int src, int dst, int protocol, int length) {
        return add32(add32(0, src), dst) + protocol + length;
    }
}
