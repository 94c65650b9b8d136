package dev.isthmus.ffi.checkfixtures;

import dev.isthmus.ffi.CStruct;

import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.ValueLayout;

/** struct sockaddr_in6: a struct in a struct holding a named union of arrays (glibc's __in6_u). */
@CStruct(value = "struct sockaddr_in6", includes = {"sys/socket.h", "netinet/in.h"})
public final class GoodSockaddrIn6 {
    static final GroupLayout IN6_ADDR = MemoryLayout.structLayout(
            MemoryLayout.unionLayout(
                    MemoryLayout.sequenceLayout(16, ValueLayout.JAVA_BYTE).withName("__u6_addr8"),
                    MemoryLayout.sequenceLayout(8, ValueLayout.JAVA_SHORT).withName("__u6_addr16"),
                    MemoryLayout.sequenceLayout(4, ValueLayout.JAVA_INT).withName("__u6_addr32"))
                    .withName("__in6_u"));
    private static final GroupLayout LAYOUT = MemoryLayout.structLayout(
            ValueLayout.JAVA_SHORT.withName("sin6_family"),
            ValueLayout.JAVA_SHORT.withName("sin6_port"),
            ValueLayout.JAVA_INT.withName("sin6_flowinfo"),
            IN6_ADDR.withName("sin6_addr"),
            ValueLayout.JAVA_INT.withName("sin6_scope_id"));

    private GoodSockaddrIn6() {
    }

    public static GroupLayout layout() {
        return LAYOUT;
    }
}
