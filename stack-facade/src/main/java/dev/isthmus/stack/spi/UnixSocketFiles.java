package dev.isthmus.stack.spi;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Files;

/**
 * The file a listening Unix-domain socket leaves behind. bind(2) creates it and close(2) does not remove
 * it (unix(7): "the socket file ... should be deleted using unlink(2) when it is no longer required"), and
 * a second bind to the same path fails with EADDRINUSE while it exists. Every stack removes it when its
 * listener closes, through {@link #removeAfterClose}.
 */
public final class UnixSocketFiles {
    private UnixSocketFiles() {
    }

    /**
     * Deletes the socket file of {@code bound} if it is a Unix-domain address with a path (not abstract, not
     * unnamed); does nothing for internet addresses. Call after the last descriptor bound to it is closed.
     *
     * @throws UncheckedIOException if the file exists and cannot be removed
     */
    public static void removeAfterClose(SocketAddress bound) {
        if (bound instanceof UnixDomainSocketAddress u && !u.getPath().toString().isEmpty()) {
            try {
                Files.deleteIfExists(u.getPath());
            } catch (IOException e) {
                throw new UncheckedIOException("unlink(" + u.getPath() + ")", e);
            }
        }
    }
}
