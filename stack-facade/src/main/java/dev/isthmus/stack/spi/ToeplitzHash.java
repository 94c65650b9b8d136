package dev.isthmus.stack.spi;

import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * The Toeplitz hash that RSS NICs compute over a packet's addresses and ports to pick its receive queue
 * (Microsoft, "RSS hashing functions" and "Verifying the RSS hash calculation"; DPDK's
 * {@code rte_softrss} in rte_thash.h computes the same). A userspace stack computes it in software to
 * place a flow on the worker whose queue the NIC would deliver it to, and to choose a local port for
 * {@code connect} whose replies come back to the calling worker.
 *
 * <p>For every set bit {@code i} of the input (most significant bit of the first byte first), the result
 * is XORed with the 32 key bits starting at key bit {@code i}. The input is, in network byte order:
 * source address, destination address, source port, destination port, as seen on a received packet.
 * Thread-safe, allocation-free for {@link #hashV4}.
 */
public final class ToeplitzHash {
    /** The key from Microsoft's RSS specification, the default of many NIC drivers and of DPDK's examples. */
    private static final byte[] MICROSOFT_KEY = {
            (byte) 0x6d, (byte) 0x5a, (byte) 0x56, (byte) 0xda, (byte) 0x25, (byte) 0x5b, (byte) 0x0e, (byte) 0xc2,
            (byte) 0x41, (byte) 0x67, (byte) 0x25, (byte) 0x3d, (byte) 0x43, (byte) 0xa3, (byte) 0x8f, (byte) 0xb0,
            (byte) 0xd0, (byte) 0xca, (byte) 0x2b, (byte) 0xcb, (byte) 0xae, (byte) 0x7b, (byte) 0x30, (byte) 0xb4,
            (byte) 0x77, (byte) 0xcb, (byte) 0x2d, (byte) 0xa3, (byte) 0x80, (byte) 0x30, (byte) 0xf2, (byte) 0x0c,
            (byte) 0x6a, (byte) 0x42, (byte) 0xb7, (byte) 0x3b, (byte) 0xbe, (byte) 0xac, (byte) 0x01, (byte) 0xfa};

    /** window[i]: the 32 key bits starting at key bit i. */
    private final int[] window;
    private final int maxInputBytes;

    /** The hash with Microsoft's standard 40-byte key. */
    public static ToeplitzHash microsoft() {
        return new ToeplitzHash(MICROSOFT_KEY);
    }

    /** A copy of Microsoft's standard key. */
    public static byte[] microsoftKey() {
        return MICROSOFT_KEY.clone();
    }

    /** The hash with {@code key}: at least 40 bytes, enough for an IPv6 4-tuple (36 bytes) plus 4. */
    public ToeplitzHash(byte[] key) {
        Objects.requireNonNull(key, "key");
        if (key.length < 40) {
            throw new IllegalArgumentException("an RSS key needs at least 40 bytes, was " + key.length);
        }
        this.maxInputBytes = key.length - 4;
        this.window = new int[maxInputBytes * 8];
        for (int i = 0; i < window.length; i++) {
            int b = i >>> 3;
            long bits = 0;
            for (int k = 0; k < 5; k++) {
                bits = (bits << 8) | (b + k < key.length ? key[b + k] & 0xff : 0);
            }
            window[i] = (int) (bits >>> (8 - (i & 7)));
        }
    }

    /** The hash of {@code input[off, off+len)}. */
    public int hash(byte[] input, int off, int len) {
        Objects.checkFromIndexSize(off, len, input.length);
        if (len > maxInputBytes) {
            throw new IllegalArgumentException("input of " + len + " bytes is longer than the key allows ("
                    + maxInputBytes + ")");
        }
        int h = 0;
        for (int i = 0; i < len; i++) {
            h ^= hashByte(i, input[off + i] & 0xff);
        }
        return h;
    }

    /** The hash of an IPv4 4-tuple given as host-order ints; ports 0..65535. */
    public int hashV4(int srcAddr, int dstAddr, int srcPort, int dstPort) {
        int h = 0;
        h ^= hashInt(0, srcAddr);
        h ^= hashInt(4, dstAddr);
        h ^= hashInt(8, (srcPort << 16) | (dstPort & 0xffff));
        return h;
    }

    /** The hash of a received packet's 4-tuple: from {@code src} to {@code dst}, IPv4 or IPv6 (not mixed). */
    public int hash(InetSocketAddress src, InetSocketAddress dst) {
        byte[] s = src.getAddress().getAddress();
        byte[] d = dst.getAddress().getAddress();
        if (s.length != d.length) {
            throw new IllegalArgumentException("source " + src + " and destination " + dst + " are of different families");
        }
        if (src.getAddress() instanceof Inet4Address) {
            return hashV4(toInt(s), toInt(d), src.getPort(), dst.getPort());
        }
        byte[] in = new byte[s.length * 2 + 4];
        System.arraycopy(s, 0, in, 0, s.length);
        System.arraycopy(d, 0, in, s.length, d.length);
        in[in.length - 4] = (byte) (src.getPort() >>> 8);
        in[in.length - 3] = (byte) src.getPort();
        in[in.length - 2] = (byte) (dst.getPort() >>> 8);
        in[in.length - 1] = (byte) dst.getPort();
        return hash(in, 0, in.length);
    }

    /** An IPv4 address as a host-order int. */
    static int toInt(byte[] a) {
        return (a[0] & 0xff) << 24 | (a[1] & 0xff) << 16 | (a[2] & 0xff) << 8 | (a[3] & 0xff);
    }

    private int hashInt(int byteOffset, int value) {
        return hashByte(byteOffset, value >>> 24) ^ hashByte(byteOffset + 1, (value >>> 16) & 0xff)
                ^ hashByte(byteOffset + 2, (value >>> 8) & 0xff) ^ hashByte(byteOffset + 3, value & 0xff);
    }

    private int hashByte(int byteOffset, int v) {
        int h = 0;
        int base = byteOffset << 3;
        for (int bit = 0; bit < 8; bit++) {
            if ((v & (0x80 >>> bit)) != 0) {
                h ^= window[base + bit];
            }
        }
        return h;
    }
}
