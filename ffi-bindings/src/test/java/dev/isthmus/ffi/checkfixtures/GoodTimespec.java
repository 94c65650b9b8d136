package dev.isthmus.ffi.checkfixtures;

import dev.isthmus.ffi.CStruct;

import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.ValueLayout;

/** struct timespec on 64-bit Linux (time_t and long are both 8 bytes). */
@CStruct(value = "struct timespec", includes = "time.h")
public final class GoodTimespec {
    private static final GroupLayout LAYOUT = MemoryLayout.structLayout(
            ValueLayout.JAVA_LONG.withName("tv_sec"),
            ValueLayout.JAVA_LONG.withName("tv_nsec"));

    private GoodTimespec() {
    }

    public static GroupLayout layout() {
        return LAYOUT;
    }
}
