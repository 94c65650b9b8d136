package dev.isthmus.ffi.posix;

import org.junit.jupiter.api.Test;

import java.lang.foreign.MemoryLayout.PathElement;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The x86_64/aarch64 glibc sizes and offsets as gcc reports them (checked by hand with a C probe on
 * Debian 12). The layout checker compares every member against the headers; this test only guards the
 * few numbers the rest of this package's tests rely on, so it fails close to the cause.
 */
class LayoutSizesTest {
    private static final boolean X86 = System.getProperty("os.arch").equals("amd64");

    @Test
    void structSizes() {
        assertEquals(16, sockaddr.sizeof());
        assertEquals(16, sockaddr_in.sizeof());
        assertEquals(4, in_addr.sizeof());
        assertEquals(28, sockaddr_in6.sizeof());
        assertEquals(16, in6_addr.sizeof());
        assertEquals(110, sockaddr_un.sizeof());
        assertEquals(128, sockaddr_storage.sizeof());
        assertEquals(16, iovec.sizeof());
        assertEquals(56, msghdr.sizeof());
        assertEquals(64, mmsghdr.sizeof());
        assertEquals(8, linger.sizeof());
        assertEquals(16, cmsghdr.sizeof());
        assertEquals(16, timespec.sizeof());
        assertEquals(32, itimerspec.sizeof());
        assertEquals(16, rlimit.sizeof());
        assertEquals(128, cpu_set_t.sizeof());
        assertEquals(8, epoll_data.sizeof());
        assertEquals(X86 ? 12 : 16, epoll_event.sizeof());
    }

    @Test
    void offsetsThatMatter() {
        assertEquals(2, sockaddr_in.sin_port$OFFSET);
        assertEquals(4, sockaddr_in.sin_addr$OFFSET);
        assertEquals(8, sockaddr_in6.sin6_addr$OFFSET);
        assertEquals(24, sockaddr_in6.sin6_scope_id$OFFSET);
        assertEquals(2, sockaddr_un.sun_path$OFFSET);
        assertEquals(16, msghdr.msg_iov$OFFSET);
        assertEquals(48, msghdr.msg_flags$OFFSET);
        assertEquals(56, mmsghdr.msg_len$OFFSET);
        assertEquals(X86 ? 4 : 8, epoll_event.data$OFFSET);
        assertEquals(120, sockaddr_storage.layout().byteOffset(PathElement.groupElement("__ss_align")));
        assertEquals(cmsghdr.CMSG_DATA_OFFSET, cmsghdr.CMSG_LEN(0));
        assertEquals(24, cmsghdr.CMSG_SPACE(4));
    }
}
