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

    /**
     * Sends {@code count} datagrams, {@code data[i]} to {@code to[i]}, in order, in as few system calls
     * as the stack can (sendmmsg(2) on epoll; one send each elsewhere). Returns how many the kernel
     * took: fewer than {@code count} when it refused one after the first, whose error the next call
     * reports. Must be called from the channel's worker.
     *
     * @throws IOException              if the kernel refused the first datagram
     * @throws IllegalArgumentException if the arrays are shorter than {@code count} or hold a bad address
     */
    default int send(SocketAddress[] to, MemorySegment[] data, int count) throws IOException {
        if (count < 0 || count > to.length || count > data.length) {
            throw new IllegalArgumentException("count " + count + " does not fit arrays of " + to.length
                    + " addresses and " + data.length + " datagrams");
        }
        for (int i = 0; i < count; i++) {
            try {
                send(to[i], data[i]);
            } catch (IOException e) {
                if (i == 0) {
                    throw e;
                }
                return i;
            }
        }
        return count;
    }

    /** Closes the socket. Idempotent; any thread. */
    @Override
    void close();
}
