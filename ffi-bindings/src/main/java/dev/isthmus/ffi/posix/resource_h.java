package dev.isthmus.ffi.posix;

import dev.isthmus.ffi.CHeader;
import dev.isthmus.ffi.Native;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import static dev.isthmus.ffi.posix.CTypes.C_INT;
import static dev.isthmus.ffi.posix.CTypes.C_POINTER;

/**
 * {@code <sys/resource.h>}: resource limits; a server raises RLIMIT_NOFILE's soft limit to its hard
 * limit at start. See getrlimit(2). Limits are {@link rlimit}.
 */
@CHeader({"sys/resource.h"})
public final class resource_h {
    private resource_h() {
    }

    public static final int RLIMIT_CPU = 0;
    public static final int RLIMIT_FSIZE = 1;
    public static final int RLIMIT_DATA = 2;
    public static final int RLIMIT_STACK = 3;
    public static final int RLIMIT_CORE = 4;
    public static final int RLIMIT_RSS = 5;
    public static final int RLIMIT_NPROC = 6;
    /** One more than the largest fd number this process may open. */
    public static final int RLIMIT_NOFILE = 7;
    public static final int RLIMIT_MEMLOCK = 8;
    public static final int RLIMIT_AS = 9;
    /** No limit: {@code (rlim_t) -1}, all bits set, which is -1 as a Java long. */
    public static final long RLIM_INFINITY = -1L;

    private static final class getrlimit$h {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_INT, C_POINTER);
        static final MethodHandle HANDLE = Native.errnoCall("getrlimit", DESC, false);
    }

    /**
     * {@code int getrlimit(int resource, struct rlimit *rlim)}
     *
     * <p>Reads a resource limit into a {@link rlimit}. See getrlimit(2).
     * Returns -1 and sets errno in {@code callState} on failure.
     */
    public static int getrlimit(MemorySegment callState, int resource, MemorySegment rlim) {
        try {
            return (int) getrlimit$h.HANDLE.invokeExact(callState, resource, rlim);
        } catch (Throwable t) {
            throw Native.rethrow("getrlimit", t);
        }
    }

    private static final class setrlimit$h {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_INT, C_POINTER);
        static final MethodHandle HANDLE = Native.errnoCall("setrlimit", DESC, false);
    }

    /**
     * {@code int setrlimit(int resource, const struct rlimit *rlim)}
     *
     * <p>Sets a resource limit; raising the hard limit needs CAP_SYS_RESOURCE. See setrlimit(2).
     * Returns -1 and sets errno in {@code callState} on failure.
     */
    public static int setrlimit(MemorySegment callState, int resource, MemorySegment rlim) {
        try {
            return (int) setrlimit$h.HANDLE.invokeExact(callState, resource, rlim);
        } catch (Throwable t) {
            throw Native.rethrow("setrlimit", t);
        }
    }
}
