package dev.isthmus.ffi.checkfixtures;

import dev.isthmus.ffi.CHeader;

/** Deliberately wrong: a header no machine has. */
@CHeader("isthmus/no_such_header.h")
public final class MissingHeader {
    private MissingHeader() {
    }

    public static final int ISTHMUS_NOTHING = 1;
}
