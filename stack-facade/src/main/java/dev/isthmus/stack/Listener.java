package dev.isthmus.stack;

import java.net.SocketAddress;

/** A listening endpoint returned by {@link NetworkStack#listen}. */
public interface Listener extends AutoCloseable {

    /** The bound address; with port 0 asked for, this holds the port the kernel picked. */
    SocketAddress localAddress();

    /** Stops accepting and closes the listening socket(s); accepted connections stay open. Idempotent. */
    @Override
    void close();
}
