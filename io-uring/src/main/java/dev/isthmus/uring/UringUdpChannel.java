package dev.isthmus.uring;

import dev.isthmus.ffi.CallState;
import dev.isthmus.ffi.Errno;
import dev.isthmus.ffi.posix.SocketAddressCache;
import dev.isthmus.ffi.posix.SocketAddresses;
import dev.isthmus.ffi.posix.errno_h;
import dev.isthmus.ffi.posix.iovec;
import dev.isthmus.ffi.posix.msghdr;
import dev.isthmus.ffi.posix.socket_h;
import dev.isthmus.linux.socket.LinuxSocket;
import dev.isthmus.stack.DatagramHandler;
import dev.isthmus.stack.UdpChannel;
import dev.isthmus.stack.UdpOptions;
import dev.isthmus.stack.spi.AbstractNetworkStack;
import dev.isthmus.stack.spi.AbstractUdpChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Objects;

/**
 * A UDP socket on one worker: an IORING_OP_RECVMSG is kept armed into a buffer of
 * {@link UdpOptions#maxDatagramSize()} bytes (MSG_TRUNC in msg_flags marks a longer datagram);
 * {@link #send} is a synchronous non-blocking sendmsg(2), so its error (EMSGSIZE, ECONNREFUSED from an
 * earlier ICMP) reaches the caller as the API promises.
 */
final class UringUdpChannel extends AbstractUdpChannel implements Completable {
    private static final Logger LOG = LoggerFactory.getLogger(UringUdpChannel.class);

    private final UringWorker w;
    private final int fd;
    private final SocketAddress local;
    private final UdpOptions options;
    private final DatagramHandler handler;
    private Arena arena;
    private MemorySegment buf;
    private MemorySegment name;
    private MemorySegment msg;
    private MemorySegment sendName;
    /** Peers' address objects both ways: nothing allocated per datagram for a peer seen before. */
    private final SocketAddressCache addresses = new SocketAddressCache();
    private MemorySegment lastView;
    private MemorySegment sendMsg;
    private MemorySegment sendIov;
    private MemorySegment sendBuf;
    private int slot;
    private int generation;
    private boolean armed;
    private boolean closing;
    private boolean finished;
    private volatile boolean open = true;

    private UringUdpChannel(UringWorker w, int fd, SocketAddress local, UdpOptions options, DatagramHandler handler) {
        super(w);
        this.w = w;
        this.fd = fd;
        this.local = local;
        this.options = options;
        this.handler = handler;
    }

    static UringUdpChannel open(UringNetworkStack stack, SocketAddress local, UdpOptions o, DatagramHandler h)
            throws IOException {
        UringWorker w = (UringWorker) stack.chooseWorker(o.worker());
        int fd;
        SocketAddress bound;
        try (Arena a = Arena.ofConfined()) {
            LinuxSocket.Scratch s = new LinuxSocket.Scratch(a);
            fd = LinuxSocket.socket(s, SocketAddresses.family(local), socket_h.SOCK_DGRAM);
            try {
                if (o.reuseAddress()) {
                    LinuxSocket.setInt(s, fd, socket_h.SOL_SOCKET, socket_h.SO_REUSEADDR, 1, "SO_REUSEADDR");
                }
                LinuxSocket.bind(s, fd, local);
                bound = LinuxSocket.localAddress(s, fd);
            } catch (IOException | RuntimeException e) {
                LinuxSocket.closeQuietly(s.state, fd);
                throw e;
            }
        }
        UringUdpChannel c = new UringUdpChannel(w, fd, bound, o, h);
        AbstractNetworkStack.runAndWait(w, c::start);
        return c;
    }

    private void start() {
        arena = Arena.ofConfined();
        buf = arena.allocate(options.maxDatagramSize(), 8);
        name = arena.allocate(SocketAddresses.MAX_LENGTH, 8);
        msg = msghdr.allocate(arena);
        MemorySegment iov = iovec.allocate(arena);
        iovec.iov_base(iov, buf);
        iovec.iov_len(iov, buf.byteSize());
        msghdr.msg_iov(msg, iov);
        msghdr.msg_iovlen(msg, 1);
        sendName = arena.allocate(SocketAddresses.MAX_LENGTH, 8);
        sendMsg = msghdr.allocate(arena);
        sendIov = iovec.allocate(arena);
        sendBuf = arena.allocate(65536, 8);
        msghdr.msg_iov(sendMsg, sendIov);
        msghdr.msg_iovlen(sendMsg, 1);
        msghdr.msg_name(sendMsg, sendName);
        slot = w.allocateSlot(this);
        generation = w.generation(slot);
        w.registerResource(this);
        arm();
    }

