package dev.isthmus.ffi.checkfixtures;

import dev.isthmus.ffi.CStruct;

import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.ValueLayout;

/**
 * struct sockaddr_in with a nested struct (sin_addr.s_addr), an array (sin_zero), and a Java group
 * named {@code $anon0} that C does not have: the checker must look through it, as it does for C's
 * anonymous unions, and address sin_family and sin_port directly.
 */
@CStruct(value = "struct sockaddr_in", includes = "netinet/in.h")
public final class GoodSockaddrIn {
    private static final GroupLayout LAYOUT = MemoryLayout.structLayout(
            MemoryLayout.structLayout(
                    ValueLayout.JAVA_SHORT.withName("sin_family"),
                    ValueLayout.JAVA_SHORT.withName("sin_port")).withName("$anon0"),
            MemoryLayout.structLayout(ValueLayout.JAVA_INT.withName("s_addr")).withName("sin_addr"),
            MemoryLayout.sequenceLayout(8, ValueLayout.JAVA_BYTE).withName("sin_zero"));

    private GoodSockaddrIn() {
    }

    public static GroupLayout layout() {
        return LAYOUT;
    }
}
