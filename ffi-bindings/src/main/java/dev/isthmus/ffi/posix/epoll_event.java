package dev.isthmus.ffi.posix;

import dev.isthmus.ffi.CStruct;
import dev.isthmus.ffi.JavaOnly;

import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.ValueLayout;

/**
 * {@snippet lang=c :
 * struct epoll_event {
 *     uint32_t events;    // EPOLLIN, EPOLLOUT, ...
 *     epoll_data_t data;  // user data, returned unchanged
 * } __EPOLL_PACKED;       // __attribute__((packed)) on x86_64 only
 * }
 *
 * <p>One interest or one ready event. glibc's {@code bits/epoll.h} packs it on x86_64 (12 bytes, data at
 * offset 4, so {@code data.u64} is not 8-aligned in an array); other 64-bit ABIs such as aarch64 keep
 * natural alignment (16 bytes, data at offset 8). Accessors use unaligned access so either works. See
 * epoll_ctl(2), epoll_wait(2).
 */
@CStruct(value = "struct epoll_event", includes = {"sys/epoll.h"})
public final class epoll_event {
    private epoll_event() {
    }

    private static final ValueLayout.OfInt events$LAYOUT = ValueLayout.JAVA_INT_UNALIGNED.withName("events");

    private static final GroupLayout $LAYOUT = epoll_data.PACKED
            ? MemoryLayout.structLayout(events$LAYOUT, epoll_data.layout().withName("data")).withName("epoll_event")
            : MemoryLayout.structLayout(events$LAYOUT.withByteAlignment(4), MemoryLayout.paddingLayout(4),
                    epoll_data.layout().withName("data")).withName("epoll_event");

    /** The layout for this ABI. */
    public static GroupLayout layout() {
        return $LAYOUT;
    }

    /** {@code sizeof(struct epoll_event)}: 12 on x86_64, 16 on aarch64. */
    public static long sizeof() {
        return $LAYOUT.byteSize();
    }

    /** Allocates one zeroed event. */
    public static MemorySegment allocate(SegmentAllocator allocator) {
        return allocator.allocate($LAYOUT);
    }

    /** Allocates a zeroed array of {@code count} events, as epoll_wait fills. */
    public static MemorySegment allocateArray(long count, SegmentAllocator allocator) {
        return allocator.allocate(MemoryLayout.sequenceLayout(count, $LAYOUT));
    }

    /** Event {@code index} of an array. */
    public static MemorySegment asSlice(MemorySegment array, long index) {
        return array.asSlice(SIZE * index, SIZE);
    }

    /** {@code sizeof(struct epoll_event)} as a constant, for stepping through an array without slicing. */
    @JavaOnly
    public static final long SIZE = $LAYOUT.byteSize();

    /** Offset of {@code events}. */
    public static final long events$OFFSET = 0;

    /** Offset of {@code data}. */
    public static final long data$OFFSET = $LAYOUT.byteOffset(MemoryLayout.PathElement.groupElement("data"));

    /** Reads {@code events}. */
    public static int events(MemorySegment struct) {
        return struct.get(events$LAYOUT, events$OFFSET);
    }

    /** Writes {@code events}. */
    public static void events(MemorySegment struct, int fieldValue) {
        struct.set(events$LAYOUT, events$OFFSET, fieldValue);
    }

    /** A view of the {@link epoll_data} union {@code data}. */
    public static MemorySegment data(MemorySegment struct) {
        return struct.asSlice(data$OFFSET, 8);
    }

    private static final ValueLayout.OfLong u64$LAYOUT = ValueLayout.JAVA_LONG_UNALIGNED;

    /** Reads {@code data.u64} without slicing (the hot path of an event loop). */
    public static long data_u64(MemorySegment struct) {
        return struct.get(u64$LAYOUT, data$OFFSET);
    }

    /** Writes {@code data.u64}. */
    public static void data_u64(MemorySegment struct, long fieldValue) {
        struct.set(u64$LAYOUT, data$OFFSET, fieldValue);
    }

    /** Reads {@code events} of element {@code index} of an array, without slicing. */
    public static int events$at(MemorySegment array, long index) {
        return array.get(events$LAYOUT, SIZE * index + events$OFFSET);
    }

    /** Reads {@code data.u64} of element {@code index} of an array, without slicing. */
    public static long data_u64$at(MemorySegment array, long index) {
        return array.get(u64$LAYOUT, SIZE * index + data$OFFSET);
    }
}
