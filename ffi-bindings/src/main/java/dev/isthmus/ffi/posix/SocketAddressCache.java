package dev.isthmus.ffi.posix;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetSocketAddress;

/**
 * The {@link InetSocketAddress} objects of a UDP channel's peers, both ways, so that a datagram from or
 * to a peer seen before allocates nothing: {@link SocketAddresses#readInet} builds an address, a holder
 * and a byte[] (about 100 bytes), and writing one copies its bytes out with {@code getAddress()}.
 *
 * <ul>
 *   <li>{@link #read}: the {@code sockaddr} the kernel filled in (recvmsg's {@code msg_name}) to the
 *       object for it, keyed by its bytes;</li>
 *   <li>{@link #write}: a destination object to its {@code sockaddr} bytes, keyed by identity, so an
 *       echo that answers the sender object it was given, or a client that reuses its target, encodes
 *       nothing.</li>
 * </ul>
 * Open addressing, {@value #SIZE} entries a side, a key looked for in {@value #PROBES} slots from its
 * hash; when all are taken the home slot is replaced: a miss costs a new object, never a wrong address.
 * One thread only (a worker's).
 */
public final class SocketAddressCache {
    /** Entries on each side (a power of two). */
    public static final int SIZE = 256;
    /** Slots looked at from a key's hash. */
    public static final int PROBES = 4;
    private static final int MASK = SIZE - 1;
    /** Room per key: a sockaddr_in6 is 28 bytes. */
    private static final int KEY = 32;
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED;

    private final MemorySegment readKeys = MemorySegment.ofArray(new byte[SIZE * KEY]);
    private final int[] readLengths = new int[SIZE];
    private final InetSocketAddress[] readValues = new InetSocketAddress[SIZE];

    private final InetSocketAddress[] writeKeys = new InetSocketAddress[SIZE];
    private final MemorySegment writeValues = MemorySegment.ofArray(new byte[SIZE * KEY]);
    private final int[] writeLengths = new int[SIZE];
    private final boolean[] writeAsInet6 = new boolean[SIZE];

    /**
     * The address in {@code name}, {@code length} bytes long (a sockaddr_in or sockaddr_in6), as
     * {@link SocketAddresses#readInet} reads it, from the cache when these bytes were seen before.
     */
    public InetSocketAddress read(MemorySegment name, int length) {
        if (length < 16 || length > KEY) {
            return SocketAddresses.readInet(name, length); // not an internet address: its error message
        }
        long a = name.get(LONG, 0);
        long b = name.get(LONG, 8);
        long c = length > 16 ? name.get(LONG, 16) : 0;
        long h = (a * 0x9E3779B97F4A7C15L) ^ (b * 0xC2B2AE3D27D4EB4FL) ^ (c * 0x165667B19E3779F9L) ^ length;
        int home = (int) (h ^ h >>> 29 ^ h >>> 47) & MASK;
        int free = home;
        for (int k = 0; k < PROBES; k++) {
            int i = (home + k) & MASK;
            InetSocketAddress v = readValues[i];
            if (v == null) {
                free = i;
                break;
            }
            long at = (long) i * KEY;
            if (readLengths[i] == length && MemorySegment.mismatch(name, 0, length, readKeys, at, at + length) == -1) {
                return v;
            }
        }
        InetSocketAddress v = SocketAddresses.readInet(name, length);
        MemorySegment.copy(name, 0, readKeys, (long) free * KEY, length);
        readLengths[free] = length;
        readValues[free] = v;
        return v;
    }

    /**
     * Writes {@code to} into {@code dst} as {@link SocketAddresses#writeInet} ({@code asInet6} false) or
     * {@link SocketAddresses#writeInet6} (true: for an AF_INET6 socket) would, and returns its length.
     */
    public int write(InetSocketAddress to, boolean asInet6, MemorySegment dst) {
        int h = System.identityHashCode(to);
        int home = (h ^ h >>> 16) & MASK;
        int free = home;
        for (int k = 0; k < PROBES; k++) {
            int i = (home + k) & MASK;
            InetSocketAddress key = writeKeys[i];
            if (key == to && writeAsInet6[i] == asInet6) {
                int len = writeLengths[i];
                MemorySegment.copy(writeValues, (long) i * KEY, dst, 0, len);
                return len;
            }
            if (key == null) {
                free = i;
                break;
            }
        }
        int len = asInet6 ? SocketAddresses.writeInet6(to, dst) : SocketAddresses.writeInet(to, dst);
        MemorySegment.copy(dst, 0, writeValues, (long) free * KEY, len);
        writeKeys[free] = to;
        writeLengths[free] = len;
        writeAsInet6[free] = asInet6;
        return len;
    }
}
