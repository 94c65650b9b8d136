package dev.isthmus.dpdk.net;

import java.lang.foreign.MemorySegment;

/**
 * The IPv4 header (RFC 791 section 3.1), without options on send; options of received packets are
 * skipped (the IHL says how far). TTL: sent as {@link #DEFAULT_TTL}; not checked on receipt, as a host
 * that does not forward must not drop a datagram for its TTL (RFC 1122 section 3.2.1.7).
 */
public final class Ipv4 {
    public static final int HEADER = 20;
    public static final int VERSION_IHL = 0;
    public static final int TOS = 1;
    public static final int TOTAL_LENGTH = 2;
    public static final int ID = 4;
    public static final int FLAGS_FRAGMENT = 6;
    public static final int TTL = 8;
    public static final int PROTOCOL = 9;
    public static final int CHECKSUM = 10;
    public static final int SRC = 12;
    public static final int DST = 16;
    /** More fragments. */
    public static final int MF = 0x2000;
    /** Don't fragment. */
    public static final int DF = 0x4000;
    public static final int OFFSET_MASK = 0x1FFF;
    public static final int PROTO_ICMP = 1;
    public static final int PROTO_TCP = 6;
    public static final int PROTO_UDP = 17;
    /** The TTL of packets we send: Linux's default (net.ipv4.ip_default_ttl). */
    public static final int DEFAULT_TTL = 64;
    public static final int BROADCAST = -1;

    private Ipv4() {
    }

    /**
     * Writes a 20-byte header at {@code off} and its checksum: {@code payloadLength} bytes of
     * {@code protocol} follow, at fragment offset {@code offset} bytes (a multiple of 8), {@code more}
     * fragments after it.
     */
    public static void writeHeader(MemorySegment s, long off, int src, int dst, int protocol, int id,
                                   int payloadLength, int offset, boolean more) {
        Wire.set8(s, off + VERSION_IHL, 0x45);
        Wire.set8(s, off + TOS, 0);
        Wire.set16(s, off + TOTAL_LENGTH, HEADER + payloadLength);
        Wire.set16(s, off + ID, id);
        Wire.set16(s, off + FLAGS_FRAGMENT, (offset >>> 3) | (more ? MF : 0));
        Wire.set8(s, off + TTL, DEFAULT_TTL);
        Wire.set8(s, off + PROTOCOL, protocol);
        Wire.set16(s, off + CHECKSUM, 0);
        Wire.set32(s, off + SRC, src);
        Wire.set32(s, off + DST, dst);
        Wire.set16(s, off + CHECKSUM, Checksums.of(s, off, HEADER));
    }
}
