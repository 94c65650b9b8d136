package dev.isthmus.epoll;

import dev.isthmus.ffi.Errno;
import dev.isthmus.ffi.posix.SocketAddressCache;
import dev.isthmus.ffi.posix.SocketAddresses;
import dev.isthmus.ffi.posix.epoll_h;
import dev.isthmus.ffi.posix.errno_h;
import dev.isthmus.ffi.posix.iovec;
import dev.isthmus.ffi.posix.mmsghdr;
import dev.isthmus.ffi.posix.msghdr;
import dev.isthmus.ffi.posix.socket_h;
import dev.isthmus.linux.socket.LinuxSocket;
import dev.isthmus.stack.DatagramHandler;
import dev.isthmus.stack.UdpOptions;
import dev.isthmus.stack.spi.AbstractUdpChannel;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * A UDP socket on one worker. Receiving is batched with recvmmsg(2) into a preallocated
 * {@code struct mmsghdr} array, one {@code maxDatagramSize} slot and one sockaddr per message; a datagram
 * cut to its slot has MSG_TRUNC in {@code msg_flags} (recvmsg(2)) and is delivered with
 * {@code truncated} set. The sender's {@link InetSocketAddress} is reused while consecutive datagrams
 * come from the same address, so a steady peer costs no address object per datagram.
 *
 * <p>Sending is one sendmsg(2) per {@link #send}: the API reports a refused datagram (EMSGSIZE, a port
 * unreachable) to the caller of {@code send}, which batching through sendmmsg would defer.
 *
 * <p>The memory belongs to an arena of the channel's own, opened and closed on the worker thread.
 */
final class EpollUdpChannel extends AbstractUdpChannel implements EpollSource {
    private static final long NAME_LEN = SocketAddresses.MAX_LENGTH;
    /** A batch holds at most this many bytes of datagram slots. */
    private static final long BATCH_BYTES = 256 * 1024;
    /** Datagrams per sendmmsg(2). */
    static final int SEND_BATCH = 64;
    private MemorySegment sendMsgs;
    private MemorySegment sendIovs;
    private MemorySegment sendNames;

    private final EpollWorker w;
    private final DatagramHandler handler;
    private final int family;
    private final int maxSize;
    private final int batch;
    /**
     * The last payload view handed out for each slot of the batch: a slot always starts at the same address,
     * so steady traffic of one size gets the same view again instead of a new slice per datagram (the view
     * escapes into the handler, so the JIT cannot remove the slice). The handler may use it only during
     * onDatagram, as the facade says.
     */
    private final MemorySegment[] views;
    private final Arena arena;
    private final MemorySegment msgs;
    private final MemorySegment iovs;
    private final MemorySegment names;
    private final MemorySegment data;
    private final MemorySegment sendMsg;
    private final MemorySegment sendIov;
    private final MemorySegment sendName;
    private MemorySegment sendCopy;
    /** Peers' address objects both ways: nothing allocated per datagram for a peer seen before. */
    private final SocketAddressCache addresses = new SocketAddressCache();
    private final int fd;
    private int generation;
    private SocketAddress localAddress;
    private volatile boolean closed;

    /** Opens, binds and registers the socket; on the worker thread. */
    EpollUdpChannel(EpollWorker w, SocketAddress local, UdpOptions o, DatagramHandler handler) throws IOException {
        super(w);
        this.w = w;
        this.handler = handler;
        this.family = SocketAddresses.family(local);
        this.maxSize = o.maxDatagramSize();
        this.batch = (int) Math.max(1, Math.min(64, BATCH_BYTES / maxSize));
        this.views = new MemorySegment[batch];
        this.arena = Arena.ofConfined();
        int s = -1;
        try {
            msgs = mmsghdr.allocateArray(batch, arena);
            iovs = iovec.allocateArray(batch, arena);
            names = arena.allocate(NAME_LEN * batch, 8);
            data = arena.allocate((long) maxSize * batch, 64);
            sendMsg = msghdr.allocate(arena);
            sendIov = iovec.allocate(arena);
            sendName = arena.allocate(NAME_LEN, 8);
            for (int i = 0; i < batch; i++) {
                MemorySegment iov = iovec.asSlice(iovs, i);
                iovec.iov_base(iov, data.asSlice((long) i * maxSize, maxSize));
                MemorySegment hdr = mmsghdr.msg_hdr(mmsghdr.asSlice(msgs, i));
                msghdr.msg_name(hdr, names.asSlice(i * NAME_LEN, NAME_LEN));
                msghdr.msg_iov(hdr, iov);
                msghdr.msg_iovlen(hdr, 1);
            }
            msghdr.msg_name(sendMsg, sendName);
            msghdr.msg_iov(sendMsg, sendIov);
            msghdr.msg_iovlen(sendMsg, 1);
            s = LinuxSocket.socket(w.scratch, family, socket_h.SOCK_DGRAM);
            if (o.reuseAddress()) {
                LinuxSocket.setInt(w.scratch, s, socket_h.SOL_SOCKET, socket_h.SO_REUSEADDR, 1, "SO_REUSEADDR");
            }
            LinuxSocket.bind(w.scratch, s, local);
            localAddress = LinuxSocket.localAddress(w.scratch, s);
            fd = s;
            generation = w.addSource(fd, this, epoll_h.EPOLLIN);
            w.registerResource(this);
        } catch (IOException | RuntimeException e) {
            LinuxSocket.closeQuietly(w.state, s);
            arena.close();
            throw e;
        }
    }

