package dev.isthmus.nio.channels;

import dev.isthmus.ffi.Errno;
import dev.isthmus.ffi.posix.fcntl_h;
import dev.isthmus.ffi.posix.socket_h;
import dev.isthmus.ffi.posix.unistd_h;
import dev.isthmus.linux.socket.LinuxSocket;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.SocketAddress;
import java.nio.channels.Channel;
import java.nio.channels.spi.SelectorProvider;

/**
 * {@link SelectorProvider#inheritedChannel()}: the channel for a socket this process was started with on file
 * descriptor 0 (inetd, systemd's {@code Accept=yes} or {@code StandardInput=socket}), with the JDK's rules: a
 * connected stream socket becomes a SocketChannel, an unconnected (listening) one a ServerSocketChannel, a
 * datagram socket a DatagramChannel, of the socket's family (AF_INET, AF_INET6, AF_UNIX); anything else, or no
 * socket, gives null. It is looked at once; later calls return the same channel (or null).
 *
 * <p>The channel works on a duplicate of fd 0 (fcntl F_DUPFD_CLOEXEC), so streams on fd 0 and the channel can
 * be closed apart. The duplicate shares the open file description and so its O_NONBLOCK flag, which the channels
 * need: fd 0 becomes non-blocking too. When the channel is closed, fds 0, 1 and 2 are pointed at /dev/null
 * (dup2(2)), as the JDK does, so that the socket really closes (the peer sees the end) even when the standard
 * streams were the socket too.
 */
final class InheritedChannels {
    private InheritedChannels() {
    }

    private static boolean looked;
    private static Channel channel;

    static synchronized Channel get(SelectorProvider provider) throws IOException {
        if (!looked) {
            channel = create(provider);
            looked = true;
        }
        return channel;
    }

    private static Channel create(SelectorProvider provider) throws IOException {
        ThreadIo io = ThreadIo.current();
        LinuxSocket.Scratch s = io.scratch;
        int fd = fcntl_h.fcntl(s.state, 0, fcntl_h.F_DUPFD_CLOEXEC, 3);
        if (fd < 0) {
            return null; // EBADF: no fd 0 at all
        }
        try {
            int type;
            int family;
            try {
                type = LinuxSocket.getInt(s, fd, socket_h.SOL_SOCKET, socket_h.SO_TYPE, "SO_TYPE");
                family = LinuxSocket.getInt(s, fd, socket_h.SOL_SOCKET, socket_h.SO_DOMAIN, "SO_DOMAIN");
            } catch (IOException notASocket) {
                LinuxSocket.closeQuietly(s.state, fd); // ENOTSOCK: a file, a pipe or a terminal
                return null;
            }
            boolean known = family == socket_h.AF_INET || family == socket_h.AF_INET6 || family == socket_h.AF_UNIX;
            if (!known || (type != socket_h.SOCK_STREAM && type != socket_h.SOCK_DGRAM)
                    || (type == socket_h.SOCK_DGRAM && family == socket_h.AF_UNIX)) {
                LinuxSocket.closeQuietly(s.state, fd);
                return null;
            }
            int flags = fcntl_h.fcntl(s.state, fd, fcntl_h.F_GETFL, 0);
            if (flags < 0 || fcntl_h.fcntl(s.state, fd, fcntl_h.F_SETFL, flags | fcntl_h.O_NONBLOCK) < 0) {
                throw Errno.exception("fcntl(O_NONBLOCK) on the inherited socket", s.errno());
            }
            if (type == socket_h.SOCK_DGRAM) {
                NativeDatagramChannel c = new NativeDatagramChannel(provider, family, fd);
                c.afterClose.set(InheritedChannels::detachStandardStreams);
                return c;
            }
            SocketAddress peer = peer(s, fd);
            if (peer != null) {
                NativeSocketChannel c = new NativeSocketChannel(provider, family, fd, peer);
                c.afterClose.set(InheritedChannels::detachStandardStreams);
                return c;
            }
            NativeServerSocketChannel c = new NativeServerSocketChannel(provider, family, fd);
            c.afterClose.set(InheritedChannels::detachStandardStreams);
            return c;
        } catch (IOException | RuntimeException e) {
            LinuxSocket.closeQuietly(s.state, fd);
            throw e;
        }
    }

    /** getpeername(2): the peer of a connected socket, null for a listening or unconnected one (ENOTCONN). */
    private static SocketAddress peer(LinuxSocket.Scratch s, int fd) {
        try {
            return LinuxSocket.remoteAddress(s, fd);
        } catch (IOException notConnected) {
            return null;
        }
    }

    /** Points fds 0, 1 and 2 at /dev/null, so that closing the channel releases the socket they may share. */
    private static void detachStandardStreams() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment state = ThreadIo.current().scratch.state;
            int devnull = fcntl_h.open(state, a.allocateFrom("/dev/null"), fcntl_h.O_RDWR | fcntl_h.O_CLOEXEC, 0);
            if (devnull < 0) {
                return; // nothing to point them at; the duplicate is closed all the same
            }
            for (int std = 0; std <= 2; std++) {
                unistd_h.dup2(state, devnull, std);
            }
            LinuxSocket.closeQuietly(state, devnull);
        }
    }
}
