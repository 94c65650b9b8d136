package dev.isthmus.ffi.posix;

import dev.isthmus.ffi.Native;

/** What the binding methods do with whatever a downcall's {@code invokeExact} threw. */
final class Downcalls {
    private Downcalls() {
    }

    /**
     * Unchecked exceptions and errors pass through unchanged: a closed arena's IllegalStateException or a
     * WrongThreadException is the caller's mistake and must keep its type. Anything checked cannot come
     * from a downcall and is a linkage bug.
     */
    static RuntimeException rethrow(String call, Throwable t) {
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        throw Native.unexpected(call, t);
    }
}
