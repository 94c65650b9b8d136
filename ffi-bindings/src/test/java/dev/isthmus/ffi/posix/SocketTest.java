package dev.isthmus.ffi.posix;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

import static dev.isthmus.ffi.posix.socket_h.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Real calls through the socket, unistd, uio and fcntl bindings, over socketpairs and loopback. */
@Timeout(10)
class SocketTest {

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] read(MemorySegment buf, long n) {
        return buf.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE);
    }

    @Test
    void socketpairWriteThenRead() throws IOException {
        try (Sys s = new Sys()) {
            MemorySegment sv = s.arena.allocate(ValueLayout.JAVA_INT, 2);
            int[] fd = s.pair("socketpair", socketpair(s.cs, AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), sv);
            byte[] msg = bytes("hello over a socketpair");
            assertEquals(msg.length, s.check("write", unistd_h.write(s.cs, fd[0], s.arena.allocateFrom(ValueLayout.JAVA_BYTE, msg), msg.length)));
            MemorySegment buf = s.arena.allocate(64);
            long n = s.check("read", unistd_h.read(s.cs, fd[1], buf, buf.byteSize()));
            assertArrayEquals(msg, read(buf, n));

            // The other direction with send/recv.
            byte[] back = bytes("and back");
            assertEquals(back.length, s.check("send", send(s.cs, fd[1], s.arena.allocateFrom(ValueLayout.JAVA_BYTE, back), back.length, MSG_NOSIGNAL)));
            n = s.check("recv", recv(s.cs, fd[0], buf, buf.byteSize(), 0));
            assertArrayEquals(back, read(buf, n));
        }
    }

    @Test
    void writevGathersAndReadvScatters() throws IOException {
        try (Sys s = new Sys()) {
            MemorySegment sv = s.arena.allocate(ValueLayout.JAVA_INT, 2);
            int[] fd = s.pair("socketpair", socketpair(s.cs, AF_UNIX, SOCK_STREAM, 0, sv), sv);
            MemorySegment iov = iovec.allocateArray(2, s.arena);
            MemorySegment a = s.arena.allocateFrom(ValueLayout.JAVA_BYTE, bytes("head-"));
            MemorySegment b = s.arena.allocateFrom(ValueLayout.JAVA_BYTE, bytes("tail"));
            iovec.iov_base(iovec.asSlice(iov, 0), a);
            iovec.iov_len(iovec.asSlice(iov, 0), a.byteSize());
            iovec.iov_base(iovec.asSlice(iov, 1), b);
            iovec.iov_len(iovec.asSlice(iov, 1), b.byteSize());
            assertEquals(9, s.check("writev", uio_h.writev(s.cs, fd[0], iov, 2)));

            MemorySegment x = s.arena.allocate(3);
            MemorySegment y = s.arena.allocate(16);
            iovec.iov_base(iovec.asSlice(iov, 0), x);
            iovec.iov_len(iovec.asSlice(iov, 0), x.byteSize());
            iovec.iov_base(iovec.asSlice(iov, 1), y);
            iovec.iov_len(iovec.asSlice(iov, 1), y.byteSize());
            assertEquals(9, s.check("readv", uio_h.readv(s.cs, fd[1], iov, 2)));
            assertArrayEquals(bytes("hea"), read(x, 3));
            assertArrayEquals(bytes("d-tail"), read(y, 6));
        }
    }

    @Test
    void fcntlNonBlockingThenCriticalCallsSeeEagain() throws IOException {
        try (Sys s = new Sys()) {
            MemorySegment sv = s.arena.allocate(ValueLayout.JAVA_INT, 2);
            int[] fd = s.pair("socketpair", socketpair(s.cs, AF_UNIX, SOCK_STREAM, 0, sv), sv);
            int flags = s.check("fcntl", fcntl_h.fcntl(s.cs, fd[1], fcntl_h.F_GETFL, 0));
            assertEquals(0, flags & fcntl_h.O_NONBLOCK);
            s.check("fcntl", fcntl_h.fcntl(s.cs, fd[1], fcntl_h.F_SETFL, flags | fcntl_h.O_NONBLOCK));
            assertEquals(fcntl_h.O_NONBLOCK, s.check("fcntl", fcntl_h.fcntl(s.cs, fd[1], fcntl_h.F_GETFL, 0)) & fcntl_h.O_NONBLOCK);

            MemorySegment buf = s.arena.allocate(16);
            assertEquals(-1, unistd_h.read$critical(s.cs, fd[1], buf, 16));
            assertEquals(errno_h.EAGAIN, s.state.errno());
            assertEquals(-1, recv$critical(s.cs, fd[0], buf, 16, MSG_DONTWAIT));
            assertEquals(errno_h.EAGAIN, s.state.errno());

            buf.set(ValueLayout.JAVA_BYTE, 0, (byte) 42);
            assertEquals(1, s.check("send", send$critical(s.cs, fd[0], buf, 1, MSG_NOSIGNAL | MSG_DONTWAIT)));
            assertEquals(1, s.check("read", unistd_h.read$critical(s.cs, fd[1], buf.asSlice(8), 8)));
            assertEquals(42, buf.get(ValueLayout.JAVA_BYTE, 8));
        }
    }

    @Test
    void pipe2RoundTrip() throws IOException {
        try (Sys s = new Sys()) {
            MemorySegment p = s.arena.allocate(ValueLayout.JAVA_INT, 2);
            int[] fd = s.pair("pipe2", unistd_h.pipe2(s.cs, p, fcntl_h.O_CLOEXEC | fcntl_h.O_NONBLOCK), p);
            byte[] msg = bytes("pipe");
            assertEquals(4, s.check("write", unistd_h.write$critical(s.cs, fd[1], s.arena.allocateFrom(ValueLayout.JAVA_BYTE, msg), 4)));
            MemorySegment buf = s.arena.allocate(8);
            assertEquals(4, s.check("read", unistd_h.read(s.cs, fd[0], buf, 8)));
            assertArrayEquals(msg, read(buf, 4));
            assertEquals(fcntl_h.FD_CLOEXEC, s.check("fcntl", fcntl_h.fcntl(s.cs, fd[0], fcntl_h.F_GETFD, 0)) & fcntl_h.FD_CLOEXEC);
        }
    }

    @Test
    void tcpLoopbackIpv4() throws IOException {
        tcpRoundTrip(AF_INET, InetAddress.getByName("127.0.0.1"));
    }

    @Test
    void tcpLoopbackIpv6() throws IOException {
        tcpRoundTrip(AF_INET6, InetAddress.getByName("::1"));
    }

    private void tcpRoundTrip(int family, InetAddress loopback) throws IOException {
        try (Sys s = new Sys()) {
            int lfd = s.fd("socket", socket(s.cs, family, SOCK_STREAM | SOCK_CLOEXEC, 0));
            s.setIntOpt(lfd, SOL_SOCKET, SO_REUSEADDR, 1);
            MemorySegment addr = sockaddr_storage.allocate(s.arena);
            int len = SocketAddresses.writeInet(new InetSocketAddress(loopback, 0), addr);
            s.check("bind", bind(s.cs, lfd, addr, len));
            s.check("listen", listen(s.cs, lfd, 16));
            InetSocketAddress bound = localAddress(s, lfd);
            assertEquals(loopback, bound.getAddress());
            assertNotEquals(0, bound.getPort());

            int cfd = s.fd("socket", socket(s.cs, family, SOCK_STREAM | SOCK_CLOEXEC, 0));
            len = SocketAddresses.writeInet(bound, addr);
            s.check("connect", connect(s.cs, cfd, addr, len));

            // The connection is already established, so this blocking accept4 returns at once.
            MemorySegment peer = sockaddr_storage.allocate(s.arena);
            MemorySegment peerLen = s.arena.allocateFrom(ValueLayout.JAVA_INT, (int) sockaddr_storage.sizeof());
            int afd = s.fd("accept4", accept4(s.cs, lfd, peer, peerLen, SOCK_CLOEXEC | SOCK_NONBLOCK));
            InetSocketAddress fromAccept = SocketAddresses.readInet(peer, peerLen.get(ValueLayout.JAVA_INT, 0));
            InetSocketAddress client = localAddress(s, cfd);
            assertEquals(client, fromAccept);
            assertEquals(client, peerAddress(s, afd));
            assertEquals(bound, peerAddress(s, cfd));

            byte[] req = bytes("GET / HTTP/1.1\r\n\r\n");
            MemorySegment buf = s.arena.allocate(256);
            MemorySegment.copy(req, 0, buf, ValueLayout.JAVA_BYTE, 0, req.length);
            assertEquals(req.length, s.check("write", unistd_h.write(s.cs, cfd, buf, req.length)));
            buf.fill((byte) 0);
            long got = 0;
            while (got < req.length) { // non-blocking accepted fd: the bytes are on loopback already, but be exact
                long n = unistd_h.read$critical(s.cs, afd, buf.asSlice(got), buf.byteSize() - got);
                if (n == -1 && s.state.errno() == errno_h.EAGAIN) {
                    Thread.onSpinWait();
                    continue;
                }
                got += s.check("read", n);
            }
            assertArrayEquals(req, read(buf, got));

            s.check("shutdown", shutdown(s.cs, afd, SHUT_WR));
            assertEquals(0, s.check("read", unistd_h.read(s.cs, cfd, buf, buf.byteSize())), "EOF after SHUT_WR");

            // Nothing left to accept: the critical variant on the non-blocking path reports EAGAIN.
            s.check("fcntl", fcntl_h.fcntl(s.cs, lfd, fcntl_h.F_SETFL, fcntl_h.O_NONBLOCK));
            assertEquals(-1, accept4$critical(s.cs, lfd, MemorySegment.NULL, MemorySegment.NULL, SOCK_CLOEXEC));
            assertEquals(errno_h.EAGAIN, s.state.errno());
        }
    }

    static InetSocketAddress localAddress(Sys s, int fd) throws IOException {
        MemorySegment a = sockaddr_storage.allocate(s.arena);
        MemorySegment l = s.arena.allocateFrom(ValueLayout.JAVA_INT, (int) sockaddr_storage.sizeof());
        s.check("getsockname", getsockname(s.cs, fd, a, l));
        return SocketAddresses.readInet(a, l.get(ValueLayout.JAVA_INT, 0));
    }

    static InetSocketAddress peerAddress(Sys s, int fd) throws IOException {
        MemorySegment a = sockaddr_storage.allocate(s.arena);
        MemorySegment l = s.arena.allocateFrom(ValueLayout.JAVA_INT, (int) sockaddr_storage.sizeof());
        s.check("getpeername", getpeername(s.cs, fd, a, l));
        return SocketAddresses.readInet(a, l.get(ValueLayout.JAVA_INT, 0));
    }

    @Test
    void connectToClosedPortIsConnectionRefused() throws IOException {
        try (Sys s = new Sys()) {
            // Find a free port by binding and closing; nothing listens there afterwards.
            int probe = s.fd("socket", socket(s.cs, AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
            MemorySegment addr = sockaddr_in.allocate(s.arena);
            int len = SocketAddresses.writeInet(InetAddress.getByName("127.0.0.1"), 0, addr);
            s.check("bind", bind(s.cs, probe, addr, len));
            InetSocketAddress closed = localAddress(s, probe);
            s.close(probe);

            int fd = s.fd("socket", socket(s.cs, AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
            len = SocketAddresses.writeInet(closed, addr);
            int rc = connect(s.cs, fd, addr, len);
            assertEquals(-1, rc);
            IOException e = assertThrows(IOException.class, () -> s.check("connect", rc));
            assertInstanceOf(ConnectException.class, e);
            assertTrue(e.getMessage().startsWith("connect: ECONNREFUSED "), e.getMessage());
        }
    }

    @Test
    void socketOptionsReadBack() throws IOException {
        try (Sys s = new Sys()) {
            int fd = s.fd("socket", socket(s.cs, AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
            int tcp = in_h.IPPROTO_TCP;
            assertEquals(0, s.getIntOpt(fd, tcp, tcp_h.TCP_NODELAY));
            s.setIntOpt(fd, tcp, tcp_h.TCP_NODELAY, 1);
            assertEquals(1, s.getIntOpt(fd, tcp, tcp_h.TCP_NODELAY));
            s.setIntOpt(fd, SOL_SOCKET, SO_KEEPALIVE, 1);
            assertEquals(1, s.getIntOpt(fd, SOL_SOCKET, SO_KEEPALIVE));
            s.setIntOpt(fd, tcp, tcp_h.TCP_KEEPIDLE, 37);
            assertEquals(37, s.getIntOpt(fd, tcp, tcp_h.TCP_KEEPIDLE));
            s.setIntOpt(fd, tcp, tcp_h.TCP_KEEPINTVL, 7);
            assertEquals(7, s.getIntOpt(fd, tcp, tcp_h.TCP_KEEPINTVL));
            s.setIntOpt(fd, tcp, tcp_h.TCP_KEEPCNT, 3);
            assertEquals(3, s.getIntOpt(fd, tcp, tcp_h.TCP_KEEPCNT));
            s.setIntOpt(fd, tcp, tcp_h.TCP_USER_TIMEOUT, 4321);
            assertEquals(4321, s.getIntOpt(fd, tcp, tcp_h.TCP_USER_TIMEOUT));
            s.setIntOpt(fd, SOL_SOCKET, SO_REUSEADDR, 1);
            assertEquals(1, s.getIntOpt(fd, SOL_SOCKET, SO_REUSEADDR));
            s.setIntOpt(fd, SOL_SOCKET, SO_REUSEPORT, 1);
            assertEquals(1, s.getIntOpt(fd, SOL_SOCKET, SO_REUSEPORT));
            s.setIntOpt(fd, SOL_SOCKET, SO_ZEROCOPY, 1);
            assertEquals(1, s.getIntOpt(fd, SOL_SOCKET, SO_ZEROCOPY));
            s.setIntOpt(fd, SOL_SOCKET, SO_BUSY_POLL, 50); // above net.core.busy_poll needs CAP_NET_ADMIN: we run as root
            assertEquals(50, s.getIntOpt(fd, SOL_SOCKET, SO_BUSY_POLL));
            // socket(7): the kernel doubles the buffer sizes it is given and reports the doubled value.
            s.setIntOpt(fd, SOL_SOCKET, SO_RCVBUF, 48 * 1024);
            assertEquals(96 * 1024, s.getIntOpt(fd, SOL_SOCKET, SO_RCVBUF));
            s.setIntOpt(fd, SOL_SOCKET, SO_SNDBUF, 48 * 1024);
            assertEquals(96 * 1024, s.getIntOpt(fd, SOL_SOCKET, SO_SNDBUF));
            assertEquals(0, s.getIntOpt(fd, SOL_SOCKET, SO_ERROR));
            assertEquals(SOCK_STREAM, s.getIntOpt(fd, SOL_SOCKET, SO_TYPE));
            assertEquals(AF_INET, s.getIntOpt(fd, SOL_SOCKET, SO_DOMAIN));
            int cpu = s.getIntOpt(fd, SOL_SOCKET, SO_INCOMING_CPU);
            assertTrue(cpu >= -1 && cpu < sched_h.CPU_SETSIZE, "SO_INCOMING_CPU " + cpu);

            MemorySegment l = linger.allocate(s.arena);
            linger.l_onoff(l, 1);
            linger.l_linger(l, 9);
            s.check("setsockopt", setsockopt(s.cs, fd, SOL_SOCKET, SO_LINGER, l, (int) linger.sizeof()));
            MemorySegment back = linger.allocate(s.arena);
            MemorySegment len = s.arena.allocateFrom(ValueLayout.JAVA_INT, (int) linger.sizeof());
            s.check("getsockopt", getsockopt(s.cs, fd, SOL_SOCKET, SO_LINGER, back, len));
            assertEquals(linger.sizeof(), len.get(ValueLayout.JAVA_INT, 0));
            assertEquals(1, linger.l_onoff(back));
            assertEquals(9, linger.l_linger(back));

            // TCP_FASTOPEN sets the listener's queue of pending Fast Open requests.
            int lfd = s.fd("socket", socket(s.cs, AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
            MemorySegment addr = sockaddr_in.allocate(s.arena);
            s.check("bind", bind(s.cs, lfd, addr, SocketAddresses.writeInet(InetAddress.getByName("127.0.0.1"), 0, addr)));
            s.check("listen", listen(s.cs, lfd, 8));
            s.setIntOpt(lfd, tcp, tcp_h.TCP_FASTOPEN, 5);
            assertEquals(5, s.getIntOpt(lfd, tcp, tcp_h.TCP_FASTOPEN));
            assertEquals(1, s.getIntOpt(lfd, SOL_SOCKET, SO_ACCEPTCONN));

            int v6 = s.fd("socket", socket(s.cs, AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, 0));
            s.setIntOpt(v6, in_h.IPPROTO_IPV6, in_h.IPV6_V6ONLY, 1);
            assertEquals(1, s.getIntOpt(v6, in_h.IPPROTO_IPV6, in_h.IPV6_V6ONLY));
            s.setIntOpt(v6, in_h.IPPROTO_IPV6, in_h.IPV6_V6ONLY, 0);
            assertEquals(0, s.getIntOpt(v6, in_h.IPPROTO_IPV6, in_h.IPV6_V6ONLY));
        }
    }

    @Test
    void sendmmsgThenRecvmmsgTwoUdpDatagrams() throws IOException {
        try (Sys s = new Sys()) {
            InetAddress lo = InetAddress.getByName("127.0.0.1");
            int rx = s.fd("socket", socket(s.cs, AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
            int tx = s.fd("socket", socket(s.cs, AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
            MemorySegment addr = sockaddr_in.allocate(s.arena);
            s.check("bind", bind(s.cs, rx, addr, SocketAddresses.writeInet(lo, 0, addr)));
            s.check("bind", bind(s.cs, tx, addr, SocketAddresses.writeInet(lo, 0, addr)));
            InetSocketAddress to = localAddress(s, rx);
            InetSocketAddress from = localAddress(s, tx);

            byte[][] payload = {bytes("first datagram"), bytes("second")};
            MemorySegment dest = sockaddr_in.allocate(s.arena);
            int destLen = SocketAddresses.writeInet(to, dest);
            MemorySegment vec = mmsghdr.allocateArray(2, s.arena);
            for (int i = 0; i < 2; i++) {
                MemorySegment iov = iovec.allocate(s.arena);
                MemorySegment data = s.arena.allocateFrom(ValueLayout.JAVA_BYTE, payload[i]);
                iovec.iov_base(iov, data);
                iovec.iov_len(iov, data.byteSize());
                MemorySegment h = mmsghdr.msg_hdr(mmsghdr.asSlice(vec, i));
                msghdr.msg_name(h, dest);
                msghdr.msg_namelen(h, destLen);
                msghdr.msg_iov(h, iov);
                msghdr.msg_iovlen(h, 1);
            }
            assertEquals(2, s.check("sendmmsg", sendmmsg(s.cs, tx, vec, 2, 0)));
            assertEquals(payload[0].length, mmsghdr.msg_len(mmsghdr.asSlice(vec, 0)));
            assertEquals(payload[1].length, mmsghdr.msg_len(mmsghdr.asSlice(vec, 1)));

            MemorySegment rvec = mmsghdr.allocateArray(2, s.arena);
            MemorySegment[] bufs = new MemorySegment[2];
            MemorySegment[] names = new MemorySegment[2];
            for (int i = 0; i < 2; i++) {
                bufs[i] = s.arena.allocate(64);
                names[i] = sockaddr_storage.allocate(s.arena);
                MemorySegment iov = iovec.allocate(s.arena);
                iovec.iov_base(iov, bufs[i]);
                iovec.iov_len(iov, bufs[i].byteSize());
                MemorySegment h = mmsghdr.msg_hdr(mmsghdr.asSlice(rvec, i));
                msghdr.msg_name(h, names[i]);
                msghdr.msg_namelen(h, (int) sockaddr_storage.sizeof());
                msghdr.msg_iov(h, iov);
                msghdr.msg_iovlen(h, 1);
            }
            int got = 0;
            while (got < 2) { // MSG_WAITFORONE: block for the first, take what else is queued
                got += s.check("recvmmsg", recvmmsg(s.cs, rx, rvec.asSlice(got * mmsghdr.sizeof()), 2 - got, MSG_WAITFORONE, MemorySegment.NULL));
            }
            for (int i = 0; i < 2; i++) {
                MemorySegment m = mmsghdr.asSlice(rvec, i);
                MemorySegment h = mmsghdr.msg_hdr(m);
                assertArrayEquals(payload[i], read(bufs[i], mmsghdr.msg_len(m)));
                assertEquals(0, msghdr.msg_flags(h) & MSG_TRUNC);
                assertEquals(from, SocketAddresses.readInet(names[i], msghdr.msg_namelen(h)));
            }
        }
    }

    @Test
    void sendmsgAndRecvmsgReportTruncation() throws IOException {
        try (Sys s = new Sys()) {
            MemorySegment sv = s.arena.allocate(ValueLayout.JAVA_INT, 2);
            int[] fd = s.pair("socketpair", socketpair(s.cs, AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, sv), sv);
            MemorySegment iov = iovec.allocate(s.arena);
            MemorySegment data = s.arena.allocateFrom(ValueLayout.JAVA_BYTE, bytes("0123456789"));
            iovec.iov_base(iov, data);
            iovec.iov_len(iov, data.byteSize());
            MemorySegment msg = msghdr.allocate(s.arena);
            msghdr.msg_iov(msg, iov);
            msghdr.msg_iovlen(msg, 1);
            assertEquals(10, s.check("sendmsg", sendmsg$critical(s.cs, fd[0], msg, MSG_DONTWAIT)));

            MemorySegment small = s.arena.allocate(4);
            iovec.iov_base(iov, small);
            iovec.iov_len(iov, 4);
            // MSG_TRUNC as an input flag makes recvmsg return the datagram's real length (recv(2)).
            assertEquals(10, s.check("recvmsg", recvmsg$critical(s.cs, fd[1], msg, MSG_TRUNC | MSG_DONTWAIT)));
            assertEquals(MSG_TRUNC, msghdr.msg_flags(msg) & MSG_TRUNC);
            assertArrayEquals(bytes("0123"), read(small, 4));
        }
    }
}
