package dev.isthmus.ffi.posix;

import java.lang.foreign.AddressLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.ValueLayout;

/**
 * The C scalar types of the LP64 ABI (x86_64, aarch64 Linux) as layouts, named as jextract names them
 * in a generated header class. {@code size_t}, {@code ssize_t}, {@code long} and pointers are 64-bit;
 * {@code socklen_t}, {@code pid_t} and {@code clockid_t} are 32-bit.
 */
final class CTypes {
    private CTypes() {
    }

    static final ValueLayout.OfByte C_CHAR = ValueLayout.JAVA_BYTE;
    static final ValueLayout.OfShort C_SHORT = ValueLayout.JAVA_SHORT;
    static final ValueLayout.OfInt C_INT = ValueLayout.JAVA_INT;
    static final ValueLayout.OfLong C_LONG = ValueLayout.JAVA_LONG;
    static final AddressLayout C_POINTER = ValueLayout.ADDRESS;

    static {
        if (C_POINTER.byteSize() != 8 || MemoryLayout.sequenceLayout(1, C_LONG).byteSize() != 8) {
            throw new ExceptionInInitializerError("dev.isthmus.ffi.posix assumes an LP64 platform");
        }
    }
}
