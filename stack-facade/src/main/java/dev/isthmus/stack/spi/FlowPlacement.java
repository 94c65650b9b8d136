package dev.isthmus.stack.spi;

import java.net.InetSocketAddress;

/**
 * Which worker owns a flow, decided by the stack (Seastar's {@code hash2cpu}). A connection lives on one
 * worker for life; the placement says which, for the two ways a flow starts:
 * <ul>
 *   <li>inbound: the worker that owns a flow from {@code remote} to {@code local}. A userspace stack
 *       answers with the software hash of the 4-tuple that an RSS NIC uses to pick the receive queue
 *       ({@link RssPlacement}), so the worker that sees the SYN is the one that owns the flow. The kernel
 *       stacks answer {@link #BY_ACCEPT_STRATEGY}: the kernel (SO_REUSEPORT) or the listener's
 *       {@link dev.isthmus.stack.AcceptStrategy} decides, as before;</li>
 *   <li>connect: local ports whose flow comes back to the calling worker, for
 *       {@link dev.isthmus.stack.ConnectOptions#portPerWorker()} (kernel stacks: {@link PortPerWorker},
 *       {@code port % workers == worker}) or always (a userspace stack, whose replies arrive on the queue
 *       the NIC hashes them to).</li>
 * </ul>
 * Chosen by the backend ({@link AbstractNetworkStack#newFlowPlacement(int)}); thread-safe.
 */
public interface FlowPlacement {
    /** {@link #inboundWorker}'s answer when the stack's accept strategy decides. */
    int BY_ACCEPT_STRATEGY = -1;

    /** The worker (0 .. workers-1) that owns the flow from {@code remote} to {@code local}, or {@link #BY_ACCEPT_STRATEGY}. */
    int inboundWorker(InetSocketAddress remote, InetSocketAddress local);

    /**
     * Up to {@code max} distinct local ports, from the ephemeral range, for a connection from
     * {@code worker} to {@code remote} whose inbound packets land on {@code worker}; the caller binds them in
     * turn and skips those in use. {@code local} holds the local address (a wildcard for the kernel
     * stacks, which ignore it).
     */
    int[] connectPorts(int worker, InetSocketAddress local, InetSocketAddress remote, int max);
}