    @Override
    public SocketAddress localAddress() {
        return localAddress;
    }

    @Override
    public void onEvents(int events) {
        int maxRounds = w.config.maxReadsPerWakeup();
        for (int round = 0; round < maxRounds && !closed; round++) {
            for (int i = 0; i < batch; i++) {
                MemorySegment m = mmsghdr.asSlice(msgs, i);
                MemorySegment hdr = mmsghdr.msg_hdr(m);
                msghdr.msg_namelen(hdr, (int) NAME_LEN);
                msghdr.msg_flags(hdr, 0);
                iovec.iov_len(iovec.asSlice(iovs, i), maxSize);
            }
            int n = socket_h.recvmmsg$critical(w.state, fd, msgs, batch, 0, MemorySegment.NULL);
            w.countSyscalls(1);
            if (n < 0) {
                int e = w.scratch.errno();
                if (e == errno_h.EAGAIN) {
                    return;
                }
                if (e == errno_h.EINTR) {
                    continue;
                }
                // E.g. ECONNREFUSED from an ICMP port unreachable for an earlier send: report, keep going.
                try {
                    handler.onError(this, Errno.exception("recvmmsg", e));
                } catch (RuntimeException ex) {
                    EpollWorker.log().warn("{}: onError threw", this, ex);
                }
                continue;
            }
            for (int i = 0; i < n && !closed; i++) {
                MemorySegment m = mmsghdr.asSlice(msgs, i);
                MemorySegment hdr = mmsghdr.msg_hdr(m);
                int len = mmsghdr.msg_len(m);
                boolean truncated = (msghdr.msg_flags(hdr) & socket_h.MSG_TRUNC) != 0;
                InetSocketAddress sender = sender(i, msghdr.msg_namelen(hdr));
                w.countRead(len);
                try {
                    handler.onDatagram(this, sender, view(i, Math.min(len, maxSize)), truncated);
                } catch (RuntimeException ex) {
                    EpollWorker.log().warn("{}: onDatagram threw", this, ex);
                }
            }
            if (n < batch) {
                return;
            }
        }
    }

    /** The payload of message {@code i}, {@code len} bytes: the slot's last view when it has that length. */
    private MemorySegment view(int i, int len) {
        MemorySegment v = views[i];
        if (v == null || v.byteSize() != len) {
            v = data.asSlice((long) i * maxSize, len);
            views[i] = v;
        }
        return v;
    }

    /** The sender of message {@code i}: the cached object when these address bytes were seen before. */
    private InetSocketAddress sender(int i, int len) {
        return addresses.read(names.asSlice(i * NAME_LEN, len), len);
    }

    /** Writes {@code to} as this socket's family wants it (checked by the caller); returns its length. */
    private int writeName(SocketAddress to, MemorySegment name) {
        return to instanceof InetSocketAddress in ? addresses.write(in, family == socket_h.AF_INET6, name)
                : SocketAddresses.write(to, name);
    }

