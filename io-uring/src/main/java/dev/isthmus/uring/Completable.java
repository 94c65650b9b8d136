package dev.isthmus.uring;

/**
 * Something in a worker's slot table that receives completions: a connection, an accept, a pending
 * connect, a UDP channel. The worker decodes {@link UserData} and calls {@link #complete} with
 * primitives only.
 */
interface Completable {
    /** One CQE for this slot's owner: {@code op} is a {@link UserData} OP_* constant. */
    void complete(int op, int res, int flags);
}
