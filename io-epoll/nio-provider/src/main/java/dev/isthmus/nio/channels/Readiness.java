package dev.isthmus.nio.channels;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A channel's readiness as the selector learnt it from edge-triggered epoll, kept in user space so that
 * changing a key's interest set costs no epoll_ctl: READABLE and WRITABLE are set when epoll reports the
 * edge and cleared only when a call meets EAGAIN (epoll(7), "edge-triggered": wait for an event only after
 * EAGAIN).
 *
 * <p>The race to avoid: a read meets EAGAIN, data arrives and the selector sets READABLE, and only then the
 * reader clears it: the edge would be lost for good. So the state carries a count of edges the selectors
 * recorded; a caller takes a {@link #snapshot()} before its system call and {@link #clear} succeeds only if
 * no edge came in between. If one did, the bit stays set and the worst case is one spurious selection.
 */
final class Readiness {
    static final int READABLE = 1;
    static final int WRITABLE = 2;
    private static final long BITS = READABLE | WRITABLE;
    private static final long EDGE = 1L << 8;

    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(Readiness.class, "state", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Low bits READABLE|WRITABLE, above them the number of edges recorded (wraps harmlessly). */
    private volatile long state;

    /** The state to pass to {@link #clear} after the system call that may meet EAGAIN. */
    long snapshot() {
        return state;
    }

    /** READABLE|WRITABLE as they are now. */
    int bits() {
        return (int) (state & BITS);
    }

    /** Records an edge (selector thread): sets {@code bits} and counts the edge. */
    void set(int bits) {
        long s;
        do {
            s = state;
        } while (!STATE.compareAndSet(this, s, (s + EDGE) | bits));
    }

    /** Clears {@code bits} unless an edge was recorded since {@code snapshot} was taken. */
    void clear(long snapshot, int bits) {
        long s = snapshot;
        while (true) {
            if ((s & BITS & bits) == 0) {
                return;
            }
            if (STATE.compareAndSet(this, s, s & ~bits)) {
                return;
            }
            long now = state;
            if ((now & ~BITS) != (s & ~BITS)) {
                return; // a new edge: keep the bit, it may be newer than our EAGAIN
            }
            s = now; // another caller cleared the other bit meanwhile
        }
    }

    /** Forgets everything (no selector holds the channel any more; the next registration reports afresh). */
    void reset() {
        long s;
        do {
            s = state;
        } while (!STATE.compareAndSet(this, s, (s + EDGE) & ~BITS));
    }
}
