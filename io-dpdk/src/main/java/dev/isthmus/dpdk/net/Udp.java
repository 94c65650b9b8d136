package dev.isthmus.dpdk.net;

import java.lang.foreign.MemorySegment;

/** UDP (RFC 768): source port, destination port, length (header included), checksum. */
public final class Udp {
    public static final int HEADER = 8;
    public static final int SRC_PORT = 0;
    public static final int DST_PORT = 2;
    public static final int LENGTH = 4;
    public static final int CHECKSUM = 6;
    /** The largest payload of one datagram: 65535 - 20 (IP header) - 8 (UDP header). */
    public static final int MAX_PAYLOAD = 65507;

    private Udp() {
    }

    /**
     * Whether the checksum of the datagram {@code udp} (header and payload, its whole length) from
     * {@code src} to {@code dst} is right; a zero checksum field means "not computed" (RFC 768) and passes.
     */
    public static boolean checksumOk(MemorySegment udp, int src, int dst) {
        return checksumOk(udp, 0, (int) udp.byteSize(), src, dst);
    }

    /** {@link #checksumOk(MemorySegment, int, int)} for the {@code len} bytes at {@code at} of {@code s}. */
    public static boolean checksumOk(MemorySegment s, long at, int len, int src, int dst) {
        if (Wire.u16(s, at + CHECKSUM) == 0) {
            return true;
        }
        return Checksums.finish(Checksums.add(Checksums.pseudoHeader(src, dst, Ipv4.PROTO_UDP, len), s, at, len)) == 0;
    }

    /**
     * Writes the 8-byte header into {@code header} with the checksum over it and {@code payload}; a
     * computed 0 is sent as 0xFFFF (RFC 768: zero would mean "no checksum").
     */
    public static void writeHeader(MemorySegment header, int src, int srcPort, int dst, int dstPort,
                                   MemorySegment payload) {
        int len = HEADER + (int) payload.byteSize();
        Wire.set16(header, SRC_PORT, srcPort);
        Wire.set16(header, DST_PORT, dstPort);
        Wire.set16(header, LENGTH, len);
        Wire.set16(header, CHECKSUM, 0);
        long sum = Checksums.pseudoHeader(src, dst, Ipv4.PROTO_UDP, len);
        sum = Checksums.add(sum, header, 0, HEADER);
        sum = Checksums.add(sum, payload, 0, (int) payload.byteSize());
        int c = Checksums.finish(sum);
        Wire.set16(header, CHECKSUM, c == 0 ? 0xFFFF : c);
    }
}
