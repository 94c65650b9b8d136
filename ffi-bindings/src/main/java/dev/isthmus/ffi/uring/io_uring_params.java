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
 * Passed to io_uring_setup(2) (flags, cq_entries with IORING_SETUP_CQSIZE, ...) and filled in by
 * it (entries, features, ring offsets).
 *
 * <pre>{@code
 * struct io_uring_params {
 *     __u32 sq_entries, cq_entries, flags, sq_thread_cpu, sq_thread_idle, features, wq_fd;
 *     __u32 resv[3];
 *     struct io_sqring_offsets sq_off;
 *     struct io_cqring_offsets cq_off;
 * };
 * }</pre>
 */
@CStruct(value = "struct io_uring_params", includes = {"linux/io_uring.h"})
public final class io_uring_params {
    private io_uring_params() {
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
            ValueLayout.JAVA_INT.withName("sq_entries"),
            ValueLayout.JAVA_INT.withName("cq_entries"),
            ValueLayout.JAVA_INT.withName("flags"),
            ValueLayout.JAVA_INT.withName("sq_thread_cpu"),
            ValueLayout.JAVA_INT.withName("sq_thread_idle"),
            ValueLayout.JAVA_INT.withName("features"),
            ValueLayout.JAVA_INT.withName("wq_fd"),
            MemoryLayout.sequenceLayout(3, ValueLayout.JAVA_INT).withName("resv"),
            io_sqring_offsets.layout().withName("sq_off"),
            io_cqring_offsets.layout().withName("cq_off")
    ).withName("io_uring_params");

    /** The layout of {@code struct io_uring_params}. */
    public static GroupLayout layout() {
        return $LAYOUT;
    }

    /** {@code sizeof(struct io_uring_params)}. */
    public static long sizeof() {
        return $LAYOUT.byteSize();
    }

    /** Allocates one zeroed {@code struct io_uring_params}. */
    public static MemorySegment allocate(SegmentAllocator allocator) {
        return allocator.allocate($LAYOUT);
    }

    private static final ValueLayout.OfInt sq_entries$LAYOUT = (ValueLayout.OfInt) $LAYOUT.select(groupElement("sq_entries"));
    private static final long sq_entries$OFFSET = $LAYOUT.byteOffset(groupElement("sq_entries"));

    /** Layout of {@code sq_entries}. */
    public static ValueLayout.OfInt sq_entries$layout() {
        return sq_entries$LAYOUT;
    }

    /** Offset of {@code sq_entries}. */
    public static long sq_entries$offset() {
        return sq_entries$OFFSET;
    }

    /** Reads {@code sq_entries}. */
    public static int sq_entries(MemorySegment struct) {
        return struct.get(sq_entries$LAYOUT, sq_entries$OFFSET);
    }

