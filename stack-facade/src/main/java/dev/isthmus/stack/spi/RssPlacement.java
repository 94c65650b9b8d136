package dev.isthmus.stack.spi;

import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A userspace stack's placement: a flow belongs to the worker whose receive queue an RSS NIC would
 * deliver it to. The NIC computes the {@link ToeplitzHash} of the received packet's 4-tuple and looks
 * its low bits up in a redirection table (RETA) of queue numbers; the table here is the drivers' default
 * spread, entry {@code i} → queue {@code i % workers}. A software stack computes the same, so accept
 * never moves a flow, and {@code connect} picks a local port whose replies hash to the calling worker.
 */
public final class RssPlacement implements FlowPlacement {
    /** 128 entries, the RETA size of many NICs (e.g. ixgbe's 82599; rte_eth_dev_info.reta_size). */
    public static final int RETA_SIZE = 128;

    private final ToeplitzHash hash;
    private final int workers;
    private final int[] reta = new int[RETA_SIZE];

    /** Placement over {@code workers} workers (1 .. {@value #RETA_SIZE}) with {@code hash}. */
    public RssPlacement(ToeplitzHash hash, int workers) {
        if (workers < 1 || workers > RETA_SIZE) {
            throw new IllegalArgumentException("workers must be 1.." + RETA_SIZE + ", was " + workers);
        }
        this.hash = hash;
        this.workers = workers;
        for (int i = 0; i < RETA_SIZE; i++) {
            reta[i] = i % workers;
        }
    }

    /** The worker for an IPv4 4-tuple given as host-order ints (allocation-free, per packet). */
    public int workerV4(int srcAddr, int dstAddr, int srcPort, int dstPort) {
        return reta[hash.hashV4(srcAddr, dstAddr, srcPort, dstPort) & (RETA_SIZE - 1)];
    }

    @Override
    public int inboundWorker(InetSocketAddress remote, InetSocketAddress local) {
        return reta[hash.hash(remote, local) & (RETA_SIZE - 1)];
    }

    @Override
    public int[] connectPorts(int worker, InetSocketAddress local, InetSocketAddress remote, int max) {
        if (worker < 0 || worker >= workers) {
            throw new IllegalArgumentException("need 0 <= worker < " + workers + ", was " + worker);
        }
        if (local.getAddress().isAnyLocalAddress()) {
            throw new IllegalArgumentException("RSS placement needs the local address the flow will use, not "
                    + local.getAddress());
        }
        int low = PortPerWorker.low();
        int count = PortPerWorker.high() - low + 1;
        int start = ThreadLocalRandom.current().nextInt(count);
        int[] out = new int[Math.min(max, count)];
        int n = 0;
        boolean v4 = remote.getAddress() instanceof Inet4Address;
        int r = v4 ? ToeplitzHash.toInt(remote.getAddress().getAddress()) : 0;
        int l = v4 ? ToeplitzHash.toInt(local.getAddress().getAddress()) : 0;
        for (int i = 0; i < count && n < out.length; i++) {
            int port = low + (start + i) % count;
            // The reply's tuple: from the remote to us.
            int w = v4 ? workerV4(r, l, remote.getPort(), port)
                    : inboundWorker(remote, new InetSocketAddress(local.getAddress(), port));
            if (w == worker) {
                out[n++] = port;
            }
        }
        return n == out.length ? out : java.util.Arrays.copyOf(out, n);
    }

    @Override
    public String toString() {
        return "RSS placement (Toeplitz, " + RETA_SIZE + "-entry table over " + workers + " workers)";
    }
}
