package dev.isthmus.stack;

import java.io.IOException;

/**
 * Passed to {@link ConnectionHandler#onClose}: bytes that {@code write} had accepted were not sent,
 * because the connection was aborted, reset by the peer, or the stack's close deadline passed.
 */
public final class WritesDiscardedException extends IOException {
    private static final long serialVersionUID = 1L;
    /** How many accepted bytes were never sent. */
    private final long discardedBytes;

    /**
     * An exception that counts the bytes lost.
     *
     * @param discardedBytes accepted bytes that were never sent
     * @param why            what ended the connection
     * @param cause          the underlying error, or null
     */
    public WritesDiscardedException(long discardedBytes, String why, Throwable cause) {
        super(discardedBytes + " accepted bytes were not sent: " + why, cause);
        this.discardedBytes = discardedBytes;
    }

    /** How many accepted bytes were never sent. */
    public long discardedBytes() {
        return discardedBytes;
    }
}
