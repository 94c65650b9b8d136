package dev.isthmus.stack;

import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;

/** Receives datagrams of a {@link UdpChannel}, on its worker thread. */
public interface DatagramHandler {

    /**
     * One datagram.
     *
     * @param data      its bytes, a view into pool memory valid only during this call
     * @param truncated true if the datagram was longer than {@link UdpOptions#maxDatagramSize()} and
     *                  {@code data} holds only its start
     */
    void onDatagram(UdpChannel channel, InetSocketAddress sender, MemorySegment data, boolean truncated);

    /** A receive error; the channel stays open unless it was closed. */
    default void onError(UdpChannel channel, Throwable error) {
    }
}
