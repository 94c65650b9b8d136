package dev.isthmus.stack;

/**
 * How to open a UDP channel.
 *
 * @param maxDatagramSize bytes received per datagram; a longer datagram is delivered cut to this size
 *                        with {@code truncated} set (default 2048)
 * @param worker          the worker the channel lives on, or -1 for the stack's choice
 * @param reuseAddress    SO_REUSEADDR
 */
public record UdpOptions(int maxDatagramSize, int worker, boolean reuseAddress) {
    /** Checks the values. */
    public UdpOptions {
        if (maxDatagramSize < 1 || maxDatagramSize > 65535) {
            throw new IllegalArgumentException("maxDatagramSize must be 1..65535, was " + maxDatagramSize);
        }
        if (worker < -1) {
            throw new IllegalArgumentException("worker must be -1 (any) or a worker index, was " + worker);
        }
    }

    /** The defaults: 2048-byte datagrams, any worker, no SO_REUSEADDR. */
    public static UdpOptions defaults() {
        return new UdpOptions(2048, -1, false);
    }

    /** A copy with {@code n}: bytes received per datagram, 1..65535. */
    public UdpOptions withMaxDatagramSize(int n) {
        return new UdpOptions(n, worker, reuseAddress);
    }

    /** A copy with {@code w}: the worker index the channel lives on, or -1 for the stack's choice. */
    public UdpOptions withWorker(int w) {
        return new UdpOptions(maxDatagramSize, w, reuseAddress);
    }

    /** A copy with {@code on}: SO_REUSEADDR. */
    public UdpOptions withReuseAddress(boolean on) {
        return new UdpOptions(maxDatagramSize, worker, on);
    }
}
