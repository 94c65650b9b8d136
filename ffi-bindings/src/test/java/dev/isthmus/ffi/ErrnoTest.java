package dev.isthmus.ffi;

import dev.isthmus.ffi.posix.errno_h;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.SocketException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

class ErrnoTest {
    @Test
    void namesTheCallAndTheSymbol() {
        IOException e = Errno.exception("connect", errno_h.ECONNREFUSED);
        assertInstanceOf(ConnectException.class, e);
        assertEquals("connect: ECONNREFUSED (Connection refused)", e.getMessage());
    }

    @Test
    void mapsToStandardSubclasses() {
        assertInstanceOf(BindException.class, Errno.exception("bind", errno_h.EADDRINUSE));
        assertInstanceOf(BindException.class, Errno.exception("bind", errno_h.EACCES));
        assertInstanceOf(SocketException.class, Errno.exception("read", errno_h.ECONNRESET));
        assertInstanceOf(ConnectException.class, Errno.exception("connect", errno_h.ETIMEDOUT));
        assertEquals(IOException.class, Errno.exception("epoll_ctl", errno_h.EEXIST).getClass());
    }

    @Test
    void aliasesKeepTheFirstName() {
        assertEquals("EAGAIN", Errno.name(errno_h.EWOULDBLOCK));
        assertEquals("errno 250", Errno.name(250));
    }
}
