package dev.isthmus.dpdk;

import dev.isthmus.dpdk.net.DropReason;
import dev.isthmus.dpdk.net.Wire;
import dev.isthmus.stack.DatagramHandler;
import dev.isthmus.stack.UdpOptions;
import dev.isthmus.stack.spi.AbstractUdpChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.net.BindException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.SocketAddress;
import java.nio.channels.ClosedChannelException;

/**
 * A UDP socket of the dpdk stack, bound to one port of the stack's address and living on one worker.
 * Received payloads are views of the mbuf's data (valid during {@code onDatagram}, then the mbuf goes back
 * to its pool with the rest of the burst); sent datagrams are built straight into mbufs that leave with
 * the worker's next tx burst, so a batch of sends costs one burst.
 */
final class DpdkUdpChannel extends AbstractUdpChannel {
    private static final Logger LOG = LoggerFactory.getLogger(DpdkUdpChannel.class);

    private final DpdkWorker w;
    private final DatagramHandler handler;
    private final int maxSize;
    private final int port;
    private final InetSocketAddress local;
    /** Set on the worker by {@link #closeOnWorker()}; {@link #isCloseRequested()} is the any-thread view. */
    private boolean closed;
    private final UdpAddressCache addresses = new UdpAddressCache();

    /** Binds {@code port} (0: ephemeral); on the worker thread. */
    DpdkUdpChannel(DpdkWorker w, int port, UdpOptions o, DatagramHandler handler) throws IOException {
        super(w);
        this.w = w;
        this.handler = handler;
        this.maxSize = o.maxDatagramSize();
        int p = w.dpdkStack().bindUdp(port, this);
        if (p < 0) {
            throw new BindException("bind UDP port " + port + ": EADDRINUSE"
                    + (port == 0 ? " (no ephemeral port left)" : ""));
        }
        this.port = p;
        this.local = new InetSocketAddress(
                InetAddress.getByAddress(Wire.ipBytes(w.dpdkStack().dpdkOptions().net().address())), p);
        w.registerResource(this);
    }

    @Override
    public SocketAddress localAddress() {
        return local;
    }

    @Override
    public void send(SocketAddress to, MemorySegment data) throws IOException {
        w.checkInWorkerThread("UdpChannel.send");
        if (isCloseRequested()) {
            throw new ClosedChannelException();
        }
        if (!(to instanceof InetSocketAddress in) || in.isUnresolved() || !(in.getAddress() instanceof Inet4Address)
                || in.getPort() == 0) {
            throw new IllegalArgumentException("destination " + to + " must be a resolved IPv4 InetSocketAddress with a port");
        }
        int dst = addresses.ipOf(in);
        DropReason why = w.netInterface().sendUdp(port, dst, in.getPort(), data, System.nanoTime());
        if (why == null || why == DropReason.ARP_UNRESOLVED) {
            // Queued for ARP, or over the ARP queue's bound: the kernel also reports success for the
            // latter (the neighbour queue drops silently).
            w.countWrite(data.byteSize());
            return;
        }
        switch (why) {
            case TX_TOO_BIG -> throw new IOException("send: EMSGSIZE: " + data.byteSize()
                    + " bytes exceed the 65507 bytes of a UDP datagram");
            case TX_NO_ROUTE -> throw new NoRouteToHostException("send to " + in + ": ENETUNREACH: off the subnet and no "
                    + DpdkOptions.GATEWAY + " set");
            case TX_NO_BUFFER -> throw new IOException("send: ENOBUFS: no mbuf left in the pool ("
                    + DpdkOptions.MBUFS + ")");
            default -> throw new IOException("send: dropped: " + why);
        }
    }

    /** A datagram for this channel, on its worker thread. */
    void deliver(int src, int srcPort, MemorySegment payload) {
        if (isCloseRequested()) {
            return;
        }
        InetSocketAddress sender = addresses.sender(src, srcPort);
        long len = payload.byteSize();
        boolean truncated = len > maxSize;
        w.countRead(len);
        try {
            handler.onDatagram(this, sender, truncated ? payload.asSlice(0, maxSize) : payload, truncated);
        } catch (RuntimeException e) {
            LOG.warn("{}: onDatagram threw", this, e);
        }
    }

    /** AbstractUdpChannel's close, on the channel's worker once: the port is free again when it has run. */
    @Override
    protected void closeOnWorker() {
        if (closed) {
            return;
        }
        closed = true;
        w.dpdkStack().unbindUdp(port, this);
        w.unregisterResource(this);
    }

    @Override
    public String toString() {
        return "DpdkUdpChannel[" + local + ", worker " + w.index() + (isCloseRequested() ? ", closed" : "") + "]";
    }
}
