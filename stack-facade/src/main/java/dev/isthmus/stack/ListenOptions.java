package dev.isthmus.stack;

import java.net.SocketOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * How to listen. Immutable; start from {@link #defaults()}.
 *
 * @param backlog          listen(2) backlog (default 1024)
 * @param reuseAddress     SO_REUSEADDR on the listening socket (default true)
 * @param acceptStrategy   how connections are spread over workers (default {@link AcceptStrategy#REUSEPORT},
 *                         which a stack without {@link Capability#REUSEPORT} treats as
 *                         {@link AcceptStrategy#CONNECTION_DISTRIBUTION})
 * @param fixedWorker      the worker for {@link AcceptStrategy#FIXED}
 * @param socketOptions    options applied to every accepted connection before {@code onOpen}
 *                         (e.g. {@link java.net.StandardSocketOptions#TCP_NODELAY})
 */
public record ListenOptions(int backlog, boolean reuseAddress, AcceptStrategy acceptStrategy, int fixedWorker,
                            Map<SocketOption<?>, Object> socketOptions) {

    /** Checks the values; copies and checks {@code socketOptions} (value types, see {@link java.net.SocketOption#type()}). */
    public ListenOptions {
        if (backlog < 1) {
            throw new IllegalArgumentException("backlog must be at least 1, was " + backlog);
        }
        Objects.requireNonNull(acceptStrategy, "acceptStrategy");
        if (fixedWorker < 0) {
            throw new IllegalArgumentException("fixedWorker must be >= 0, was " + fixedWorker);
        }
        socketOptions = SocketOptionsCheck.copyChecked(socketOptions);
    }

    /** The defaults: backlog 1024, SO_REUSEADDR on, {@link AcceptStrategy#REUSEPORT}, no socket options. */
    public static ListenOptions defaults() {
        return new ListenOptions(1024, true, AcceptStrategy.REUSEPORT, 0, Map.of());
    }

    /** A copy with {@code n}: the listen(2) backlog, at least 1. */
    public ListenOptions withBacklog(int n) {
        return new ListenOptions(n, reuseAddress, acceptStrategy, fixedWorker, socketOptions);
    }

    /** A copy with {@code on}: SO_REUSEADDR on the listening socket. */
    public ListenOptions withReuseAddress(boolean on) {
        return new ListenOptions(backlog, on, acceptStrategy, fixedWorker, socketOptions);
    }

    /** A copy with {@code s}: how accepted connections are spread over the workers. */
    public ListenOptions withAcceptStrategy(AcceptStrategy s) {
        return new ListenOptions(backlog, reuseAddress, s, fixedWorker, socketOptions);
    }

    /** {@link AcceptStrategy#FIXED} on worker {@code worker}. */
    public ListenOptions withFixedWorker(int worker) {
        return new ListenOptions(backlog, reuseAddress, AcceptStrategy.FIXED, worker, socketOptions);
    }

    /** A copy that sets {@code option} to {@code value} on every accepted connection. */
    public <T> ListenOptions withSocketOption(SocketOption<T> option, T value) {
        Map<SocketOption<?>, Object> m = new LinkedHashMap<>(socketOptions);
        m.put(option, value);
        return new ListenOptions(backlog, reuseAddress, acceptStrategy, fixedWorker, m);
    }
}
