package dev.isthmus.stack;

import java.io.IOException;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * A network stack: N workers, each one thread owning its poller (an epoll fd, an io_uring ring, a
 * DPDK queue pair or a JDK selector). Every stack — {@code io_uring}, {@code epoll}, {@code dpdk},
 * {@code nio} — implements this same interface, so an application changes stacks by changing one
 * option ({@link NetworkStacks#open(String, StackOptions)} or {@code -Disthmus.stack=...}).
 *
 * <p>Modelled on Seastar's {@code network_stack} and Ceph's AsyncMessenger {@code NetworkStack}.
 * A connection lives on one worker for life and all its callbacks run on that worker's thread, so
 * connection state needs no locks.
 *
 * <p>All methods of this interface may be called from any thread.
 */
public interface NetworkStack extends AutoCloseable {

    /** The stack's name as used by {@link NetworkStacks#open(String)}: {@code io_uring}, {@code epoll}, ... */
    String name();

    /** The workers, indexed from 0; the list does not change for the life of the stack. */
    List<Worker> workers();

    /** What this stack can do on this machine. */
    Set<Capability> capabilities();

    /** The options the stack was opened with (defaults filled in). */
    StackOptions options();

    /**
     * Listens on {@code local} and calls {@code handlers} once for each accepted connection, on the
     * worker that the {@link ListenOptions#acceptStrategy() accept strategy} chose.
     *
     * @param local an {@link java.net.InetSocketAddress} (port 0 picks an ephemeral port; see
     *              {@link Listener#localAddress()}) or a {@link java.net.UnixDomainSocketAddress}
     *              where {@link Capability#UNIX_SOCKETS} is present
     * @throws java.net.BindException if the address is in use or cannot be assigned
     * @throws IllegalArgumentException if the address is null, unresolved or of an unsupported kind
     */
    Listener listen(SocketAddress local, ListenOptions options, ConnectionHandlerFactory handlers) throws IOException;

    /**
     * Connects to {@code remote}. The future completes, on no particular thread, once the connection is
     * established and {@link ConnectionHandler#onOpen(Connection)} has run on its worker; it fails with
     * {@link java.net.ConnectException} (refused, or {@link ConnectOptions#timeout() timed out}).
     * Cancelling the future aborts the attempt and releases its socket.
     *
     * @throws IllegalArgumentException (at once, not through the future) if {@code remote} is null,
     *                                  unresolved, or its port is out of range
     */
    CompletableFuture<Connection> connect(SocketAddress remote, ConnectOptions options, ConnectionHandler handler);

    /**
     * Opens a UDP channel bound to {@code local} (port 0 for an ephemeral port); datagrams are handed
     * to {@code handler} on the channel's worker.
     */
    UdpChannel openUdp(SocketAddress local, UdpOptions options, DatagramHandler handler) throws IOException;

    /**
     * Closes the stack: stops accepting, lets writes already accepted drain until {@code drainDeadline}
     * passes, then closes every connection (those whose writes could not drain are reported to their
     * handler's {@link ConnectionHandler#onClose onClose} with a {@link WritesDiscardedException}),
     * stops the workers and releases every fd and native buffer. Idempotent; blocks until done, unless
     * the calling thread is interrupted: then it stops waiting (the workers finish on their own) and
     * returns with the interrupt status set, and calling it again waits for the rest. Must not be called
     * from a worker thread of this stack.
     */
    void close(Duration drainDeadline);

    /** {@link #close(Duration)} with {@link StackOptions#closeDrainTimeout()}. */
    @Override
    void close();

    /** Whether {@link #close} has started. */
    boolean isClosed();
}
