package dev.isthmus.dpdk;

import dev.isthmus.dpdk.net.Wire;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * The {@link InetSocketAddress} objects a UDP channel hands to its handler and receives back, cached so
 * that a datagram from a peer seen before costs no allocation either way: the facade's handler takes the
 * sender as an object, and building one (address, holder, byte[]) is about 100 bytes. Open addressing on
 * both sides, {@value #SIZE} entries each, a key looked for in {@value #PROBES} slots from its hash (a
 * direct-mapped table let two of 16 flows share a slot often enough to cost 18 B per datagram); when all
 * are taken the home slot is replaced: a miss only costs a new object, never a wrong address.
 *
 * <ul>
 *   <li>{@link #sender}: (IPv4, port) of a received datagram to the object for it;</li>
 *   <li>{@link #ipOf}: a destination object to its IPv4 address as an int, keyed by identity, so an echo
 *       that answers the sender object it was given (or a client that reuses its target) reads no
 *       {@code InetAddress.getAddress()} copy.</li>
 * </ul>
 * Worker thread only, like the channel's send and deliver.
 */
final class UdpAddressCache {
    static final int SIZE = 256;
    private static final int MASK = SIZE - 1;
    static final int PROBES = 4;

    private final int[] senderIps = new int[SIZE];
    private final int[] senderPorts = new int[SIZE];
    private final InetSocketAddress[] senders = new InetSocketAddress[SIZE];
    private final InetSocketAddress[] destinations = new InetSocketAddress[SIZE];
    private final int[] destinationIps = new int[SIZE];

    /** The object for {@code ip:port}: the cached one, or a new one that takes a free or its home slot. */
    InetSocketAddress sender(int ip, int port) {
        int home = slot(ip, port);
        int free = home;
        for (int k = 0; k < PROBES; k++) {
            int i = (home + k) & MASK;
            InetSocketAddress a = senders[i];
            if (a == null) {
                free = i;
                break;
            }
            if (senderIps[i] == ip && senderPorts[i] == port) {
                return a;
            }
        }
        InetSocketAddress a;
        try {
            a = new InetSocketAddress(InetAddress.getByAddress(Wire.ipBytes(ip)), port);
        } catch (UnknownHostException e) {
            throw new AssertionError("4 bytes are always an address", e);
        }
        senders[free] = a;
        senderIps[free] = ip;
        senderPorts[free] = port;
        return a;
    }

    /** The IPv4 address of {@code to} (resolved, IPv4: the caller checked) as an int. */
    int ipOf(InetSocketAddress to) {
        int h = System.identityHashCode(to);
        int home = (h ^ h >>> 16) & MASK;
        int free = home;
        for (int k = 0; k < PROBES; k++) {
            int i = (home + k) & MASK;
            InetSocketAddress d = destinations[i];
            if (d == to) {
                return destinationIps[i];
            }
            if (d == null) {
                free = i;
                break;
            }
        }
        int ip = Wire.ip(to.getAddress().getAddress());
        destinations[free] = to;
        destinationIps[free] = ip;
        return ip;
    }

    private static int slot(int ip, int port) {
        int h = ip * 0x9E3779B9 ^ port * 0x85EBCA6B;
        return (h ^ h >>> 16) & MASK;
    }
}
