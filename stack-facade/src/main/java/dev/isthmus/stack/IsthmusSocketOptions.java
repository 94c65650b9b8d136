package dev.isthmus.stack;

import java.net.SocketOption;

/**
 * Socket options that neither {@link java.net.StandardSocketOptions} nor
 * {@code jdk.net.ExtendedSocketOptions} name. See tcp(7) and socket(7).
 */
public final class IsthmusSocketOptions {
    private IsthmusSocketOptions() {
    }

    private record Opt<T>(String name, Class<T> type) implements SocketOption<T> {
        @Override
        public String toString() {
            return name;
        }
    }

    /** TCP_USER_TIMEOUT: milliseconds unacknowledged data may stay before the connection is dropped (tcp(7)). */
    public static final SocketOption<Integer> TCP_USER_TIMEOUT = new Opt<>("TCP_USER_TIMEOUT", Integer.class);

    /** TCP_FASTOPEN on a listener: the queue length of pending TFO requests (tcp(7)). */
    public static final SocketOption<Integer> TCP_FASTOPEN = new Opt<>("TCP_FASTOPEN", Integer.class);

    /** SO_BUSY_POLL: microseconds to busy-poll the device queue on a blocking read (socket(7)). */
    public static final SocketOption<Integer> SO_BUSY_POLL = new Opt<>("SO_BUSY_POLL", Integer.class);

    /** SO_INCOMING_CPU: the CPU that processes this socket's packets (read-only here; socket(7)). */
    public static final SocketOption<Integer> SO_INCOMING_CPU = new Opt<>("SO_INCOMING_CPU", Integer.class);

    /** SO_ZEROCOPY: allow MSG_ZEROCOPY sends (msg_zerocopy documentation). */
    public static final SocketOption<Boolean> SO_ZEROCOPY = new Opt<>("SO_ZEROCOPY", Boolean.class);
}
