package dev.isthmus.dpdk;

import dev.isthmus.dpdk.net.Wire;
import dev.isthmus.dpdk.tcp.CloseReason;
import dev.isthmus.dpdk.tcp.Tcb;
import dev.isthmus.dpdk.tcp.TcbEvents;
import dev.isthmus.dpdk.tcp.TcpLayer;
import dev.isthmus.dpdk.tcp.TcpListener;
import dev.isthmus.stack.ConnectionHandler;
import dev.isthmus.stack.ConnectionHandlerFactory;
import dev.isthmus.stack.ListenOptions;
import dev.isthmus.stack.buffer.OutboundChain;
import dev.isthmus.stack.spi.AbstractListener;

import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * A TCP listener of the dpdk stack: the port listens on every worker's {@link TcpLayer}, because the NIC
 * (RSS) or the hash of the 4-tuple decides which worker a flow's SYN reaches, and that worker keeps the
 * flow for life. Each worker's {@link Socket} admits SYNs up to the backlog of half-open connections and
 * makes the connection, with a handler from the factory, when the handshake completes.
 */
final class DpdkTcpListener extends AbstractListener<DpdkTcpListener.Socket> {
    private final InetSocketAddress local;
    private final ConnectionHandlerFactory handlers;
    private final int backlog;
    private final java.util.Map<java.net.SocketOption<?>, Object> socketOptions;

    DpdkTcpListener(DpdkNetworkStack stack, InetSocketAddress local, ListenOptions o, ConnectionHandlerFactory handlers) {
        super(stack);
        this.local = local;
        this.handlers = handlers;
        this.backlog = o.backlog();
        this.socketOptions = o.socketOptions();
    }

    void add(DpdkWorker w) {
        Socket s = new Socket(w);
        addSocket(w, s);
    }

    Socket socketOf(int i) {
        return listeningSockets().get(i);
    }

    @Override
    protected void closeSocket(Socket s) {
        s.w.tcp().layer().unlisten(local.getPort(), s);
    }

    @Override
    protected void afterCloseWaited(dev.isthmus.stack.spi.AbstractWorker worker) {
        ((DpdkNetworkStack) networkStack()).tcpPortClosed(local.getPort());
    }

    @Override
    public SocketAddress localAddress() {
        return local;
    }

    /** The listening port on one worker, and the TCBs it made that are still in the handshake. */
    final class Socket implements TcpListener, TcbEvents {
        final DpdkWorker w;
        /** Never written: the outbound chain of a TCB before its connection exists. */
        private final OutboundChain none;
        private int halfOpen;

        Socket(DpdkWorker w) {
            this.w = w;
            this.none = new OutboundChain(w.bufferPool());
        }

        void register() {
            w.tcp().layer().listen(local.getPort(), this);
        }

        @Override
        public boolean admits() {
            return halfOpen < backlog;
        }

        @Override
        public Tcb newTcb(TcpLayer layer, int localPort, int remoteIp, int remotePort, int iss) {
            halfOpen++;
            return layer.newTcb(localPort, remoteIp, remotePort, iss, this, none);
        }

        @Override
        public void onEstablished(Tcb t) {
            halfOpen--;
            try {
                InetSocketAddress ours = new InetSocketAddress(InetAddress.getByAddress(Wire.ipBytes(t.localIp())), t.localPort());
                InetSocketAddress peer = new InetSocketAddress(InetAddress.getByAddress(Wire.ipBytes(t.remoteIp())), t.remotePort());
                ConnectionHandler h = handlers.newHandler();
                DpdkConnection c = new DpdkConnection(w, h, ours, peer);
                c.bind(t);
                t.rebind(c, c.chain());
                for (var e : socketOptions.entrySet()) {
                    setOption(c, e.getKey(), e.getValue());
                }
                w.countAccepted();
                c.open();
            } catch (java.io.IOException | RuntimeException e) {
                t.abort();
            }
        }

        @SuppressWarnings("unchecked")
        private static <T> void setOption(DpdkConnection c, java.net.SocketOption<T> o, Object v) throws java.io.IOException {
            c.setOption(o, (T) v);
        }

        @Override
        public void onData(Tcb t, MemorySegment packet, long offset, int length) {
            throw new IllegalStateException("data before the handshake completed");
        }

        @Override
        public void onAcknowledged(Tcb t, long bytes) {
        }

        @Override
        public void onPeerFin(Tcb t) {
        }

        @Override
        public void onClosed(Tcb t, CloseReason reason) {
            halfOpen--; // reset or timed out in SYN_RECEIVED
        }
    }
}
