package dev.isthmus.dpdk.net;

import java.lang.foreign.MemorySegment;

/** Builds synthetic frames for the tests, and an independent checksum to check the stack's against. */
final class Frames {
    static final long PEER_MAC = 0x02_00_00_00_00_01L;
    static final long OUR_MAC = 0x02_00_00_00_00_02L;
    static final int PEER = ip(198, 18, 0, 1);
    static final int US = ip(198, 18, 0, 2);

    private Frames() {
    }

    static int ip(int a, int b, int c, int d) {
        return (a << 24) | (b << 16) | (c << 8) | d;
    }

    /** RFC 1071's definition, written out plainly: 16-bit big-endian words, end-around carry. */
    static int naiveChecksum(byte[] b, int off, int len) {
        int sum = 0;
        for (int i = 0; i < len; i += 2) {
            int w = (b[off + i] & 0xFF) << 8 | (i + 1 < len ? b[off + i + 1] & 0xFF : 0);
            sum += w;
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        return ~sum & 0xFFFF;
    }

    /** An IPv4 packet in an Ethernet frame, header checksum filled in by hand (not by the stack's code). */
    static MemorySegment ipFrame(long dstMac, int src, int dst, int protocol, int id, int flagsFragment, byte[] payload) {
        byte[] f = new byte[14 + 20 + payload.length];
        MemorySegment s = MemorySegment.ofArray(f);
        Wire.setMac(s, 0, dstMac);
        Wire.setMac(s, 6, PEER_MAC);
        Wire.set16(s, 12, 0x0800);
        f[14] = 0x45;
        Wire.set16(s, 16, 20 + payload.length);
        Wire.set16(s, 18, id);
        Wire.set16(s, 20, flagsFragment);
        f[22] = 64;
        f[23] = (byte) protocol;
        Wire.set32(s, 26, src);
        Wire.set32(s, 30, dst);
        Wire.set16(s, 24, naiveChecksum(f, 14, 20));
        System.arraycopy(payload, 0, f, 34, payload.length);
        return s;
    }

    /** An ICMP echo request with {@code data}. */
    static byte[] echoRequest(int id, int seq, byte[] data) {
        byte[] p = new byte[8 + data.length];
        p[0] = 8;
        MemorySegment s = MemorySegment.ofArray(p);
        Wire.set16(s, 4, id);
        Wire.set16(s, 6, seq);
        System.arraycopy(data, 0, p, 8, data.length);
        Wire.set16(s, 2, naiveChecksum(p, 0, p.length));
        return p;
    }

    /** A UDP datagram (header and payload) with its checksum over the pseudo-header computed by hand. */
    static byte[] udp(int src, int srcPort, int dst, int dstPort, byte[] data) {
        byte[] u = new byte[8 + data.length];
        MemorySegment s = MemorySegment.ofArray(u);
        Wire.set16(s, 0, srcPort);
        Wire.set16(s, 2, dstPort);
        Wire.set16(s, 4, u.length);
        System.arraycopy(data, 0, u, 8, data.length);
        byte[] pseudo = new byte[12 + u.length];
        MemorySegment ps = MemorySegment.ofArray(pseudo);
        Wire.set32(ps, 0, src);
        Wire.set32(ps, 4, dst);
        pseudo[9] = 17;
        Wire.set16(ps, 10, u.length);
        System.arraycopy(u, 0, pseudo, 12, u.length);
        int c = naiveChecksum(pseudo, 0, pseudo.length);
        Wire.set16(s, 6, c == 0 ? 0xFFFF : c);
        return u;
    }

    /** An ARP packet in a frame. */
    static MemorySegment arp(long ethDst, int op, long sha, int spa, long tha, int tpa) {
        MemorySegment f = MemorySegment.ofArray(new byte[42]);
        Arp.write(f, ethDst, op, sha, spa, tha, tpa);
        return f;
    }

    static byte[] bytes(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (seed + i * 7);
        }
        return b;
    }
}
