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
 * <p>Direct-mapped: {@value #SLOTS} entries indexed by the address's cache-line number; a collision
 * replaces the entry. Payloads that are not in an mbuf (a reassembled datagram) are sliced as usual.
 */
final class PayloadViews implements NetInterface.PayloadViews {
    /** Twice the default pool's 4095 mbufs: one slot per mbuf and size class in steady traffic. */
    static final int SLOTS = 8192;
    private final MemorySegment[] views = new MemorySegment[SLOTS];
    private long made;

    @Override
    public MemorySegment view(MemorySegment s, long at, int len) {
        if (s != Mbufs.ALL) {
            return s.asSlice(at, len);
        }
        // mbuf data rooms are 2 KiB apart: bits 6.. of the address spread them over the slots.
        int i = (int) ((at >>> 6) ^ (at >>> 19)) & (SLOTS - 1);
        MemorySegment v = views[i];
        if (v != null && v.address() == at && v.byteSize() == len) {
            return v;
        }
        made++;
        v = Mbufs.ALL.asSlice(at, len);
        views[i] = v;
        return v;
    }

    /** Views made so far (a miss of the cache each); worker thread. */
    long made() {
        return made;
    }
}
