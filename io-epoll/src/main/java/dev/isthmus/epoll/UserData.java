package dev.isthmus.epoll;

/**
 * Packs what the stack stores in {@code epoll_event.data.u64}, so a readiness event is dispatched with an
 * array index and no map lookup:
 * <pre>
 *  63      56 55               32 31                 0
 * +----------+-------------------+-------------------+
 * |   kind   |    generation     |        fd         |
 * +----------+-------------------+-------------------+
 * </pre>
 * The generation tells a stale event (for an fd that was closed and reused by a new socket while the
 * event sat in the epoll_wait result array) from a live one.
 */
final class UserData {
    private UserData() {
    }

    /** A connection: {@code connections[fd]}. */
    static final int CONNECTION = 0;
    /** The worker's wake-up eventfd. */
    static final int WAKEUP = 1;
    /** A listener, a pending connect or a UDP socket: {@code sources[fd]}. */
    static final int SOURCE = 2;

    static final int GENERATION_MASK = 0xFF_FFFF;

    static long pack(int kind, int generation, int fd) {
        return ((long) kind << 56) | ((long) (generation & GENERATION_MASK) << 32) | (fd & 0xFFFF_FFFFL);
    }

    static int kind(long data) {
        return (int) (data >>> 56);
    }

    static int generation(long data) {
        return (int) (data >>> 32) & GENERATION_MASK;
    }

    static int fd(long data) {
        return (int) data;
    }
}
