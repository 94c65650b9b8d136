package dev.isthmus.dpdk.net;

import java.lang.foreign.MemorySegment;

/**
 * ARP for IPv4 over Ethernet (RFC 826): the 28-byte packet after the Ethernet header.
 *
 * <pre>
 *  0: hardware type (1 = Ethernet)   2: protocol type (0x0800)
 *  4: hlen (6)  5: plen (4)          6: operation (1 request, 2 reply)
 *  8: sender MAC  14: sender IPv4    18: target MAC  24: target IPv4
 * </pre>
 */
public final class Arp {
    public static final int LENGTH = 28;
    public static final int HTYPE = 0;
    public static final int PTYPE = 2;
    public static final int HLEN = 4;
    public static final int PLEN = 5;
    public static final int OPER = 6;
    public static final int SHA = 8;
    public static final int SPA = 14;
    public static final int THA = 18;
    public static final int TPA = 24;
    public static final int REQUEST = 1;
    public static final int REPLY = 2;

    private Arp() {
    }

    /** Whether {@code p} (from the ARP header on) is a well-formed Ethernet/IPv4 request or reply. */
    public static boolean valid(MemorySegment p) {
        if (p.byteSize() < LENGTH) {
            return false;
        }
        int op = Wire.u16(p, OPER);
        return Wire.u16(p, HTYPE) == 1 && Wire.u16(p, PTYPE) == Ethernet.TYPE_IPV4 && Wire.u8(p, HLEN) == 6
                && Wire.u8(p, PLEN) == 4 && (op == REQUEST || op == REPLY);
    }

    /**
     * Writes a whole frame (Ethernet header included, {@link Ethernet#HEADER} + {@link #LENGTH} bytes):
     * operation {@code op} from {@code sha}/{@code spa} to {@code tha}/{@code tpa}, sent to {@code ethDst}.
     */
    public static void write(MemorySegment frame, long ethDst, int op, long sha, int spa, long tha, int tpa) {
        write(frame, 0, ethDst, op, sha, spa, tha, tpa);
    }

    /** {@link #write(MemorySegment, long, int, long, int, long, int)} for the frame at {@code at} of {@code s}. */
    public static void write(MemorySegment s, long at, long ethDst, int op, long sha, int spa, long tha, int tpa) {
        Ethernet.writeHeader(s, at, ethDst, sha, Ethernet.TYPE_ARP);
        long p = at + Ethernet.HEADER;
        Wire.set16(s, p + HTYPE, 1);
        Wire.set16(s, p + PTYPE, Ethernet.TYPE_IPV4);
        Wire.set8(s, p + HLEN, 6);
        Wire.set8(s, p + PLEN, 4);
        Wire.set16(s, p + OPER, op);
        Wire.setMac(s, p + SHA, sha);
        Wire.set32(s, p + SPA, spa);
        Wire.setMac(s, p + THA, tha);
        Wire.set32(s, p + TPA, tpa);
    }
}
