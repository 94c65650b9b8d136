package dev.isthmus.ffi.posix;

import dev.isthmus.ffi.CHeader;
import dev.isthmus.ffi.JavaOnly;
import dev.isthmus.ffi.Native;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * {@code <sys/mman.h>}: mmap(2) and munmap(2), and the PROT_* / MAP_* / MADV_* constants that the
 * io_uring rings (MAP_SHARED | MAP_POPULATE on the ring fd, see io_uring_setup(2)) and the slab
 * allocator need. Values are the generic Linux ones, shared by x86_64 and aarch64.
 */
@CHeader({"sys/mman.h"})
public final class mman_h {
    private mman_h() {
    }

    public static final int PROT_NONE = 0x0;
    public static final int PROT_READ = 0x1;
    public static final int PROT_WRITE = 0x2;
    public static final int PROT_EXEC = 0x4;

    public static final int MAP_SHARED = 0x01;
    public static final int MAP_PRIVATE = 0x02;
    public static final int MAP_FIXED = 0x10;
    public static final int MAP_ANONYMOUS = 0x20;
    public static final int MAP_LOCKED = 0x02000;
    public static final int MAP_NORESERVE = 0x04000;
    /** Prefault the page tables: io_uring_setup(2) maps the rings with it so the first submit does not fault. */
    public static final int MAP_POPULATE = 0x08000;
    public static final int MAP_HUGETLB = 0x40000;

    public static final int MADV_NORMAL = 0;
    public static final int MADV_DONTNEED = 4;
    public static final int MADV_DONTFORK = 10;
    public static final int MADV_HUGEPAGE = 14;

    /** {@code MAP_FAILED}, i.e. {@code (void *) -1}, as a raw address. */
    @JavaOnly
    public static final long MAP_FAILED_ADDRESS = -1L;

    private static final class mmap$ {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(ValueLayout.ADDRESS,
                ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
                ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG);
        static final MethodHandle HANDLE = Native.errnoCall("mmap", DESC, false);
    }

    /**
     * {@code void *mmap(void *addr, size_t length, int prot, int flags, int fd, off_t offset)}.
     * Returns the mapping as a zero-length segment (reinterpret it to {@code length}); on failure the
     * address is {@link #MAP_FAILED_ADDRESS} and errno is in {@code callState}. See mmap(2).
     */
    public static MemorySegment mmap(MemorySegment callState, MemorySegment addr, long length, int prot,
                                     int flags, int fd, long offset) {
        try {
            return (MemorySegment) mmap$.HANDLE.invokeExact(callState, addr, length, prot, flags, fd, offset);
        } catch (Throwable t) {
            throw Native.rethrow("mmap", t);
        }
    }

    private static final class munmap$ {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(ValueLayout.JAVA_INT,
                ValueLayout.ADDRESS, ValueLayout.JAVA_LONG);
        static final MethodHandle HANDLE = Native.errnoCall("munmap", DESC, false);
    }

    /** {@code int munmap(void *addr, size_t length)}: 0, or -1 with errno in {@code callState}. See munmap(2). */
    public static int munmap(MemorySegment callState, MemorySegment addr, long length) {
        try {
            return (int) munmap$.HANDLE.invokeExact(callState, addr, length);
        } catch (Throwable t) {
            throw Native.rethrow("munmap", t);
        }
    }

    private static final class madvise$ {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(ValueLayout.JAVA_INT,
                ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT);
        static final MethodHandle HANDLE = Native.errnoCall("madvise", DESC, false);
    }

    /** {@code int madvise(void *addr, size_t length, int advice)}: 0, or -1 with errno. See madvise(2). */
    public static int madvise(MemorySegment callState, MemorySegment addr, long length, int advice) {
        try {
            return (int) madvise$.HANDLE.invokeExact(callState, addr, length, advice);
        } catch (Throwable t) {
            throw Native.rethrow("madvise", t);
        }
    }
}