    /** Writes {@code sq_entries}. */
    public static void sq_entries(MemorySegment struct, int fieldValue) {
        struct.set(sq_entries$LAYOUT, sq_entries$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfInt cq_entries$LAYOUT = (ValueLayout.OfInt) $LAYOUT.select(groupElement("cq_entries"));
    private static final long cq_entries$OFFSET = $LAYOUT.byteOffset(groupElement("cq_entries"));

    /** Layout of {@code cq_entries}. */
    public static ValueLayout.OfInt cq_entries$layout() {
        return cq_entries$LAYOUT;
    }

    /** Offset of {@code cq_entries}. */
    public static long cq_entries$offset() {
        return cq_entries$OFFSET;
    }

    /** Reads {@code cq_entries}. */
    public static int cq_entries(MemorySegment struct) {
        return struct.get(cq_entries$LAYOUT, cq_entries$OFFSET);
    }

    /** Writes {@code cq_entries}. */
    public static void cq_entries(MemorySegment struct, int fieldValue) {
        struct.set(cq_entries$LAYOUT, cq_entries$OFFSET, fieldValue);
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

    private static final ValueLayout.OfInt sq_thread_cpu$LAYOUT = (ValueLayout.OfInt) $LAYOUT.select(groupElement("sq_thread_cpu"));
    private static final long sq_thread_cpu$OFFSET = $LAYOUT.byteOffset(groupElement("sq_thread_cpu"));

    /** Layout of {@code sq_thread_cpu}. */
    public static ValueLayout.OfInt sq_thread_cpu$layout() {
        return sq_thread_cpu$LAYOUT;
    }

    /** Offset of {@code sq_thread_cpu}. */
    public static long sq_thread_cpu$offset() {
        return sq_thread_cpu$OFFSET;
    }

    /** Reads {@code sq_thread_cpu}. */
    public static int sq_thread_cpu(MemorySegment struct) {
        return struct.get(sq_thread_cpu$LAYOUT, sq_thread_cpu$OFFSET);
    }

    /** Writes {@code sq_thread_cpu}. */
    public static void sq_thread_cpu(MemorySegment struct, int fieldValue) {
        struct.set(sq_thread_cpu$LAYOUT, sq_thread_cpu$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfInt sq_thread_idle$LAYOUT = (ValueLayout.OfInt) $LAYOUT.select(groupElement("sq_thread_idle"));
    private static final long sq_thread_idle$OFFSET = $LAYOUT.byteOffset(groupElement("sq_thread_idle"));

    /** Layout of {@code sq_thread_idle}. */
    public static ValueLayout.OfInt sq_thread_idle$layout() {
        return sq_thread_idle$LAYOUT;
    }

    /** Offset of {@code sq_thread_idle}. */
    public static long sq_thread_idle$offset() {
        return sq_thread_idle$OFFSET;
    }

    /** Reads {@code sq_thread_idle}. */
    public static int sq_thread_idle(MemorySegment struct) {
        return struct.get(sq_thread_idle$LAYOUT, sq_thread_idle$OFFSET);
    }

    /** Writes {@code sq_thread_idle}. */
    public static void sq_thread_idle(MemorySegment struct, int fieldValue) {
        struct.set(sq_thread_idle$LAYOUT, sq_thread_idle$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfInt features$LAYOUT = (ValueLayout.OfInt) $LAYOUT.select(groupElement("features"));
    private static final long features$OFFSET = $LAYOUT.byteOffset(groupElement("features"));

    /** Layout of {@code features}. */
    public static ValueLayout.OfInt features$layout() {
        return features$LAYOUT;
    }

    /** Offset of {@code features}. */
    public static long features$offset() {
        return features$OFFSET;
    }

    /** Reads {@code features}. */
    public static int features(MemorySegment struct) {
        return struct.get(features$LAYOUT, features$OFFSET);
    }

    /** Writes {@code features}. */
    public static void features(MemorySegment struct, int fieldValue) {
        struct.set(features$LAYOUT, features$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfInt wq_fd$LAYOUT = (ValueLayout.OfInt) $LAYOUT.select(groupElement("wq_fd"));
    private static final long wq_fd$OFFSET = $LAYOUT.byteOffset(groupElement("wq_fd"));

    /** Layout of {@code wq_fd}. */
    public static ValueLayout.OfInt wq_fd$layout() {
        return wq_fd$LAYOUT;
    }

    /** Offset of {@code wq_fd}. */
    public static long wq_fd$offset() {
        return wq_fd$OFFSET;
    }

    /** Reads {@code wq_fd}. */
    public static int wq_fd(MemorySegment struct) {
        return struct.get(wq_fd$LAYOUT, wq_fd$OFFSET);
    }

    /** Writes {@code wq_fd}. */
    public static void wq_fd(MemorySegment struct, int fieldValue) {
        struct.set(wq_fd$LAYOUT, wq_fd$OFFSET, fieldValue);
    }

    private static final long resv$OFFSET = $LAYOUT.byteOffset(groupElement("resv"));

    /** Offset of {@code resv}. */
    public static long resv$offset() {
        return resv$OFFSET;
    }

    /** The array {@code resv} as a slice of {@code struct}. */
    public static MemorySegment resv(MemorySegment struct) {
        return struct.asSlice(resv$OFFSET, 3L * ValueLayout.JAVA_INT.byteSize());
    }

    /** Reads {@code resv[index]}. */
    public static int resv(MemorySegment struct, long index) {
        return struct.get(ValueLayout.JAVA_INT, resv$OFFSET + java.util.Objects.checkIndex(index, 3L) * ValueLayout.JAVA_INT.byteSize());
    }

    /** Writes {@code resv[index]}. */
    public static void resv(MemorySegment struct, long index, int fieldValue) {
        struct.set(ValueLayout.JAVA_INT, resv$OFFSET + java.util.Objects.checkIndex(index, 3L) * ValueLayout.JAVA_INT.byteSize(), fieldValue);
    }

    private static final long sq_off$OFFSET = $LAYOUT.byteOffset(groupElement("sq_off"));

    /** Offset of {@code sq_off}. */
    public static long sq_off$offset() {
        return sq_off$OFFSET;
    }

    /** {@code sq_off} as a slice of {@code struct} (a {@link io_sqring_offsets}). */
    public static MemorySegment sq_off(MemorySegment struct) {
        return struct.asSlice(sq_off$OFFSET, io_sqring_offsets.layout().byteSize());
    }

    private static final long cq_off$OFFSET = $LAYOUT.byteOffset(groupElement("cq_off"));

    /** Offset of {@code cq_off}. */
    public static long cq_off$offset() {
        return cq_off$OFFSET;
    }

    /** {@code cq_off} as a slice of {@code struct} (a {@link io_cqring_offsets}). */
    public static MemorySegment cq_off(MemorySegment struct) {
        return struct.asSlice(cq_off$OFFSET, io_cqring_offsets.layout().byteSize());
    }

}
