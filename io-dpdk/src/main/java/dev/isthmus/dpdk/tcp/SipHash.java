package dev.isthmus.dpdk.tcp;

/**
 * SipHash-2-4 (Aumasson and Bernstein, "SipHash: a fast short-input PRF", 2012): a keyed 64-bit hash,
 * as the Linux kernel uses for its ISNs (net/core/secure_seq.c). Written from the paper's description;
 * the test checks the paper's vector (Appendix A).
 */
public final class SipHash {
    private SipHash() {
    }

    /** SipHash-2-4 of {@code msg} under the key (k0, k1) (the key's bytes read little-endian). */
    public static long hash(long k0, long k1, byte[] msg) {
        long v0 = k0 ^ 0x736f6d6570736575L;
        long v1 = k1 ^ 0x646f72616e646f6dL;
        long v2 = k0 ^ 0x6c7967656e657261L;
        long v3 = k1 ^ 0x7465646279746573L;
        int full = msg.length & ~7;
        long[] v = {v0, v1, v2, v3};
        for (int i = 0; i < full; i += 8) {
            long m = 0;
            for (int j = 7; j >= 0; j--) {
                m = (m << 8) | (msg[i + j] & 0xFF);
            }
            compress(v, m);
        }
        long last = ((long) msg.length & 0xFF) << 56;
        for (int j = msg.length - 1; j >= full; j--) {
            last |= (long) (msg[j] & 0xFF) << (8 * (j - full));
        }
        compress(v, last);
        return finish(v);
    }

    /**
     * SipHash-2-4 of a 12-byte message given as its first eight bytes {@code m0} (little-endian) and
     * its last four {@code m1}: a 4-tuple of addresses and ports, without a message array (the
     * four-word state is one small array per call: once per connection, not per packet).
     */
    public static long hash12(long k0, long k1, long m0, int m1) {
        long[] v = {k0 ^ 0x736f6d6570736575L, k1 ^ 0x646f72616e646f6dL,
                k0 ^ 0x6c7967656e657261L, k1 ^ 0x7465646279746573L};
        compress(v, m0);
        compress(v, (12L << 56) | Integer.toUnsignedLong(m1));
        return finish(v);
    }

    /**
     * SipHash-2-4 of a 24-byte message given as three little-endian words (a SYN cookie's 4-tuple,
     * sequence number and fields), without a message array.
     */
    public static long hash24(long k0, long k1, long m0, long m1, long m2) {
        long[] v = {k0 ^ 0x736f6d6570736575L, k1 ^ 0x646f72616e646f6dL,
                k0 ^ 0x6c7967656e657261L, k1 ^ 0x7465646279746573L};
        compress(v, m0);
        compress(v, m1);
        compress(v, m2);
        compress(v, 24L << 56);
        return finish(v);
    }

    private static void compress(long[] v, long m) {
        v[3] ^= m;
        round(v);
        round(v);
        v[0] ^= m;
    }

    private static long finish(long[] v) {
        v[2] ^= 0xFF;
        round(v);
        round(v);
        round(v);
        round(v);
        return v[0] ^ v[1] ^ v[2] ^ v[3];
    }

    private static void round(long[] v) {
        v[0] += v[1];
        v[1] = Long.rotateLeft(v[1], 13);
        v[1] ^= v[0];
        v[0] = Long.rotateLeft(v[0], 32);
        v[2] += v[3];
        v[3] = Long.rotateLeft(v[3], 16);
        v[3] ^= v[2];
        v[0] += v[3];
        v[3] = Long.rotateLeft(v[3], 21);
        v[3] ^= v[0];
        v[2] += v[1];
        v[1] = Long.rotateLeft(v[1], 17);
        v[1] ^= v[2];
        v[2] = Long.rotateLeft(v[2], 32);
    }
}
