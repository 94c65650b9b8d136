package dev.isthmus.ffi.checkfixtures;

import dev.isthmus.ffi.CHeader;
import dev.isthmus.ffi.JavaOnly;
import dev.isthmus.ffi.NewerThanHeaders;

/** Right values, including the cases that need care: a high bit, an enumerator with no macro. */
@CHeader({"sys/epoll.h", "netinet/in.h"})
public final class GoodConstants {
    private GoodConstants() {
    }

    public static final int EPOLLIN = 0x001;
    public static final int EPOLLOUT = 0x004;
    /** {@code 1u << 31} in C: negative in a Java int, equal modulo 32 bits. */
    public static final int EPOLLET = 1 << 31;
    /** An enumerator of netinet/in.h that no {@code #define} repeats: {@code #ifdef} cannot see it. */
    public static final short IPPORT_RESERVED = 1024;
    /** Not in any header: accepted because of the annotation, and listed as absent. */
    @NewerThanHeaders("Linux 99.0")
    public static final int EPOLL_ISTHMUS_FUTURE = 0x10000;
    /** Not a C constant at all. */
    @JavaOnly
    public static final int EPOLL_EVENT_BATCH = 64;
    /** Not constant-shaped names and types: ignored. */
    public static final int maxEvents = 7;
    public static final String EPOLL_NAME = "epoll";
    static final int EPOLL_PACKAGE_PRIVATE = 12345;
}
