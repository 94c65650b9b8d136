package dev.isthmus.dpdk.tcp;

/** The connection states of RFC 9293 section 3.3.2 (LISTEN is a listener's, not a {@link Tcb}'s). */
public enum TcpState {
    CLOSED, SYN_SENT, SYN_RECEIVED, ESTABLISHED, FIN_WAIT_1, FIN_WAIT_2, CLOSE_WAIT, CLOSING, LAST_ACK, TIME_WAIT;

    /** Whether both SYNs were exchanged (RFC 9293's "synchronized states"). */
    public boolean synchronizedState() {
        return this != CLOSED && this != SYN_SENT && this != SYN_RECEIVED;
    }

    /** Whether the peer's data is still accepted (it has not sent FIN). */
    boolean receivesData() {
        return this == ESTABLISHED || this == FIN_WAIT_1 || this == FIN_WAIT_2;
    }

    /** Whether our data and FIN may go out. */
    boolean sendsData() {
        return this == ESTABLISHED || this == CLOSE_WAIT || this == FIN_WAIT_1 || this == CLOSING || this == LAST_ACK;
    }
}
