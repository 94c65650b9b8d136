package dev.isthmus.ffi.posix;

import dev.isthmus.ffi.CStruct;

import java.lang.foreign.AddressLayout;
import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * {@snippet lang=c :
 * typedef union epoll_data {
 *     void *ptr;
 *     int fd;
 *     uint32_t u32;
 *     uint64_t u64;
 * } epoll_data_t;
 * }
 *
 * <p>The user data of an {@link epoll_event}, handed back unchanged by epoll_wait. A Java stack packs
 * its own token into {@code u64} (a pointer means nothing to the GC'd side). The members are unaligned
 * layouts because on x86_64 the union sits at offset 4 of the packed {@code struct epoll_event}; the
 * union's C alignment (8) is restored on the layout itself where the ABI keeps it.
 */
@CStruct(value = "union epoll_data", includes = {"sys/epoll.h"})
public final class epoll_data {
    private epoll_data() {
    }

    /** Whether this ABI packs {@code struct epoll_event}: x86_64 (and i386) do, see glibc's {@code __EPOLL_PACKED}. */
    static final boolean PACKED = isX86(System.getProperty("os.arch"));

    private static boolean isX86(String arch) {
        return arch.equals("amd64") || arch.equals("x86_64") || arch.equals("x86") || arch.equals("i386");
    }

    private static final AddressLayout ptr$LAYOUT = ValueLayout.ADDRESS_UNALIGNED.withName("ptr");
    private static final ValueLayout.OfInt fd$LAYOUT = ValueLayout.JAVA_INT_UNALIGNED.withName("fd");
    private static final ValueLayout.OfInt u32$LAYOUT = ValueLayout.JAVA_INT_UNALIGNED.withName("u32");
    private static final ValueLayout.OfLong u64$LAYOUT = ValueLayout.JAVA_LONG_UNALIGNED.withName("u64");

    private static final GroupLayout $LAYOUT = MemoryLayout.unionLayout(ptr$LAYOUT, fd$LAYOUT, u32$LAYOUT, u64$LAYOUT)
            .withByteAlignment(PACKED ? 1 : 8)
            .withName("epoll_data");

    /** The layout: alignment 1 where {@code struct epoll_event} is packed (x86_64), 8 elsewhere. */
    public static GroupLayout layout() {
        return $LAYOUT;
    }

    /** {@code sizeof(epoll_data_t)}: 8. */
    public static long sizeof() {
        return $LAYOUT.byteSize();
    }

    /** Reads {@code ptr}. */
    public static MemorySegment ptr(MemorySegment union) {
        return union.get(ptr$LAYOUT, 0L);
    }

    /** Writes {@code ptr}. */
    public static void ptr(MemorySegment union, MemorySegment fieldValue) {
        union.set(ptr$LAYOUT, 0L, fieldValue);
    }

    /** Reads {@code fd}. */
    public static int fd(MemorySegment union) {
        return union.get(fd$LAYOUT, 0L);
    }

    /** Writes {@code fd} (the upper 4 bytes are left as they were). */
    public static void fd(MemorySegment union, int fieldValue) {
        union.set(fd$LAYOUT, 0L, fieldValue);
    }

    /** Reads {@code u32}. */
    public static int u32(MemorySegment union) {
        return union.get(u32$LAYOUT, 0L);
    }

    /** Writes {@code u32} (the upper 4 bytes are left as they were). */
    public static void u32(MemorySegment union, int fieldValue) {
        union.set(u32$LAYOUT, 0L, fieldValue);
    }

    /** Reads {@code u64}. */
    public static long u64(MemorySegment union) {
        return union.get(u64$LAYOUT, 0L);
    }

    /** Writes {@code u64}. */
    public static void u64(MemorySegment union, long fieldValue) {
        union.set(u64$LAYOUT, 0L, fieldValue);
    }
}
