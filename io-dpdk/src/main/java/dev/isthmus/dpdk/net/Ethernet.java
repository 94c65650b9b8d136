package dev.isthmus.dpdk.net;

import java.lang.foreign.MemorySegment;

/**
 * Ethernet II framing (IEEE 802.3 with an EtherType): destination MAC, source MAC, EtherType, payload.
 * The FCS is the NIC's business; frames shorter than 60 bytes are padded by the driver or the kernel
 * (net_tap), so received frames may carry padding after the IP packet.
 */
public final class Ethernet {
    /** Header length: 6 + 6 + 2. */
    public static final int HEADER = 14;
    public static final int DST = 0;
    public static final int SRC = 6;
    public static final int TYPE = 12;
    public static final int TYPE_IPV4 = 0x0800;
    public static final int TYPE_ARP = 0x0806;
    public static final long BROADCAST = 0xFFFF_FFFF_FFFFL;
    /** The I/G bit of the first octet: set for group (multicast and broadcast) addresses. */
    public static final long GROUP_BIT = 0x0100_0000_0000L;

    private Ethernet() {
    }

    /** Writes the header of a frame from {@code src} to {@code dst} carrying {@code type}. */
    public static void writeHeader(MemorySegment frame, long dst, long src, int type) {
        writeHeader(frame, 0, dst, src, type);
    }

    /** Writes the header of the frame at {@code at} of {@code s}. */
    public static void writeHeader(MemorySegment s, long at, long dst, long src, int type) {
        Wire.setMac(s, at + DST, dst);
        Wire.setMac(s, at + SRC, src);
        Wire.set16(s, at + TYPE, type);
    }
}
