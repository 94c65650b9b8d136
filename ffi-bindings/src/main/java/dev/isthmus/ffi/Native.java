package dev.isthmus.ffi;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * The one place that links downcalls. Binding classes keep their handles in {@code static final}
 * holders (jextract's shape), so the JIT sees constants.
 *
 * <p>Every libc call that can fail is linked with {@link Linker.Option#captureCallState(String...)
 * captureCallState("errno")}: the caller passes a {@link CallState} segment as the first argument and
 * reads errno from it afterwards. That segment is allocated once per thread that makes calls (one per
 * worker), so reading errno allocates nothing.
 */
public final class Native {
    private Native() {
    }

    /** The platform linker. */
    public static final Linker LINKER = Linker.nativeLinker();

    /** libc and everything already loaded into the process. */
    public static final SymbolLookup LIBC = LINKER.defaultLookup();

    /** Layout of the call state that {@code captureCallState("errno")} fills. */
    public static final StructLayout CAPTURE_LAYOUT = Linker.Option.captureStateLayout();

    static final VarHandle ERRNO = CAPTURE_LAYOUT.varHandle(
            java.lang.foreign.MemoryLayout.PathElement.groupElement("errno"));

    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");

    /**
     * Links a libc function that sets errno: the handle takes a {@link CallState} segment first.
     * Never pass {@code critical} for a call that may block (epoll_wait, a waiting io_uring_enter).
     */
    public static MethodHandle errnoCall(String name, FunctionDescriptor desc, boolean critical) {
        return critical
                ? LINKER.downcallHandle(find(LIBC, name), desc, CAPTURE_ERRNO, Linker.Option.critical(false))
                : LINKER.downcallHandle(find(LIBC, name), desc, CAPTURE_ERRNO);
    }

    /** Links a libc function that does not report through errno (sched_getcpu-like helpers excluded). */
    public static MethodHandle plainCall(String name, FunctionDescriptor desc, boolean critical) {
        return critical
                ? LINKER.downcallHandle(find(LIBC, name), desc, Linker.Option.critical(false))
                : LINKER.downcallHandle(find(LIBC, name), desc);
    }

    /** Links a variadic libc function ({@code syscall}, {@code fcntl}) with {@code fixedArgs} fixed arguments. */
    public static MethodHandle variadicErrnoCall(String name, FunctionDescriptor desc, int fixedArgs, boolean critical) {
        Linker.Option variadic = Linker.Option.firstVariadicArg(fixedArgs);
        return critical
                ? LINKER.downcallHandle(find(LIBC, name), desc, CAPTURE_ERRNO, variadic, Linker.Option.critical(false))
                : LINKER.downcallHandle(find(LIBC, name), desc, CAPTURE_ERRNO, variadic);
    }

    /** Finds a symbol or fails with the symbol's name, not a bare NoSuchElementException. */
    public static MemorySegment find(SymbolLookup lookup, String name) {
        return lookup.find(name).orElseThrow(() -> new UnsatisfiedLinkError("symbol not found: " + name));
    }

    /**
     * What every binding method does with whatever a downcall's {@code invokeExact} threw: unchecked
     * exceptions and errors pass through unchanged (a closed arena's IllegalStateException or a
     * WrongThreadException is the caller's mistake and must keep its type); anything checked cannot come
     * from a downcall and is a linkage bug, thrown as {@link #unexpected}.
     */
    public static RuntimeException rethrow(String call, Throwable t) {
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        throw unexpected(call, t);
    }

    /**
     * Wraps what a downcall's {@code invokeExact} threw. Downcalls throw nothing checked; anything that
     * arrives here is a linkage bug, so it is rethrown unchecked with the call's name.
     */
    public static AssertionError unexpected(String call, Throwable t) {
        return new AssertionError("downcall " + call + " failed: " + t, t);
    }
}
