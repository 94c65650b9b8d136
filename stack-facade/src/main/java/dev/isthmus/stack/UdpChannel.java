package dev.isthmus.stack;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.net.SocketAddress;

/** A bound UDP socket on one worker (Seastar's {@code udp_channel}). */
public interface UdpChannel extends AutoCloseable {

    /** The worker the channel lives on; {@link #send} must be called from it. */
    Worker worker();

    /** The bound address. */
    SocketAddress localAddress();

    /**
     * Sends one datagram of {@code data}'s bytes to {@code to}.
     *
     * @throws IOException if the kernel refused it (e.g. {@code sendmsg: EMSGSIZE})
     */
    void send(SocketAddress to, MemorySegment data) throws IOException;

    /** Closes the socket. Idempotent; any thread. */
    @Override
    void close();
}
