package dev.isthmus.stack.spi;

import java.net.SocketOption;
import java.util.Collection;
import java.util.function.Predicate;

/**
 * The errors every stack gives for a socket option it cannot set, worded once so that an application
 * sees the same message whichever stack it runs on. A stack rejects an unknown option when the listener,
 * connection or UDP channel is made ({@link #checkAll}), not later when setsockopt(2) fails.
 */
public final class SocketOptionErrors {
    private SocketOptionErrors() {
    }

    /** "socket option NAME is not supported by the STACK stack". */
    public static UnsupportedOperationException notSupported(SocketOption<?> option, String stack) {
        return new UnsupportedOperationException("socket option " + option.name() + " is not supported by the "
                + stack + " stack");
    }

    /** "socket option NAME is read-only". */
    public static UnsupportedOperationException readOnly(SocketOption<?> option) {
        return new UnsupportedOperationException("socket option " + option.name() + " is read-only");
    }

    /**
     * Fails with {@link #notSupported} for the first option {@code supported} refuses, or with
     * {@link #readOnly} for the first one {@code settable} refuses.
     */
    public static void checkAll(Collection<SocketOption<?>> options, String stack, Predicate<SocketOption<?>> supported,
                                Predicate<SocketOption<?>> settable) {
        for (SocketOption<?> o : options) {
            if (!supported.test(o)) {
                throw notSupported(o, stack);
            }
            if (!settable.test(o)) {
                throw readOnly(o);
            }
        }
    }
}
