package dev.isthmus.uring;

/**
 * The one place that packs and unpacks {@code sqe->user_data}, so a completion is dispatched with
 * primitives and no object per CQE (Netty's UserData, liburing's echo-server "user_data bit layout").
 *
 * <pre>
 *  63            40 39                              8 7        0
 * +----------------+---------------------------------+----------+
 * |  generation    |  slot (index into the worker's  |   op     |
 * |  (24 bits)     |  channel table, 32 bits)        | (8 bits) |
 * +----------------+---------------------------------+----------+
 * </pre>
 * The generation changes each time a slot is reused, so a late CQE for a closed connection (a cancelled
 * recv, a zero-copy notification) is recognised as stale instead of reaching the slot's next owner.
 * Slot {@link #NO_SLOT} marks worker-level operations (wakeups, timers, MSG_RING hand-offs).
 */
final class UserData {
    private UserData() {
    }

    /** Slot value for completions that belong to the worker itself, not to a channel. */
    static final int NO_SLOT = -1;

    static final int GENERATION_MASK = (1 << 24) - 1;

    // ---- ops (one per kind of request we submit)
    static final int OP_ACCEPT = 1;
    static final int OP_RECV = 2;
    static final int OP_SEND = 3;
    static final int OP_SEND_ZC = 4;
    static final int OP_CONNECT = 5;
    static final int OP_LINK_TIMEOUT = 6;
    static final int OP_CANCEL = 7;
    static final int OP_CLOSE = 8;
    static final int OP_SHUTDOWN = 9;
    static final int OP_RECVMSG = 10;
    static final int OP_SENDMSG = 11;
    /** The worker's eventfd read (wakeup from a thread that has no ring). */
    static final int OP_EVENTFD = 12;
    /** A CQE posted by another worker's IORING_OP_MSG_RING: res carries the message. */
    static final int OP_MSG_WAKE = 13;
    /** A CQE posted by MSG_RING carrying an accepted fd in res; slot = listener slot on the target. */
    static final int OP_MSG_FD = 14;
    /** Completion of our own MSG_RING SQE (on the sending ring). */
    static final int OP_MSG_SENT = 15;
    /** The accept back-off timer after EMFILE/ENFILE. */
    static final int OP_ACCEPT_RETRY = 16;
    static final int OP_NOP = 17;

    static long pack(int op, int slot, int generation) {
        return ((long) (generation & GENERATION_MASK) << 40) | ((slot & 0xFFFF_FFFFL) << 8) | (op & 0xFF);
    }

    static int op(long userData) {
        return (int) (userData & 0xFF);
    }

    static int slot(long userData) {
        return (int) (userData >>> 8);
    }

    static int generation(long userData) {
        return (int) (userData >>> 40) & GENERATION_MASK;
    }
}
