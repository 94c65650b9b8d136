package dev.isthmus.ffi.checkfixtures;

import dev.isthmus.ffi.CHeader;

/** Deliberately wrong constants, next to one right one that must not be reported. */
@CHeader("sys/epoll.h")
public final class WrongConstants {
    private WrongConstants() {
    }

    /** Wrong value (C: 1). */
    public static final int EPOLLIN = 2;
    /** Right. */
    public static final int EPOLLOUT = 4;
    /** Misspelled EPOLL_CLOEXEC, and not @NewerThanHeaders: must fail, not be "absent". */
    public static final int EPOLL_CLOEXCEC = 02000000;
    /** C's 1u << 30 does not fit a short; its low 16 bits (0) agreeing must not pass. */
    public static final short EPOLLONESHOT = 0;
}