    @Override
    public void send(SocketAddress to, MemorySegment bytes) throws IOException {
        w.checkInWorkerThread("UdpChannel.send");
        if (closed) {
            throw new dev.isthmus.stack.ConnectionClosedException(this + " is closed; send is not allowed");
        }
        w.epollStack.checkAddress(to, "destination", true, false);
        java.util.Objects.requireNonNull(bytes, "data");
        int nameLen = writeName(to, sendName);
        long len = bytes.byteSize();
        MemorySegment src = bytes;
        if (!bytes.isNative()) {
            if (len > 65535) {
                throw Errno.exception("sendmsg", errno_h.EMSGSIZE);
            }
            if (sendCopy == null) {
                sendCopy = arena.allocate(65535, 8);
            }
            MemorySegment.copy(bytes, 0, sendCopy, 0, len);
            src = sendCopy;
        }
        sendIov.set(ValueLayout.JAVA_LONG, iovec.iov_base$OFFSET, src.address());
        sendIov.set(ValueLayout.JAVA_LONG, iovec.iov_len$OFFSET, len);
        msghdr.msg_namelen(sendMsg, nameLen);
        long n;
        do {
            n = socket_h.sendmsg$critical(w.state, fd, sendMsg, 0);
            w.countSyscalls(1);
        } while (n < 0 && w.scratch.errno() == errno_h.EINTR);
        if (n < 0) {
            throw Errno.exception("sendmsg", w.scratch.errno());
        }
        w.countWrite(n);
    }

    /**
     * One sendmmsg(2) per {@link #SEND_BATCH} datagrams. Native segments are sent in place; a batch
     * with heap data goes one sendmsg each (through {@link #send(SocketAddress, MemorySegment)}), since
     * the kernel needs native memory and copying 64 datagrams would cost what batching saves.
     */
    @Override
    public int send(SocketAddress[] to, MemorySegment[] data, int count) throws IOException {
        w.checkInWorkerThread("UdpChannel.send");
        if (closed) {
            throw new dev.isthmus.stack.ConnectionClosedException(this + " is closed; send is not allowed");
        }
        if (count < 0 || count > to.length || count > data.length) {
            throw new IllegalArgumentException("count " + count + " does not fit arrays of " + to.length
                    + " addresses and " + data.length + " datagrams");
        }
        for (int i = 0; i < count; i++) {
            if (!java.util.Objects.requireNonNull(data[i], "data").isNative()) {
                return sendEach(to, data, count);
            }
        }
        if (sendMsgs == null) {
            sendMsgs = mmsghdr.allocateArray(SEND_BATCH, arena);
            sendIovs = iovec.allocateArray(SEND_BATCH, arena);
            sendNames = arena.allocate(NAME_LEN * SEND_BATCH, 8);
        }
        int sent = 0;
        while (sent < count) {
            int n = Math.min(SEND_BATCH, count - sent);
            for (int i = 0; i < n; i++) {
                SocketAddress a = to[sent + i];
                w.epollStack.checkAddress(a, "destination", true, false);
                MemorySegment name = sendNames.asSlice(i * NAME_LEN, NAME_LEN);
                int nameLen = writeName(a, name);
                MemorySegment iov = iovec.asSlice(sendIovs, i);
                iov.set(ValueLayout.JAVA_LONG, iovec.iov_base$OFFSET, data[sent + i].address());
                iov.set(ValueLayout.JAVA_LONG, iovec.iov_len$OFFSET, data[sent + i].byteSize());
                MemorySegment hdr = mmsghdr.msg_hdr(mmsghdr.asSlice(sendMsgs, i));
                msghdr.msg_name(hdr, name);
                msghdr.msg_namelen(hdr, nameLen);
                msghdr.msg_iov(hdr, iov);
                msghdr.msg_iovlen(hdr, 1);
            }
            int r;
            do {
                r = socket_h.sendmmsg$critical(w.state, fd, sendMsgs, n, 0);
                w.countSyscalls(1);
            } while (r < 0 && w.scratch.errno() == errno_h.EINTR);
            if (r < 0) {
                if (sent == 0) {
                    throw Errno.exception("sendmmsg", w.scratch.errno());
                }
                return sent;
            }
            for (int i = 0; i < r; i++) {
                w.countWrite(data[sent + i].byteSize());
            }
            sent += r;
            if (r < n) {
                return sent; // the kernel refused the next one: the next call reports why
            }
        }
        return sent;
    }

    /** On the worker; {@link AbstractUdpChannel#close()} brings it here from any thread. */
    @Override
    protected void closeOnWorker() {
        if (closed) {
            return;
        }
        closed = true;
        w.removeSource(fd, this);
        w.unregisterResource(this);
        LinuxSocket.closeQuietly(w.state, fd);
        arena.close();
    }

    @Override
    public String toString() {
        return "epoll udp " + localAddress;
    }
}
