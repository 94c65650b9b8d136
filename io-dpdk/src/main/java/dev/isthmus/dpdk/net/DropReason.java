package dev.isthmus.dpdk.net;

/** Why the stack dropped a frame or a packet; each has a counter in {@link NetStats}. */
public enum DropReason {
    /** A frame in a chain of mbufs (jumbo or scattered rx), which the stack does not take. */
    RX_CHAINED,
    /** Shorter than an Ethernet header. */
    ETH_TRUNCATED,
    /** Addressed to another host's MAC (not ours, not broadcast). */
    ETH_NOT_FOR_US,
    /** An EtherType the stack does not speak (IPv6, VLAN, LLDP...). */
    ETH_UNKNOWN_TYPE,
    /** An ARP packet that is short or not Ethernet/IPv4. */
    ARP_MALFORMED,
    /** An ARP request for another host's address. */
    ARP_NOT_FOR_US,
    /** Packets queued for a next hop that never answered ARP, or beyond the queue's bound. */
    ARP_UNRESOLVED,
    /** Shorter than a 20-byte IPv4 header, or than its IHL. */
    IPV4_TRUNCATED,
    /** Version not 4, or IHL below 5. */
    IPV4_BAD_HEADER,
    /** Total length below the header length or beyond the frame. */
    IPV4_BAD_LENGTH,
    /** Header checksum wrong. */
    IPV4_BAD_CHECKSUM,
    /** Destination not our address nor a broadcast we accept. */
    IPV4_NOT_FOR_US,
    /** A protocol the stack does not speak (or TCP to a broadcast, or TCP before the stack has it). */
    IPV4_UNKNOWN_PROTOCOL,
    /** A fragment that overlaps one received before (the whole datagram goes). */
    FRAG_OVERLAP,
    /** A fragment ending beyond 65535 bytes, or a second last fragment that disagrees. */
    FRAG_BAD,
    /** A datagram whose fragments did not all arrive before the reassembly timeout. */
    FRAG_TIMEOUT,
    /** Fragments beyond the reassembly memory bound. */
    FRAG_NO_MEMORY,
    /** ICMP shorter than its header. */
    ICMP_TRUNCATED,
    /** ICMP checksum wrong. */
    ICMP_BAD_CHECKSUM,
    /** An ICMP type the stack does not answer (replies, errors: counted, nothing to do). */
    ICMP_IGNORED,
    /** An ICMP error not sent: over the rate limit (counted with the drop that caused it). */
    ICMP_RATE_LIMITED,
    /** UDP shorter than its header. */
    UDP_TRUNCATED,
    /** UDP length field disagrees with the IP payload. */
    UDP_BAD_LENGTH,
    /** UDP checksum wrong. */
    UDP_BAD_CHECKSUM,
    /** No socket bound to the destination port (answered with ICMP port unreachable). */
    UDP_NO_PORT,
    /** No route: the destination is off our subnet and no gateway is configured. */
    TX_NO_ROUTE,
    /** No mbuf left to build an outbound frame in. */
    TX_NO_BUFFER,
    /** The driver's tx queue stayed full. */
    TX_QUEUE_FULL,
    /** Larger than the stack can send (a UDP payload over 65507 bytes). */
    TX_TOO_BIG,
}
