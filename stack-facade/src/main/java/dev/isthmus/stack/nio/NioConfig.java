package dev.isthmus.stack.nio;

import dev.isthmus.stack.IsthmusSocketOptions;
import dev.isthmus.stack.SocketOptionsCheck;

import java.io.IOException;
import java.net.SocketOption;
import java.nio.channels.NetworkChannel;
import java.util.Set;

/**
 * Socket options on JDK channels: what the channel's {@code supportedOptions()} lists (StandardSocketOptions
 * and, on Linux, jdk.net.ExtendedSocketOptions such as TCP_KEEPIDLE); the JDK has no way to set the
 * {@link IsthmusSocketOptions}.
 */
final class NioConfig {
    private static final Set<SocketOption<?>> ISTHMUS_OPTIONS = Set.of(IsthmusSocketOptions.TCP_USER_TIMEOUT,
            IsthmusSocketOptions.TCP_FASTOPEN, IsthmusSocketOptions.SO_BUSY_POLL,
            IsthmusSocketOptions.SO_INCOMING_CPU, IsthmusSocketOptions.SO_ZEROCOPY);

    private NioConfig() {
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
        if (ISTHMUS_OPTIONS.contains(option)) {
            throw new UnsupportedOperationException("socket option " + option.name()
                    + " is not supported by the nio stack (the JDK cannot set it); use the epoll or io_uring stack");
        }
        if (!ch.supportedOptions().contains(option)) {
            throw new UnsupportedOperationException("socket option " + option.name()
                    + " is not supported by the nio stack on this socket; supported: " + ch.supportedOptions());
        }
    }
}
