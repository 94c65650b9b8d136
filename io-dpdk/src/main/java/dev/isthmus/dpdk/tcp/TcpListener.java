package dev.isthmus.dpdk.tcp;

/** A listening port on one worker's {@link TcpLayer}: admits SYNs and makes the TCBs of new flows. */
public interface TcpListener {
    /**
     * Whether another half-open or not-yet-accepted connection fits in the backlog ({@code listen(2)}'s
     * argument). A SYN beyond it is dropped without an answer, as Linux does, so the client retries.
     */
    boolean admits();

    /**
     * Makes the TCB (and whatever connection object holds it) of a new flow from {@code remoteIp}:
     * {@code remotePort} to {@code localPort}, with {@code iss}; the layer then hands it the SYN.
     */
    Tcb newTcb(TcpLayer layer, int localPort, int remoteIp, int remotePort, int iss);
}