    private void arm() {
        if (armed || closing) {
            return;
        }
        msghdr.msg_name(msg, name);
        msghdr.msg_namelen(msg, SocketAddresses.MAX_LENGTH);
        msghdr.msg_flags(msg, 0);
        long o = w.sqe();
        w.sq().recvmsg(o, fd, msg.address(), 0, UserData.pack(UserData.OP_RECVMSG, slot, generation));
        armed = true;
    }

    @Override
    public void complete(int op, int res, int flags) {
        if (op == UserData.OP_CANCEL) {
            maybeFinish();
            return;
        }
        armed = false;
        if (res >= 0 && !closing) {
            boolean truncated = (msghdr.msg_flags(msg) & socket_h.MSG_TRUNC) != 0;
            InetSocketAddress sender = addresses.read(name, msghdr.msg_namelen(msg));
            w.countRead(res);
            try {
                handler.onDatagram(this, sender, view((int) Math.min(res, buf.byteSize())), truncated);
            } catch (RuntimeException e) {
                LOG.warn("{}: onDatagram threw", this, e);
            }
        } else if (res < 0 && !closing && res != -errno_h.ECANCELED) {
            try {
                handler.onError(this, Errno.exception("recvmsg", -res));
            } catch (RuntimeException e) {
                LOG.warn("{}: onError threw", this, e);
            }
        }
        arm();
        maybeFinish();
    }

    /**
     * A read-only view of the first {@code len} bytes of the receive buffer: the last one again when the
     * length is the same (steady traffic of one size makes no object per datagram; the view escapes into
     * the handler, so the JIT cannot remove the slice).
     */
    private MemorySegment view(int len) {
        MemorySegment v = lastView;
        if (v == null || v.byteSize() != len) {
            v = buf.asSlice(0, len).asReadOnly();
            lastView = v;
        }
        return v;
    }

    @Override
    public SocketAddress localAddress() {
        return local;
    }

    @Override
    public void send(SocketAddress to, MemorySegment data) throws IOException {
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(data, "data");
        w.checkInWorkerThread("UdpChannel.send");
        if (closing) {
            throw new IOException("sendmsg: the channel is closed");
        }
        if (data.byteSize() > 65535) {
            throw new IllegalArgumentException("a datagram holds at most 65535 bytes, was " + data.byteSize());
        }
        int len = to instanceof InetSocketAddress in ? addresses.write(in, false, sendName) : SocketAddresses.write(to, sendName);
        msghdr.msg_namelen(sendMsg, len);
        MemorySegment src = data;
        if (!data.isNative()) {
            MemorySegment.copy(data, 0, sendBuf, 0, data.byteSize());
            src = sendBuf;
        }
        iovec.iov_base(sendIov, src);
        iovec.iov_len(sendIov, data.byteSize());
        CallState st = w.callState();
        long r = socket_h.sendmsg(st.segment(), fd, sendMsg, socket_h.MSG_DONTWAIT | socket_h.MSG_NOSIGNAL);
        if (r < 0) {
            throw Errno.exception("sendmsg", st.errno());
        }
        w.countWrite(r);
    }

    /** On the worker; {@link AbstractUdpChannel#close()} brings it here from any thread, never waiting worker on worker. */
    @Override
    protected void closeOnWorker() {
        if (!open) {
            return;
        }
        open = false;
        closing = true;
        w.unregisterResource(this);
        if (armed) {
            long o = w.sqe();
            w.sq().cancelFd(o, fd, UserData.pack(UserData.OP_CANCEL, slot, generation));
        }
        maybeFinish();
    }

    private void maybeFinish() {
        if (finished || !closing || armed) {
            return;
        }
        finished = true;
        LinuxSocket.closeQuietly(w.scratch().state, fd);
        w.freeSlot(slot);
        arena.close();
    }

    @Override
    public String toString() {
        return "io_uring udp " + local;
    }
}
