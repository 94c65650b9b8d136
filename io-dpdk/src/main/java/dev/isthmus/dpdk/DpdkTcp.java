package dev.isthmus.dpdk;

import dev.isthmus.dpdk.net.Ipv4;
import dev.isthmus.dpdk.net.NetInterface;
import dev.isthmus.dpdk.port.Mbufs;
import dev.isthmus.dpdk.tcp.IsnGenerator;
import dev.isthmus.dpdk.tcp.TcpConfig;
import dev.isthmus.dpdk.tcp.TcpLayer;
import dev.isthmus.dpdk.tcp.TcpOutput;
import dev.isthmus.stack.spi.AbstractWorker;

import java.lang.foreign.MemorySegment;

/**
 * One dpdk worker's TCP: its {@link TcpLayer}, fed by the worker's {@link NetInterface} (protocol 6 and
 * ICMP errors about our segments), sending through it: each segment is built in place in an mbuf after
 * the Ethernet and IPv4 headers the interface writes ({@link NetInterface#beginDatagram}). Worker thread.
 */
final class DpdkTcp implements TcpOutput, NetInterface.TcpInput {
    private final NetInterface nif;
    private final TcpLayer layer;

    DpdkTcp(AbstractWorker worker, NetInterface nif, IsnGenerator isn) {
        this.nif = nif;
        this.layer = new TcpLayer(nif.config().address(), TcpConfig.defaults(nif.config().mtu()), this,
                worker.timers(), System::nanoTime, isn);
        nif.tcp(this);
    }

    TcpLayer layer() {
        return layer;
    }

    @Override
    public long allocate(int dstIp, int length) {
        return nif.beginDatagram(dstIp, Ipv4.PROTO_TCP, length, System.nanoTime());
    }

    @Override
    public MemorySegment segment() {
        return Mbufs.ALL; // the worker's frame sink hands out mbufs as offsets into all memory
    }

    @Override
    public void transmit() {
        nif.commitDatagram(System.nanoTime());
    }

    @Override
    public void segment(MemorySegment p, long at, int len, int src, int dst) {
        layer.input(p, at, len, src, dst);
    }

    @Override
    public void icmpError(int remoteIp, int remotePort, int localPort, int seq, boolean fragmentationNeeded, int mtu) {
        layer.icmpError(remoteIp, remotePort, localPort, seq, fragmentationNeeded, mtu);
    }
}
