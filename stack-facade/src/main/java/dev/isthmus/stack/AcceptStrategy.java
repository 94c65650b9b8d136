package dev.isthmus.stack;

/**
 * How a listener spreads accepted connections over the workers, after Seastar's
 * {@code server_socket::load_balancing_algorithm}.
 */
public enum AcceptStrategy {
    /**
     * A listening socket per worker, all bound with SO_REUSEPORT; the kernel spreads connections by a
     * hash of the 4-tuple. No hand-off at all: the default where the stack supports it.
     */
    REUSEPORT,
    /** One acceptor; each connection goes to the worker with the fewest live connections. */
    CONNECTION_DISTRIBUTION,
    /**
     * One acceptor; a connection goes to worker {@code remotePort % workers}. Clients that pick their
     * local port that way ({@link ConnectOptions#portPerWorker()}) stay on the same worker number.
     */
    PORT,
    /** One acceptor; every connection goes to {@link ListenOptions#fixedWorker()}. */
    FIXED
}
