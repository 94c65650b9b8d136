package dev.isthmus.ffi.checkfixtures;

import dev.isthmus.ffi.CStruct;

import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.ValueLayout;

/** Deliberately wrong: a member name C does not have (tv_nsecs). */
@CStruct(value = "struct timespec", includes = "time.h")
public final class WrongMemberNameTimespec {
    private static final GroupLayout LAYOUT = MemoryLayout.structLayout(
            ValueLayout.JAVA_LONG.withName("tv_sec"),
            ValueLayout.JAVA_LONG.withName("tv_nsecs"));

    private WrongMemberNameTimespec() {
    }

    public static GroupLayout layout() {
        return LAYOUT;
    }
}
