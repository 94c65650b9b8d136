package dev.isthmus.stack;

/** An operation other than close/abort on a connection that is already closed. */
public final class ConnectionClosedException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /** An exception whose {@code message} says what was attempted on which connection. */
    public ConnectionClosedException(String message) {
        super(message);
    }
}
