package dev.isthmus.ffi.checkfixtures;

import dev.isthmus.ffi.CStruct;

import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.ValueLayout;

/** Deliberately wrong: 4 bytes of trailing padding make it 20 bytes (C: 16). Members are right. */
@CStruct(value = "struct sockaddr_in", includes = "netinet/in.h")
public final class WrongSizeSockaddrIn {
    private static final GroupLayout LAYOUT = MemoryLayout.structLayout(
            ValueLayout.JAVA_SHORT.withName("sin_family"),
            ValueLayout.JAVA_SHORT.withName("sin_port"),
            MemoryLayout.structLayout(ValueLayout.JAVA_INT.withName("s_addr")).withName("sin_addr"),
            MemoryLayout.sequenceLayout(8, ValueLayout.JAVA_BYTE).withName("sin_zero"),
            MemoryLayout.paddingLayout(4));

    private WrongSizeSockaddrIn() {
    }

    public static GroupLayout layout() {
        return LAYOUT;
    }
}
