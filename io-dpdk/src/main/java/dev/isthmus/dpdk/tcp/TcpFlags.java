package dev.isthmus.dpdk.tcp;

/** The control bits of a TCP header (RFC 9293 section 3.1), as they sit in byte 13. */
public final class TcpFlags {
    public static final int FIN = 0x01;
    public static final int SYN = 0x02;
    public static final int RST = 0x04;
    public static final int PSH = 0x08;
    public static final int ACK = 0x10;
    public static final int URG = 0x20;

    private TcpFlags() {
    }

    /** The flags as tcpdump prints them: {@code S.} for SYN+ACK, {@code F.}, {@code R}, {@code P.}. */
    public static String toString(int flags) {
        StringBuilder sb = new StringBuilder(6);
        if ((flags & SYN) != 0) sb.append('S');
        if ((flags & FIN) != 0) sb.append('F');
        if ((flags & RST) != 0) sb.append('R');
        if ((flags & PSH) != 0) sb.append('P');
        if ((flags & URG) != 0) sb.append('U');
        if ((flags & ACK) != 0) sb.append('.');
        return sb.toString();
    }
}
