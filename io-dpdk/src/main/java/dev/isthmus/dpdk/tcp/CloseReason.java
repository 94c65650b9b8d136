package dev.isthmus.dpdk.tcp;

/** Why a {@link Tcb} reached CLOSED, for the connection to turn into the matching error. */
public enum CloseReason {
    /** Both FINs exchanged and acknowledged (after TIME_WAIT, or LAST_ACK acknowledged). */
    NORMAL,
    /** The peer answered our SYN with RST: nobody listens there ({@code ECONNREFUSED}). */
    REFUSED,
    /** The peer reset a synchronized connection ({@code ECONNRESET}). */
    RESET,
    /** Retransmissions (or keepalive probes) went unanswered ({@code ETIMEDOUT}). */
    TIMED_OUT,
    /** We aborted it (RST sent), or the stack closed. */
    ABORTED,
    /** An ICMP destination unreachable for the connection while it was opening ({@code EHOSTUNREACH}). */
    UNREACHABLE
}
