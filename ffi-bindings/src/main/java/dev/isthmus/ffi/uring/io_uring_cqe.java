package dev.isthmus.ffi.uring;

import dev.isthmus.ffi.CStruct;

import java.lang.foreign.AddressLayout;
import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.ValueLayout;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

/**
 * A completion queue entry (16 bytes; 32 under IORING_SETUP_CQE32). {@code res} is the result or a
 * negated errno; {@code flags} carries IORING_CQE_F_* and the buffer id in its upper 16 bits.
 *
 * <pre>{@code
 * struct io_uring_cqe {
 *     __u64 user_data;
 *     __s32 res;
 *     __u32 flags;
 *     __u64 big_cqe[];   // 16 more bytes under IORING_SETUP_CQE32
 * };
 * }</pre>
 */
@CStruct(value = "struct io_uring_cqe", includes = {"linux/io_uring.h"})
public final class io_uring_cqe {
    private io_uring_cqe() {
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
            ValueLayout.JAVA_LONG.withName("user_data"),
            ValueLayout.JAVA_INT.withName("res"),
            ValueLayout.JAVA_INT.withName("flags")
    ).withName("io_uring_cqe");

    /** The layout of {@code struct io_uring_cqe}. */
    public static GroupLayout layout() {
        return $LAYOUT;
    }

    /** {@code sizeof(struct io_uring_cqe)}. */
    public static long sizeof() {
        return $LAYOUT.byteSize();
    }

    /** Allocates one zeroed {@code struct io_uring_cqe}. */
    public static MemorySegment allocate(SegmentAllocator allocator) {
        return allocator.allocate($LAYOUT);
    }

    private static final ValueLayout.OfLong user_data$LAYOUT = (ValueLayout.OfLong) $LAYOUT.select(groupElement("user_data"));
    private static final long user_data$OFFSET = $LAYOUT.byteOffset(groupElement("user_data"));

    /** Layout of {@code user_data}. */
    public static ValueLayout.OfLong user_data$layout() {
        return user_data$LAYOUT;
    }

    /** Offset of {@code user_data}. */
    public static long user_data$offset() {
        return user_data$OFFSET;
    }

    /** Reads {@code user_data}. */
    public static long user_data(MemorySegment struct) {
        return struct.get(user_data$LAYOUT, user_data$OFFSET);
    }

    /** Writes {@code user_data}. */
    public static void user_data(MemorySegment struct, long fieldValue) {
        struct.set(user_data$LAYOUT, user_data$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfInt res$LAYOUT = (ValueLayout.OfInt) $LAYOUT.select(groupElement("res"));
    private static final long res$OFFSET = $LAYOUT.byteOffset(groupElement("res"));

    /** Layout of {@code res}. */
    public static ValueLayout.OfInt res$layout() {
        return res$LAYOUT;
    }

    /** Offset of {@code res}. */
    public static long res$offset() {
        return res$OFFSET;
    }

    /** Reads {@code res}. */
    public static int res(MemorySegment struct) {
        return struct.get(res$LAYOUT, res$OFFSET);
    }

    /** Writes {@code res}. */
    public static void res(MemorySegment struct, int fieldValue) {
        struct.set(res$LAYOUT, res$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfInt flags$LAYOUT = (ValueLayout.OfInt) $LAYOUT.select(groupElement("flags"));
    private static final long flags$OFFSET = $LAYOUT.byteOffset(groupElement("flags"));

    /** Layout of {@code flags}. */
    public static ValueLayout.OfInt flags$layout() {
        return flags$LAYOUT;
    }

    /** Offset of {@code flags}. */
    public static long flags$offset() {
        return flags$OFFSET;
    }

    /** Reads {@code flags}. */
    public static int flags(MemorySegment struct) {
        return struct.get(flags$LAYOUT, flags$OFFSET);
    }

    /** Writes {@code flags}. */
    public static void flags(MemorySegment struct, int fieldValue) {
        struct.set(flags$LAYOUT, flags$OFFSET, fieldValue);
    }

}
