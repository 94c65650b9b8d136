package dev.isthmus.stack;

/**
 * Callbacks for one connection, all run on the connection's worker thread, in order:
 * {@code onOpen}, any number of {@code onData}/{@code onWritable}, maybe {@code onInputShutdown},
 * then exactly one {@code onClose}.
 *
 * <p>A callback that throws has its connection aborted, and the exception is passed to {@code onClose}.
 */
public interface ConnectionHandler {

    /** The connection is established (accepted, or connected). */
    default void onOpen(Connection connection) {
    }

    /**
     * Bytes arrived. {@code in} holds everything received and not yet consumed: consume what you
     * parsed with {@link Inbound#skip(long)} (or the reading methods); what is left stays and is shown
     * again, with the new bytes after it, on the next call. The views it hands out point into pooled
     * native memory and are valid only during this call.
     */
    void onData(Connection connection, Inbound in);

    /**
     * The peer closed its output (EOF). The default closes the connection once pending writes are out;
     * override to keep writing on a half-closed connection, then call {@link Connection#close()}.
     */
    default void onInputShutdown(Connection connection) {
        connection.close();
    }

    /** Pending writes fell below the low watermark after {@link Connection#isWritable()} was false. */
    default void onWritable(Connection connection) {
    }

    /**
     * The connection is closed and its resources released.
     *
     * @param cause null after an orderly close by either side; otherwise why: an {@link java.io.IOException}
     *              from the kernel (e.g. {@code read: ECONNRESET}), a {@link WritesDiscardedException} when
     *              accepted bytes could not be sent, or what a callback threw
     */
    default void onClose(Connection connection, Throwable cause) {
    }
}
