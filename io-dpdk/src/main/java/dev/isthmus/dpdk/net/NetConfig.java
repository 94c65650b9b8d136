package dev.isthmus.dpdk.net;

/**
 * One interface's IPv4 configuration.
 *
 * @param address      our address
 * @param prefixLength the netmask as a prefix length, 1..32
 * @param gateway      the default router, or 0 for none (then only the local subnet is reachable)
 * @param mtu          the largest IP packet sent unfragmented, 68..9000 (RFC 791's minimum is 68)
 */
public record NetConfig(int address, int prefixLength, int gateway, int mtu) {
    /** Checks the values; throws IllegalArgumentException saying which is wrong. */
    public NetConfig {
        if (prefixLength < 1 || prefixLength > 32) {
            throw new IllegalArgumentException("netmask prefix length must be 1..32, was " + prefixLength);
        }
        if (mtu < 68 || mtu > 9000) {
            throw new IllegalArgumentException("MTU must be 68..9000 bytes, was " + mtu);
        }
        if (address == 0 || address == -1) {
            throw new IllegalArgumentException("address " + Wire.ipToString(address) + " cannot be a host's address");
        }
        int mask = mask(prefixLength);
        if (prefixLength < 31 && ((address & ~mask) == 0 || (address & ~mask) == ~mask)) {
            throw new IllegalArgumentException("address " + Wire.ipToString(address) + "/" + prefixLength
                    + " is the network or broadcast address of its subnet");
        }
        if (gateway != 0 && (gateway & mask) != (address & mask)) {
            throw new IllegalArgumentException("gateway " + Wire.ipToString(gateway) + " is not in the subnet "
                    + Wire.ipToString(address & mask) + "/" + prefixLength);
        }
    }

    /** The netmask of a prefix length. */
    public static int mask(int prefixLength) {
        return prefixLength == 0 ? 0 : -1 << (32 - prefixLength);
    }

    /** The netmask. */
    public int netmask() {
        return mask(prefixLength);
    }

    /** Whether {@code ip} is on our subnet (reached directly, not through the gateway). */
    public boolean onLink(int ip) {
        return (ip & netmask()) == (address & netmask());
    }

    /** The subnet's broadcast address. */
    public int broadcast() {
        return address | ~netmask();
    }

    /** Parses a dotted netmask (255.255.255.0) into a prefix length; rejects non-contiguous masks. */
    public static int prefixOf(int netmask) {
        int prefix = Integer.bitCount(netmask);
        if (mask(prefix) != netmask || prefix == 0) {
            throw new IllegalArgumentException("netmask " + Wire.ipToString(netmask) + " is not a contiguous prefix");
        }
        return prefix;
    }

    @Override
    public String toString() {
        return Wire.ipToString(address) + "/" + prefixLength + (gateway != 0 ? " via " + Wire.ipToString(gateway) : "")
                + " mtu " + mtu;
    }
}
