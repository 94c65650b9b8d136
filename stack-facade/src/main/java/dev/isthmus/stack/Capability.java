package dev.isthmus.stack;

/** What a stack can do on this machine; see {@link NetworkStack#capabilities()}. */
public enum Capability {
    /** TCP over IPv4. */
    IPV4,
    /** TCP over IPv6. */
    IPV6,
    /** AF_UNIX stream sockets. */
    UNIX_SOCKETS,
    /** UDP channels. */
    UDP,
    /** A listener per worker with SO_REUSEPORT ({@link AcceptStrategy#REUSEPORT}). */
    REUSEPORT,
    /** {@link Connection#setRawOption}/{@link Connection#getRawOption}: setsockopt(2) by level and name. */
    RAW_SOCKET_OPTIONS,
    /** Workers can be pinned to cores ({@link StackOptions#pinWorkers()}). */
    WORKER_PINNING,
    /** The worker can busy-poll before it sleeps ({@link StackOptions#spin()}). */
    SPIN,
    /** Zero-copy sends above a threshold (MSG_ZEROCOPY, IORING_OP_SEND_ZC). */
    ZEROCOPY_SEND
}
