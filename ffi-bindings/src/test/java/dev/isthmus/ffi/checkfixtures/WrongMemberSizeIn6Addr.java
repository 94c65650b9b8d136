package dev.isthmus.ffi.checkfixtures;

import dev.isthmus.ffi.CStruct;

import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.ValueLayout;

/**
 * Deliberately wrong: __u6_addr32 has 3 elements (C: 4). The union keeps its 16 bytes through
 * __u6_addr8, so only that member's size differs.
 */
@CStruct(value = "struct in6_addr", includes = "netinet/in.h")
public final class WrongMemberSizeIn6Addr {
    private static final GroupLayout LAYOUT = MemoryLayout.structLayout(
            MemoryLayout.unionLayout(
                    MemoryLayout.sequenceLayout(16, ValueLayout.JAVA_BYTE).withName("__u6_addr8"),
                    MemoryLayout.sequenceLayout(3, ValueLayout.JAVA_INT).withName("__u6_addr32"))
                    .withName("__in6_u"));

    private WrongMemberSizeIn6Addr() {
    }

    public static GroupLayout layout() {
        return LAYOUT;
    }
}
