package dev.isthmus.dpdk.net;

/**
 * ICMP for IPv4 (RFC 792): the 8-byte header (type, code, checksum, then 4 bytes that depend on the
 * type: identifier and sequence number for echo, unused for destination unreachable).
 */
public final class Icmp {
    public static final int HEADER = 8;
    public static final int TYPE = 0;
    public static final int CODE = 1;
    public static final int CHECKSUM = 2;
    public static final int REST = 4;
    public static final int ECHO_REPLY = 0;
    public static final int DEST_UNREACHABLE = 3;
    public static final int ECHO_REQUEST = 8;
    public static final int CODE_PORT_UNREACHABLE = 3;
    /** Destination unreachable, fragmentation needed and DF set (RFC 1191: next-hop MTU in bytes 6-7). */
    public static final int CODE_FRAGMENTATION_NEEDED = 4;
    /**
     * Bytes of the offending datagram quoted in an error after its IP header: RFC 792 asks for 64 bits;
     * RFC 1812 section 4.3.2.3 allows as much as fits in 576 bytes. 8 is what every reader needs (the
     * UDP ports).
     */
    public static final int QUOTED_PAYLOAD = 8;

    private Icmp() {
    }
}
