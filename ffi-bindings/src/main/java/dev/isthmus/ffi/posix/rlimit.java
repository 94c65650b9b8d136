package dev.isthmus.ffi.posix;

import dev.isthmus.ffi.CStruct;

import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.ValueLayout;

import static dev.isthmus.ffi.posix.CTypes.C_LONG;

/**
 * {@snippet lang=c :
 * struct rlimit {
 *     rlim_t rlim_cur; // soft
 *     rlim_t rlim_max; // hard
 * };
 * }
 *
 * <p>A soft and a hard limit; {@link resource_h#RLIM_INFINITY} is no limit. See getrlimit(2).
 */
@CStruct(value = "struct rlimit", includes = {"sys/resource.h"})
public final class rlimit {
    private rlimit() {
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
            C_LONG.withName("rlim_cur"),
            C_LONG.withName("rlim_max")).withName("rlimit");

    /** The layout, member names as in C. */
    public static GroupLayout layout() {
        return $LAYOUT;
    }

    /** {@code sizeof(struct rlimit)}. */
    public static long sizeof() {
        return $LAYOUT.byteSize();
    }

    /** Allocates one zeroed {@code struct rlimit}. */
    public static MemorySegment allocate(SegmentAllocator allocator) {
        return allocator.allocate($LAYOUT);
    }

    /** Allocates a zeroed array of {@code count} elements. */
    public static MemorySegment allocateArray(long count, SegmentAllocator allocator) {
        return allocator.allocate(MemoryLayout.sequenceLayout(count, $LAYOUT));
    }

    /** Element {@code index} of an array of these. */
    public static MemorySegment asSlice(MemorySegment array, long index) {
        return array.asSlice($LAYOUT.byteSize() * index, $LAYOUT.byteSize());
    }

    private static final ValueLayout.OfLong rlim_cur$LAYOUT = (ValueLayout.OfLong) $LAYOUT.select(MemoryLayout.PathElement.groupElement("rlim_cur"));
    /** Offset of {@code rlim_cur}. */
    public static final long rlim_cur$OFFSET = $LAYOUT.byteOffset(MemoryLayout.PathElement.groupElement("rlim_cur"));

    /** Reads {@code rlim_cur}. */
    public static long rlim_cur(MemorySegment struct) {
        return struct.get(rlim_cur$LAYOUT, rlim_cur$OFFSET);
    }

    /** Writes {@code rlim_cur}. */
    public static void rlim_cur(MemorySegment struct, long fieldValue) {
        struct.set(rlim_cur$LAYOUT, rlim_cur$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfLong rlim_max$LAYOUT = (ValueLayout.OfLong) $LAYOUT.select(MemoryLayout.PathElement.groupElement("rlim_max"));
    /** Offset of {@code rlim_max}. */
    public static final long rlim_max$OFFSET = $LAYOUT.byteOffset(MemoryLayout.PathElement.groupElement("rlim_max"));

    /** Reads {@code rlim_max}. */
    public static long rlim_max(MemorySegment struct) {
        return struct.get(rlim_max$LAYOUT, rlim_max$OFFSET);
    }

    /** Writes {@code rlim_max}. */
    public static void rlim_max(MemorySegment struct, long fieldValue) {
        struct.set(rlim_max$LAYOUT, rlim_max$OFFSET, fieldValue);
    }
}
