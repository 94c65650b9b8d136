package dev.isthmus.ffi;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * The errno capture segment that every errno-reporting downcall takes as its first argument.
 *
 * <p>One per thread that makes calls (a worker allocates one from its arena at start), so that reading
 * errno after a failed call allocates nothing:
 * <pre>{@code
 * long n = unistd_h.read(state.segment(), fd, buf, len);
 * if (n < 0 && state.errno() != errno_h.EAGAIN) throw Errno.exception("read", state.errno());
 * }</pre>
 */
public final class CallState {
    private final MemorySegment segment;

    private CallState(MemorySegment segment) {
        this.segment = segment;
    }

    /** Allocates a call state in {@code arena}; it lives as long as the arena. */
    public static CallState allocate(Arena arena) {
        return new CallState(arena.allocate(Native.CAPTURE_LAYOUT));
    }

    /** The segment to pass to downcalls. */
    public MemorySegment segment() {
        return segment;
    }

    /** errno as captured by the last call made with this state. */
    public int errno() {
        return (int) Native.ERRNO.get(segment, 0L);
    }

    /** Reads errno from a raw capture segment. */
    public static int errno(MemorySegment segment) {
        return (int) Native.ERRNO.get(segment, 0L);
    }
}
