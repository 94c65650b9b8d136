package dev.isthmus.nio.channels;

import java.io.IOException;
import java.net.SocketException;
import java.net.SocketOption;
import java.nio.channels.AlreadyBoundException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NetworkChannel;
import java.nio.channels.UnresolvedAddressException;
import java.nio.channels.UnsupportedAddressTypeException;

/**
 * The socket options of a {@link java.net.Socket} or {@link java.net.DatagramSocket} adaptor, read and written
 * through its channel: java.net declares SocketException where the channel throws IOException, and a closed
 * socket fails with the JDK's "Socket is closed" before the channel is asked.
 */
final class AdaptorOptions {
    private final NetworkChannel ch;

    AdaptorOptions(NetworkChannel ch) {
        this.ch = ch;
    }

    void checkOpen() throws SocketException {
        if (!ch.isOpen()) {
            throw new SocketException("Socket is closed");
        }
    }

    <T> void set(SocketOption<T> o, T v) throws SocketException {
        try {
            checkOpen();
            ch.setOption(o, v);
        } catch (IOException e) {
            throw translate(e);
        }
    }

    <T> T get(SocketOption<T> o) throws SocketException {
        try {
            checkOpen();
            return ch.getOption(o);
        } catch (IOException e) {
            throw translate(e);
        }
    }

    /**
     * The channel's exceptions as the SocketExceptions java.net declares, with the JDK adaptors' messages;
     * an IllegalArgumentException is the caller's error and passes unchanged.
     */
    static SocketException translate(Exception e) {
        if (e instanceof SocketException se) {
            return se;
        }
        if (e instanceof IllegalArgumentException iae) {
            throw iae;
        }
        String message = switch (e) {
            case ClosedChannelException c -> "Socket is closed";
            case AlreadyBoundException a -> "Already bound";
            case UnresolvedAddressException u -> "Unresolved address";
            case UnsupportedAddressTypeException u -> "Unsupported address type";
            default -> e.getMessage();
        };
        SocketException se = new SocketException(message);
        se.initCause(e);
        return se;
    }
}
