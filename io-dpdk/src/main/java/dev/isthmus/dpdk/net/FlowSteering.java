package dev.isthmus.dpdk.net;

import dev.isthmus.stack.spi.RssPlacement;

import java.lang.foreign.MemorySegment;

/**
 * Which worker owns a received frame's flow: the one an RSS NIC would deliver it to, the
 * {@link RssPlacement} of its IPv4 4-tuple (the Toeplitz hash over source address, destination address,
 * source port, destination port, as the NIC reads them off the received packet). A device that spreads
 * frames over its queues otherwise (net_tap: the kernel's own flow hash; net_ring, memif: by the sender's
 * queue) lets a frame reach another worker, which hands it over.
 *
 * <p>Only a peek at fixed offsets, no validation: the owner's {@link NetInterface} checks everything. A
 * frame without a 4-tuple (ARP, ICMP, a fragment: only the first one carries the ports, and all of one
 * datagram must meet in one reassembly) is {@link #ANY}: handled where it arrived.
 */
public final class FlowSteering {
    /** The frame has no flow to place. */
    public static final int ANY = -1;
    /** IPv4 protocol number of TCP (RFC 793), whose flows are placed the same way. */
    private static final int PROTO_TCP = 6;

    private FlowSteering() {
    }

    /** The owning worker of the frame of {@code len} bytes at {@code at} of {@code s}, or {@link #ANY}. */
    public static int owner(RssPlacement rss, MemorySegment s, long at, int len) {
        if (len < Ethernet.HEADER + Ipv4.HEADER + 4 || Wire.u16(s, at + Ethernet.TYPE) != Ethernet.TYPE_IPV4) {
            return ANY;
        }
        long ip = at + Ethernet.HEADER;
        int vihl = Wire.u8(s, ip + Ipv4.VERSION_IHL);
        int ihl = (vihl & 0xF) * 4;
        int protocol = Wire.u8(s, ip + Ipv4.PROTOCOL);
        if ((vihl >>> 4) != 4 || ihl < Ipv4.HEADER || Ethernet.HEADER + ihl + 4 > len
                || (Wire.u16(s, ip + Ipv4.FLAGS_FRAGMENT) & (Ipv4.MF | Ipv4.OFFSET_MASK)) != 0
                || (protocol != Ipv4.PROTO_UDP && protocol != PROTO_TCP)) {
            return ANY;
        }
        // UDP and TCP both start with the source and destination ports.
        return rss.workerV4(Wire.u32(s, ip + Ipv4.SRC), Wire.u32(s, ip + Ipv4.DST), Wire.u16(s, ip + ihl),
                Wire.u16(s, ip + ihl + 2));
    }
}
