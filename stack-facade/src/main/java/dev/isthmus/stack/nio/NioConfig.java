package dev.isthmus.stack.nio;

import dev.isthmus.stack.SocketOptionsCheck;
import dev.isthmus.stack.spi.SocketOptionErrors;
import jdk.net.ExtendedSocketOptions;

import java.io.IOException;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.nio.channels.NetworkChannel;
import java.util.Collection;
import java.util.Set;

/**
 * Socket options on JDK channels. The nio stack supports the options of the kernel stacks' option table
 * (module dev.isthmus.linux, {@code SocketOptionTable}) that the JDK can set on a TCP socket: the
 * StandardSocketOptions and, on Linux, jdk.net.ExtendedSocketOptions listed below. This facade module holds
 * no native code and cannot read that table, so the list is here; the conformance suite checks that it is
 * the table's nio column, and that every stack rejects the others with the same message.
 */
final class NioConfig {
    static final String STACK = "nio";

    private static final Set<SocketOption<?>> SUPPORTED = Set.of(StandardSocketOptions.TCP_NODELAY,
            StandardSocketOptions.SO_KEEPALIVE, StandardSocketOptions.SO_SNDBUF, StandardSocketOptions.SO_RCVBUF,
            StandardSocketOptions.SO_REUSEADDR, StandardSocketOptions.SO_REUSEPORT, StandardSocketOptions.SO_LINGER,
            StandardSocketOptions.IP_TOS, ExtendedSocketOptions.TCP_KEEPIDLE, ExtendedSocketOptions.TCP_KEEPINTERVAL,
            ExtendedSocketOptions.TCP_KEEPCOUNT, ExtendedSocketOptions.TCP_QUICKACK);

    private NioConfig() {
    }

    /** Checks options given to listen or connect, before any socket exists. */
    static void checkAll(Collection<SocketOption<?>> options) {
        SocketOptionErrors.checkAll(options, STACK, SUPPORTED::contains, o -> true);
    }

    @SuppressWarnings("unchecked")
    static void set(NetworkChannel ch, SocketOption<?> option, Object value) throws IOException {
        SocketOptionsCheck.checkValue(option, value);
        check(ch, option);
        ch.setOption((SocketOption<Object>) option, value);
    }

    static <T> T get(NetworkChannel ch, SocketOption<T> option) throws IOException {
        check(ch, option);
        return ch.getOption(option);
    }

    private static void check(NetworkChannel ch, SocketOption<?> option) {
        // IP_TOS is not offered on a Unix-domain channel: then the JDK's own list decides.
        if (!SUPPORTED.contains(option) || !ch.supportedOptions().contains(option)) {
            throw SocketOptionErrors.notSupported(option, STACK);
        }
    }
}
