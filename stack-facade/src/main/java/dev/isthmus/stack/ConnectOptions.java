package dev.isthmus.stack;

import java.net.SocketAddress;
import java.net.SocketOption;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * How to connect. Immutable; start from {@link #defaults()}.
 *
 * @param timeout        how long the TCP handshake may take before the future fails with
 *                       {@link java.net.ConnectException} (default 30 s)
 * @param localAddress   the address to bind before connecting, or null for the kernel's choice
 * @param worker         the worker the connection lives on, or -1 to let the stack pick (round robin)
 * @param portPerWorker  pick a wildcard local port with {@code port % workers == worker}, so that a server
 *                       using {@link AcceptStrategy#PORT} keeps the flow on the same worker number
 *                       (Seastar's {@code find_port_and_connect})
 * @param socketOptions  options set on the socket before connecting
 */
public record ConnectOptions(Duration timeout, SocketAddress localAddress, int worker, boolean portPerWorker,
                             Map<SocketOption<?>, Object> socketOptions) {

    /** Checks the values; copies and checks {@code socketOptions} (value types, see {@link java.net.SocketOption#type()}). */
    public ConnectOptions {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, was " + timeout);
        }
        if (worker < -1) {
            throw new IllegalArgumentException("worker must be -1 (any) or a worker index, was " + worker);
        }
        socketOptions = SocketOptionsCheck.copyChecked(socketOptions);
    }

    /** The defaults: a 30 s timeout, no local address, any worker, no port-per-worker, no socket options. */
    public static ConnectOptions defaults() {
        return new ConnectOptions(Duration.ofSeconds(30), null, -1, false, Map.of());
    }

    /** A copy with {@code t}: how long the handshake may take, positive. */
    public ConnectOptions withTimeout(Duration t) {
        return new ConnectOptions(t, localAddress, worker, portPerWorker, socketOptions);
    }

    /** A copy with {@code a}: the address to bind before connecting, or null for the kernel's choice. */
    public ConnectOptions withLocalAddress(SocketAddress a) {
        return new ConnectOptions(timeout, a, worker, portPerWorker, socketOptions);
    }

    /** A copy with {@code w}: the worker index the connection lives on, or -1 for the stack's choice. */
    public ConnectOptions withWorker(int w) {
        return new ConnectOptions(timeout, localAddress, w, portPerWorker, socketOptions);
    }

    /** A copy with {@code on}: whether to pick a local port with {@code port % workers == worker}. */
    public ConnectOptions withPortPerWorker(boolean on) {
        return new ConnectOptions(timeout, localAddress, worker, on, socketOptions);
    }

    /**
     * A copy with one more socket option, set before connecting.
     *
     * @param <T>    the option's value type
     * @param option a socket option, set before connecting
     * @param value  its value, of {@code option.type()}
     * @return a copy with that option added
     */
    public <T> ConnectOptions withSocketOption(SocketOption<T> option, T value) {
        Map<SocketOption<?>, Object> m = new LinkedHashMap<>(socketOptions);
        m.put(option, value);
        return new ConnectOptions(timeout, localAddress, worker, portPerWorker, m);
    }
}
