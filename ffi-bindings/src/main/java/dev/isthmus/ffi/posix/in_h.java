package dev.isthmus.ffi.posix;

import dev.isthmus.ffi.CHeader;

/**
 * {@code <netinet/in.h>}: protocol numbers, IP-level options and the well-known addresses. See ip(7),
 * ipv6(7). The byte-order helpers are done in Java (glibc's htons &amp; co. are byte swaps; a downcall
 * for one would cost more than the swap).
 */
@CHeader({"netinet/in.h"})
public final class in_h {
    private in_h() {
    }

    public static final int IPPROTO_IP = 0;
    public static final int IPPROTO_ICMP = 1;
    public static final int IPPROTO_TCP = 6;
    public static final int IPPROTO_UDP = 17;
    public static final int IPPROTO_IPV6 = 41;
    public static final int IPPROTO_ICMPV6 = 58;

    public static final int IP_TOS = 1;
    public static final int IP_TTL = 2;
    /** An AF_INET6 socket accepts IPv6 only (no IPv4-mapped peers); see ipv6(7). */
    public static final int IPV6_V6ONLY = 26;
    public static final int IPV6_TCLASS = 67;

    // Multicast (ip(7), ipv6(7)). IP_MULTICAST_IF takes a struct in_addr (or ip_mreqn); IPV6_MULTICAST_IF an
    // interface index; the TTL, hop limit and loop flags are ints.
    public static final int IP_MULTICAST_IF = 32;
    public static final int IP_MULTICAST_TTL = 33;
    public static final int IP_MULTICAST_LOOP = 34;
    public static final int IPV6_MULTICAST_IF = 17;
    public static final int IPV6_MULTICAST_HOPS = 18;
    public static final int IPV6_MULTICAST_LOOP = 19;

    // The protocol-independent membership API of RFC 3678 section 5.2 (struct group_req / group_source_req),
    // which Linux takes at level IPPROTO_IP or IPPROTO_IPV6 for groups of either family.
    public static final int MCAST_JOIN_GROUP = 42;
    public static final int MCAST_BLOCK_SOURCE = 43;
    public static final int MCAST_UNBLOCK_SOURCE = 44;
    public static final int MCAST_LEAVE_GROUP = 45;
    public static final int MCAST_JOIN_SOURCE_GROUP = 46;
    public static final int MCAST_LEAVE_SOURCE_GROUP = 47;

    /** 0.0.0.0, in host byte order. */
    public static final int INADDR_ANY = 0;
    /** 127.0.0.1, in host byte order. */
    public static final int INADDR_LOOPBACK = 0x7f000001;

    public static final int INET_ADDRSTRLEN = 16;
    public static final int INET6_ADDRSTRLEN = 46;

    /** {@code htons(3)}: host to network (big-endian) byte order. */
    public static short htons(short hostshort) {
        return java.nio.ByteOrder.nativeOrder() == java.nio.ByteOrder.BIG_ENDIAN ? hostshort : Short.reverseBytes(hostshort);
    }

    /** {@code ntohs(3)}: network to host byte order. */
    public static short ntohs(short netshort) {
        return htons(netshort);
    }

    /** {@code htonl(3)}: host to network (big-endian) byte order. */
    public static int htonl(int hostlong) {
        return java.nio.ByteOrder.nativeOrder() == java.nio.ByteOrder.BIG_ENDIAN ? hostlong : Integer.reverseBytes(hostlong);
    }

    /** {@code ntohl(3)}: network to host byte order. */
    public static int ntohl(int netlong) {
        return htonl(netlong);
    }
}
