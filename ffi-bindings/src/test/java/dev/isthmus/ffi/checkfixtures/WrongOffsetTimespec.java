package dev.isthmus.ffi.checkfixtures;

import dev.isthmus.ffi.CStruct;

import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.ValueLayout;

/** Deliberately wrong: tv_nsec at offset 4 (C: 8). Size and member size are right. */
@CStruct(value = "struct timespec", includes = "time.h")
public final class WrongOffsetTimespec {
    private static final GroupLayout LAYOUT = MemoryLayout.structLayout(
            MemoryLayout.paddingLayout(4),
            ValueLayout.JAVA_LONG.withByteAlignment(4).withName("tv_nsec"),
            MemoryLayout.paddingLayout(4));

    private WrongOffsetTimespec() {
    }

    public static GroupLayout layout() {
        return LAYOUT;
    }
}
