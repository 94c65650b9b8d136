package dev.isthmus.uring;

/**
 * Something in a worker's slot table that receives completions: a connection, an accept, a pending
 * connect, a UDP channel. The worker decodes {@link UserData} and calls {@link #complete} with
 * primitives only.
 */
interface Completable {
    /** One CQE for this slot's owner: {@code op} is a {@link UserData} OP_* constant. */
    void complete(int op, int res, int flags);

    /**
     * The worker stopped with requests of this owner still in flight (their completions did not come
     * within its bound, e.g. a zero-copy send's notification while the peer reads nothing) and has closed
     * the ring: no completion will come now, so the owner releases what it kept for them.
     */
    default void ringClosed() {
    }
}
