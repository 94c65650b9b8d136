package dev.isthmus.stack.nio;

import dev.isthmus.stack.DatagramHandler;
import dev.isthmus.stack.UdpOptions;
import dev.isthmus.stack.spi.AbstractUdpChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;

/**
 * A UDP socket on a {@link DatagramChannel}. {@code receive} silently drops what does not fit, so the
 * receive buffer is one byte longer than {@link UdpOptions#maxDatagramSize()}: a datagram that fills it was
 * longer than allowed and is delivered cut, with {@code truncated} set.
 */
final class NioUdpChannel extends AbstractUdpChannel implements NioSelectable {
    private static final Logger LOG = LoggerFactory.getLogger(NioUdpChannel.class);
    private static final int MAX_RECEIVES_PER_EVENT = 64;

    private final NioWorker worker;
    private final DatagramChannel ch;
    private final DatagramHandler handler;
    private final int max;
    private final SocketAddress localAddress;
    private final Arena arena;
    private final MemorySegment receiveSegment;
    private final ByteBuffer receiveBuffer;
    private final SelectionKey key;
    private volatile boolean closed;

    /** On the worker thread: {@code ch} is bound and non-blocking. */
    NioUdpChannel(NioWorker worker, DatagramChannel ch, UdpOptions options, DatagramHandler handler) throws IOException {
        super(worker);
        this.worker = worker;
        this.ch = ch;
        this.handler = handler;
        this.max = options.maxDatagramSize();
        this.localAddress = ch.getLocalAddress();
        // Confined to the worker thread, freed when the channel closes.
        this.arena = Arena.ofConfined();
        this.receiveSegment = arena.allocate(max + 1);
        this.receiveBuffer = receiveSegment.asByteBuffer();
        this.key = ch.register(worker.selector(), SelectionKey.OP_READ, this);
        worker.registerResource(this);
    }

    @Override
    public SocketAddress localAddress() {
        return localAddress;
    }

    @Override
    public void ready(int readyOps) {
        for (int i = 0; i < MAX_RECEIVES_PER_EVENT && !closed; i++) {
            receiveBuffer.clear();
            SocketAddress from;
            try {
                from = ch.receive(receiveBuffer);
            } catch (IOException e) {
                try {
                    handler.onError(this, NioConnection.named("recvfrom", e));
                } catch (RuntimeException re) {
                    LOG.warn("{}: onError threw", this, re);
                }
                return;
            } finally {
                worker.countSyscalls(1);
            }
            if (from == null) {
                return;
            }
            int len = receiveBuffer.position();
            worker.countRead(len);
            boolean truncated = len > max;
            try {
                handler.onDatagram(this, (InetSocketAddress) from, receiveSegment.asSlice(0, truncated ? max : len), truncated);
            } catch (RuntimeException e) {
                LOG.warn("{}: onDatagram threw", this, e);
            }
        }
    }

    @Override
    public void send(SocketAddress to, MemorySegment data) throws IOException {
        worker.checkInWorkerThread("UdpChannel.send");
        worker.networkStack().checkAddress(to, "send", true, false);
        if (isCloseRequested()) {
            throw new IOException("sendto: the UDP channel on " + localAddress + " is closed");
        }
        int n;
        try {
            n = ch.send(data.asByteBuffer(), to);
        } catch (IOException e) {
            throw NioConnection.named("sendto", e);
        } finally {
            worker.countSyscalls(1);
        }
        if (n == 0 && data.byteSize() > 0) {
            throw new IOException("sendto: EAGAIN: the socket's send buffer is full; datagram of "
                    + data.byteSize() + " bytes not sent");
        }
        worker.countWrite(n);
    }

    @Override
    protected void afterCloseWaited() {
        worker.deregisterCancelledKeys();
    }

    @Override
    protected void closeOnWorker() {
        if (closed) {
            return;
        }
        closed = true;
        worker.unregisterResource(this);
        key.cancel();
        NioNetworkStack.closeQuietly(ch);
        arena.close();
    }

    @Override
    public String toString() {
        return "UDP channel on " + localAddress;
    }
}
