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
 * The {@code arg} of io_uring_enter(2) under IORING_ENTER_EXT_ARG: {@code ts} points to a
 * {@link __kernel_timespec} timeout (or is 0), {@code argsz} is {@code sizeof()}. {@code pad} is
 * {@code min_wait_usec} on 6.12+ kernels (IORING_FEAT_MIN_TIMEOUT).
 *
 * <pre>{@code
 * struct io_uring_getevents_arg { __u64 sigmask; __u32 sigmask_sz; __u32 pad; __u64 ts; };
 * }</pre>
 */
@CStruct(value = "struct io_uring_getevents_arg", includes = {"linux/io_uring.h"})
public final class io_uring_getevents_arg {
    private io_uring_getevents_arg() {
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
            ValueLayout.JAVA_LONG.withName("sigmask"),
            ValueLayout.JAVA_INT.withName("sigmask_sz"),
            ValueLayout.JAVA_INT.withName("pad"),
            ValueLayout.JAVA_LONG.withName("ts")
    ).withName("io_uring_getevents_arg");

    /** The layout of {@code struct io_uring_getevents_arg}. */
    public static GroupLayout layout() {
        return $LAYOUT;
    }

    /** {@code sizeof(struct io_uring_getevents_arg)}. */
    public static long sizeof() {
        return $LAYOUT.byteSize();
    }

    /** Allocates one zeroed {@code struct io_uring_getevents_arg}. */
    public static MemorySegment allocate(SegmentAllocator allocator) {
        return allocator.allocate($LAYOUT);
    }

    private static final ValueLayout.OfLong sigmask$LAYOUT = (ValueLayout.OfLong) $LAYOUT.select(groupElement("sigmask"));
    private static final long sigmask$OFFSET = $LAYOUT.byteOffset(groupElement("sigmask"));

    /** Layout of {@code sigmask}. */
    public static ValueLayout.OfLong sigmask$layout() {
        return sigmask$LAYOUT;
    }

    /** Offset of {@code sigmask}. */
    public static long sigmask$offset() {
        return sigmask$OFFSET;
    }

    /** Reads {@code sigmask}. */
    public static long sigmask(MemorySegment struct) {
        return struct.get(sigmask$LAYOUT, sigmask$OFFSET);
    }

    /** Writes {@code sigmask}. */
    public static void sigmask(MemorySegment struct, long fieldValue) {
        struct.set(sigmask$LAYOUT, sigmask$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfInt sigmask_sz$LAYOUT = (ValueLayout.OfInt) $LAYOUT.select(groupElement("sigmask_sz"));
    private static final long sigmask_sz$OFFSET = $LAYOUT.byteOffset(groupElement("sigmask_sz"));

    /** Layout of {@code sigmask_sz}. */
    public static ValueLayout.OfInt sigmask_sz$layout() {
        return sigmask_sz$LAYOUT;
    }

    /** Offset of {@code sigmask_sz}. */
    public static long sigmask_sz$offset() {
        return sigmask_sz$OFFSET;
    }

    /** Reads {@code sigmask_sz}. */
    public static int sigmask_sz(MemorySegment struct) {
        return struct.get(sigmask_sz$LAYOUT, sigmask_sz$OFFSET);
    }

    /** Writes {@code sigmask_sz}. */
    public static void sigmask_sz(MemorySegment struct, int fieldValue) {
        struct.set(sigmask_sz$LAYOUT, sigmask_sz$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfInt pad$LAYOUT = (ValueLayout.OfInt) $LAYOUT.select(groupElement("pad"));
    private static final long pad$OFFSET = $LAYOUT.byteOffset(groupElement("pad"));

    /** Layout of {@code pad}. */
    public static ValueLayout.OfInt pad$layout() {
        return pad$LAYOUT;
    }

    /** Offset of {@code pad}. */
    public static long pad$offset() {
        return pad$OFFSET;
    }

    /** Reads {@code pad}. */
    public static int pad(MemorySegment struct) {
        return struct.get(pad$LAYOUT, pad$OFFSET);
    }

    /** Writes {@code pad}. */
    public static void pad(MemorySegment struct, int fieldValue) {
        struct.set(pad$LAYOUT, pad$OFFSET, fieldValue);
    }

    /**
     * Writes {@code min_wait_usec}: Linux 6.12 (IORING_FEAT_MIN_TIMEOUT) gave {@code pad} this name and
     * meaning; the headers here are older and still call it {@code pad}, so the field's name in the
     * layout (and the layout check) stays {@code pad}.
     */
    public static void min_wait_usec(MemorySegment struct, int fieldValue) {
        struct.set(pad$LAYOUT, pad$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfLong ts$LAYOUT = (ValueLayout.OfLong) $LAYOUT.select(groupElement("ts"));
    private static final long ts$OFFSET = $LAYOUT.byteOffset(groupElement("ts"));

    /** Layout of {@code ts}. */
    public static ValueLayout.OfLong ts$layout() {
        return ts$LAYOUT;
    }

    /** Offset of {@code ts}. */
    public static long ts$offset() {
        return ts$OFFSET;
    }

    /** Reads {@code ts}. */
    public static long ts(MemorySegment struct) {
        return struct.get(ts$LAYOUT, ts$OFFSET);
    }

    /** Writes {@code ts}. */
    public static void ts(MemorySegment struct, long fieldValue) {
        struct.set(ts$LAYOUT, ts$OFFSET, fieldValue);
    }

}
