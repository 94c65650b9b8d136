package dev.isthmus.dpdk.net;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Network byte order (big-endian, RFC 1700) reads and writes at any offset of a segment, and MAC
 * addresses kept in the low 48 bits of a {@code long} so that the hot path handles them without objects.
 */
public final class Wire {
    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private Wire() {
    }

    /** The unsigned byte at {@code off}. */
    public static int u8(MemorySegment s, long off) {
        return Byte.toUnsignedInt(s.get(ValueLayout.JAVA_BYTE, off));
    }

    /** The unsigned 16-bit big-endian value at {@code off}. */
    public static int u16(MemorySegment s, long off) {
        return Short.toUnsignedInt(s.get(U16, off));
    }

    /** The 32-bit big-endian value at {@code off} (an IPv4 address stays an int, compared as bits). */
    public static int u32(MemorySegment s, long off) {
        return s.get(U32, off);
    }

    /** Writes the low byte of {@code v} at {@code off}. */
    public static void set8(MemorySegment s, long off, int v) {
        s.set(ValueLayout.JAVA_BYTE, off, (byte) v);
    }

    /** Writes the low 16 bits of {@code v} big-endian at {@code off}. */
    public static void set16(MemorySegment s, long off, int v) {
        s.set(U16, off, (short) v);
    }

    /** Writes {@code v} big-endian at {@code off}. */
    public static void set32(MemorySegment s, long off, int v) {
        s.set(U32, off, v);
    }

    /** The 6-byte MAC address at {@code off}, in the low 48 bits. */
    public static long mac(MemorySegment s, long off) {
        return (Integer.toUnsignedLong(s.get(U32, off)) << 16) | u16(s, off + 4);
    }

    /** Writes the MAC address in the low 48 bits of {@code mac} at {@code off}. */
    public static void setMac(MemorySegment s, long off, long mac) {
        s.set(U32, off, (int) (mac >>> 16));
        s.set(U16, off + 4, (short) mac);
    }

    /** {@code aa:bb:cc:dd:ee:ff}. */
    public static String macToString(long mac) {
        StringBuilder b = new StringBuilder(17);
        for (int i = 5; i >= 0; i--) {
            int octet = (int) (mac >>> (8 * i)) & 0xFF;
            b.append(Character.forDigit(octet >> 4, 16)).append(Character.forDigit(octet & 0xF, 16));
            if (i > 0) {
                b.append(':');
            }
        }
        return b.toString();
    }

    /** Parses {@code aa:bb:cc:dd:ee:ff} (or with '-'); throws IllegalArgumentException saying what is wrong. */
    public static long parseMac(String text) {
        String[] parts = text.trim().split("[:-]");
        if (parts.length != 6) {
            throw new IllegalArgumentException("MAC address '" + text + "' must be six hex octets like 02:00:00:00:00:01");
        }
        long mac = 0;
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 2) {
                throw new IllegalArgumentException("MAC address '" + text + "' has a bad octet '" + p + "'");
            }
            try {
                mac = (mac << 8) | Integer.parseInt(p, 16);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("MAC address '" + text + "' has a bad octet '" + p + "'");
            }
        }
        return mac;
    }

    /** Dotted-quad form of an IPv4 address held as an int (network order bits). */
    public static String ipToString(int ip) {
        return (ip >>> 24) + "." + ((ip >>> 16) & 0xFF) + "." + ((ip >>> 8) & 0xFF) + "." + (ip & 0xFF);
    }

    /** The int form of a 4-byte address. */
    public static int ip(byte[] a) {
        if (a.length != 4) {
            throw new IllegalArgumentException("an IPv4 address has 4 bytes, not " + a.length);
        }
        return ((a[0] & 0xFF) << 24) | ((a[1] & 0xFF) << 16) | ((a[2] & 0xFF) << 8) | (a[3] & 0xFF);
    }

    /** The 4 bytes of an int IPv4 address. */
    public static byte[] ipBytes(int ip) {
        return new byte[] {(byte) (ip >>> 24), (byte) (ip >>> 16), (byte) (ip >>> 8), (byte) ip};
    }
}
