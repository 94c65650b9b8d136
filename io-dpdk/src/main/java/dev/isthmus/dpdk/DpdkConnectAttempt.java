package dev.isthmus.dpdk;

import dev.isthmus.dpdk.net.Wire;
import dev.isthmus.dpdk.tcp.CloseReason;
import dev.isthmus.dpdk.tcp.Tcb;
import dev.isthmus.dpdk.tcp.TcpLayer;
import dev.isthmus.dpdk.tcp.TcpState;
import dev.isthmus.stack.Connection;
import dev.isthmus.stack.ConnectOptions;
import dev.isthmus.stack.ConnectionHandler;
import dev.isthmus.stack.spi.AbstractConnectAttempt;

import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.util.concurrent.CompletableFuture;

/**
 * An active open on a dpdk worker: a local port whose flow lands on this worker (the stack's
 * {@link dev.isthmus.stack.spi.FlowPlacement}, as Seastar's {@code hash2cpu}), a TCB in SYN_SENT, and the
 * connection handed over once the handshake completes.
 */
final class DpdkConnectAttempt extends AbstractConnectAttempt {
    private final DpdkWorker w;
    private DpdkConnection connection;

    DpdkConnectAttempt(DpdkWorker w, InetSocketAddress remote, ConnectOptions options, ConnectionHandler handler,
                       CompletableFuture<Connection> future) {
        super(w, remote, options, handler, future);
        this.w = w;
    }

    @Override
    protected void begin() throws IOException {
        InetSocketAddress r = (InetSocketAddress) remote();
        int remoteIp = Wire.ip(r.getAddress().getAddress());
        int ourIp = w.netInterface().config().address();
        TcpLayer layer = w.tcp().layer();
        InetSocketAddress asked = (InetSocketAddress) options().localAddress();
        if (asked != null && !asked.getAddress().isAnyLocalAddress() && Wire.ip(asked.getAddress().getAddress()) != ourIp) {
            throw new BindException("bind(" + asked + "): EADDRNOTAVAIL: the dpdk stack's address is " + Wire.ipToString(ourIp));
        }
        int localPort = asked != null ? asked.getPort() : 0;
        if (localPort == 0) {
            // Always a port whose replies hash to this worker (RssPlacement: the Toeplitz hash of the reply's
            // 4-tuple, so our own address goes in), which is where steering delivers them. With portPerWorker
            // also one with port % workers == worker, as ConnectOptions promises, so that a server using
            // AcceptStrategy.PORT (on any stack) keeps the flow on the same worker number.
            InetSocketAddress ours = new InetSocketAddress(InetAddress.getByAddress(Wire.ipBytes(ourIp)), 0);
            int workers = w.dpdkStack().workerCount();
            for (int p : w.networkStack().flowPlacement().connectPorts(w.index(), ours, r, PORT_CANDIDATES)) {
                if (p >= 1024 && (!options().portPerWorker() || p % workers == w.index())
                        && !layer.inUse(p, remoteIp, r.getPort()) && !w.dpdkStack().tcpPortListening(p)) {
                    localPort = p;
                    break;
                }
            }
            if (localPort == 0) {
                throw new BindException("bind: no free local port that lands on worker " + w.index() + " after "
                        + PORT_CANDIDATES + " tries");
            }
        } else if (layer.inUse(localPort, remoteIp, r.getPort())) {
            throw new BindException("bind(" + asked + "): EADDRINUSE (Address already in use)");
        } else if (w.dpdkStack().workerCount() > 1
                && w.dpdkStack().rss().workerV4(remoteIp, ourIp, r.getPort(), localPort) != w.index()) {
            // The stack runs a fixed-port connect on the owner unless a worker was asked for (DpdkNetworkStack).
            throw new BindException("bind(" + asked + "): replies from " + r + " to port " + localPort
                    + " land on worker " + w.dpdkStack().rss().workerV4(remoteIp, ourIp, r.getPort(), localPort)
                    + ", not on the requested worker " + w.index());
        }
        InetSocketAddress local = new InetSocketAddress(InetAddress.getByAddress(Wire.ipBytes(ourIp)), localPort);
        connection = new DpdkConnection(w, handler(), local, r);
        connection.attempt = this;
        Tcb tcb = layer.newTcb(localPort, remoteIp, r.getPort(), layer.isn(localPort, remoteIp, r.getPort()),
                connection, connection.chain());
        connection.bind(tcb);
        for (var e : options().socketOptions().entrySet()) {
            setOption(connection, e.getKey(), e.getValue());
        }

        armTimeout();
        layer.connect(tcb); // the SYN leaves with the worker's next tx burst
    }

    @SuppressWarnings("unchecked")
    private static <T> void setOption(DpdkConnection c, java.net.SocketOption<T> o, Object v) throws IOException {
        c.setOption(o, (T) v);
    }

    /** The handshake completed. */
    void connected(DpdkConnection c) {
        if (isDone()) {
            c.tcb().abort(); // cancelled or timed out meanwhile
            return;
        }
        established();
        c.open();
        if (!deliver(c)) {
            c.abort();
        }
    }

    /** The TCB closed before the handshake completed. */
    void failedWith(CloseReason reason) {
        InetSocketAddress r = (InetSocketAddress) remote();
        fail(switch (reason) {
            case REFUSED, RESET -> new ConnectException("connect(" + r + "): ECONNREFUSED (Connection refused)");
            case UNREACHABLE -> new NoRouteToHostException("connect(" + r + "): EHOSTUNREACH (No route to host)");
            case TIMED_OUT -> timeoutException();
            default -> new ConnectException("connect(" + r + "): closed (" + reason + ")");
        });
    }

    @Override
    protected void release() {
        if (connection != null) {
            connection.attempt = null;
            if (connection.tcb() != null && connection.tcb().state() != TcpState.CLOSED) {
                connection.tcb().abort();
            }
        }
    }
}
