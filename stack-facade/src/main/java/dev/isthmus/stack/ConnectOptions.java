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

    public static ConnectOptions defaults() {
        return new ConnectOptions(Duration.ofSeconds(30), null, -1, false, Map.of());
    }

    public ConnectOptions withTimeout(Duration t) {
        return new ConnectOptions(t, localAddress, worker, portPerWorker, socketOptions);
    }

    public ConnectOptions withLocalAddress(SocketAddress a) {
        return new ConnectOptions(timeout, a, worker, portPerWorker, socketOptions);
    }

    public ConnectOptions withWorker(int w) {
        return new ConnectOptions(timeout, localAddress, w, portPerWorker, socketOptions);
    }

    public ConnectOptions withPortPerWorker(boolean on) {
        return new ConnectOptions(timeout, localAddress, worker, on, socketOptions);
    }

    public <T> ConnectOptions withSocketOption(SocketOption<T> option, T value) {
        Map<SocketOption<?>, Object> m = new LinkedHashMap<>(socketOptions);
        m.put(option, value);
        return new ConnectOptions(timeout, localAddress, worker, portPerWorker, m);
    }
}
