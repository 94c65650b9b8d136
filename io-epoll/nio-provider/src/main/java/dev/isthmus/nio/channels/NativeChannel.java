package dev.isthmus.nio.channels;

import java.io.IOException;

/**
 * What {@link EpollSelector} needs from a channel of this provider (our counterpart of the JDK's internal
 * {@code SelChImpl}): its descriptor, its user-space readiness, how readiness becomes a ready set, and the
 * hook that closes the descriptor once the last key is deregistered.
 */
interface NativeChannel extends java.nio.channels.Channel {
    /** The socket or pipe descriptor; valid until {@link #kill()}. */
    int fd();

    Readiness readiness();

    /**
     * The ready set for a key with {@code interest}, given {@code bits} (READABLE|WRITABLE, or both on
     * EPOLLERR/EPOLLHUP): e.g. WRITABLE is OP_CONNECT while a connection is pending and OP_WRITE once connected.
     */
    int readyOps(int interest, int bits);

    /**
     * Closes the descriptor of a channel that was closed while registered, after its last key left the
     * last selector (the route through AbstractSelector's deregistration): from then on no selector uses
     * the descriptor number, so the kernel may hand it out again.
     */
    void kill() throws IOException;
}
