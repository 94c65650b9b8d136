package dev.isthmus.dpdk;

import dev.isthmus.dpdk.net.NetInterface;
import dev.isthmus.dpdk.port.Mbufs;

import java.lang.foreign.MemorySegment;

/**
 * A worker's views of received UDP payloads, kept per payload address and length, so that steady traffic
 * reaches {@code DatagramHandler.onDatagram} without a copy and without an object per datagram.
 *
 * <p>Why a cache: the handler takes a {@link MemorySegment}, whose address and size are fixed when it is
 * made (a sealed, immutable type: no flyweight whose bounds could be moved per datagram), and the JIT
 * cannot remove the slice (the view escapes into the application's code). But a payload always sits at
 * one offset of its mbuf (the headers before it have fixed sizes) and a pool has a fixed set of mbufs, so
 * traffic of one size, the benchmark's and most protocols', meets the same (address, length) pairs again
 * and again: the first datagram of a size in an mbuf makes a view (40 bytes), later ones take it again.
 * Datagrams of ever-changing sizes still cost one view each, as before. A view is only an address and a
 * length over the global segment {@link Mbufs#ALL}; handing out the same one twice changes nothing for
 * the application, which may use it only during {@code onDatagram}.
 *
 * <p>An open-addressed table keyed by address and length, four times as many slots as the stack has
 * mbufs (every mbuf of every pool may reach a worker through hand-overs, and a peer's mbufs through a
 * ring cable), probed linearly over {@value #PROBE} slots; a miss takes the first empty slot of its
 * window, or replaces one of them when the window is full (traffic of many sizes: a view each, as without
 * the cache). Payloads that are not in an mbuf (a reassembled datagram) are sliced as usual.
 */
final class PayloadViews implements NetInterface.PayloadViews {
    static final int PROBE = 8;
    private final MemorySegment[] views;
    private final int mask;
    private final int shift;
    private long made;

    /** Views for payloads in up to {@code mbufs} mbufs. */
    PayloadViews(int mbufs) {
        int slots = Integer.highestOneBit(Math.max(1024, mbufs) * 4 - 1) << 1;
        views = new MemorySegment[slots];
        mask = slots - 1;
        shift = 64 - Integer.numberOfTrailingZeros(slots);
    }

    @Override
    public MemorySegment view(MemorySegment s, long at, int len) {
        if (s != Mbufs.ALL) {
            return s.asSlice(at, len);
        }
        // Fibonacci hashing of the address (Knuth, TAOCP vol. 3, 6.4): mbufs sit at a fixed stride, which
        // a plain modulo could map onto few slots.
        int h = (int) ((at * 0x9E3779B97F4A7C15L) >>> shift);
        int free = -1;
        for (int k = 0; k < PROBE; k++) {
            int i = (h + k) & mask;
            MemorySegment v = views[i];
            if (v == null) {
                free = free < 0 ? i : free;
            } else if (v.address() == at && v.byteSize() == len) {
                return v;
            }
        }
        MemorySegment v = Mbufs.ALL.asSlice(at, len);
        views[free >= 0 ? free : (h + (int) (made & (PROBE - 1))) & mask] = v;
        made++;
        return v;
    }

    /** Views made so far (a miss of the cache each); worker thread. */
    long made() {
        return made;
    }
}
