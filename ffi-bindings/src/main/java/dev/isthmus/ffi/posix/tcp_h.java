package dev.isthmus.ffi.posix;

import dev.isthmus.ffi.CHeader;

/**
 * {@code <netinet/tcp.h>}: TCP-level socket options (level {@link in_h#IPPROTO_TCP}). See tcp(7).
 */
@CHeader({"netinet/tcp.h"})
public final class tcp_h {
    private tcp_h() {
    }

    /** Disable Nagle: send small segments at once. */
    public static final int TCP_NODELAY = 1;
    public static final int TCP_MAXSEG = 2;
    public static final int TCP_CORK = 3;
    /** Seconds idle before the first keepalive probe (needs SO_KEEPALIVE). */
    public static final int TCP_KEEPIDLE = 4;
    /** Seconds between keepalive probes. */
    public static final int TCP_KEEPINTVL = 5;
    /** Unanswered probes before the connection is dropped. */
    public static final int TCP_KEEPCNT = 6;
    public static final int TCP_SYNCNT = 7;
    public static final int TCP_LINGER2 = 8;
    public static final int TCP_DEFER_ACCEPT = 9;
    public static final int TCP_WINDOW_CLAMP = 10;
    public static final int TCP_INFO = 11;
    public static final int TCP_QUICKACK = 12;
    public static final int TCP_CONGESTION = 13;
    /** Milliseconds unacknowledged data may stay before the connection is dropped (Linux 2.6.37). */
    public static final int TCP_USER_TIMEOUT = 18;
    /** On a listener: the queue length of pending Fast Open requests (Linux 3.7). */
    public static final int TCP_FASTOPEN = 23;
    public static final int TCP_NOTSENT_LOWAT = 25;
    public static final int TCP_FASTOPEN_CONNECT = 30;
}
