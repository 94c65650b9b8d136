package dev.isthmus.dpdk.tcp;

import java.security.SecureRandom;
import java.util.function.LongSupplier;

/**
 * SYN cookies (RFC 4987 3.6): when a listener's half-open queue is full, the SYN-ACK's sequence number
 * carries what a SYN_RECEIVED TCB would have kept, signed, and nothing is kept; the client's ACK brings it
 * back ({@code SEG.ACK - 1}) and, if the signature holds, the connection is made from it.
 *
 * <pre>
 *   plain  =  tick:3 | mss index:3 | window shift:4 | mac:22        (bit 31 .. bit 0)
 *   cookie =  plain + H(key1; 4-tuple, client ISN)                   (looks random on the wire)
 *   mac    =  H(key2; 4-tuple, client ISN, full tick, mss index, shift) mod 2^22
 * </pre>
 *
 * H is SipHash-2-4 under 128-bit keys drawn from {@link SecureRandom}; a tick is 64 s and a cookie is good
 * for the tick it was made in and the next (64 to 128 s, Linux's two minutes). The MSS is one of eight
 * (the largest not above the client's), the window shift the client's own (15: it offered none). What
 * does not fit is lost, as with Linux's cookies without timestamps: SACK-permitted and timestamps (this
 * stack negotiates neither yet). A forged ACK passes with probability 2^-22 per try, and every try costs
 * the attacker a packet and us a hash; the layer checks cookies only while it has sent some lately.
 */
public final class SynCookies {
    /** MSS values a cookie can say (as Linux's msstab: common path MTUs minus 40). */
    static final int[] MSS = {256, 536, 1200, 1360, 1440, 1460, 4312, 8960};
    static final int NO_SHIFT = 15;
    private static final long TICK_NANOS = 64_000_000_000L;
    private static final int MAC_BITS = 22;
    private static final int MAC_MASK = (1 << MAC_BITS) - 1;

    private final long k0;
    private final long k1;
    private final long k2;
    private final long k3;
    private final LongSupplier clock;

    // The last decoded cookie (valid after check returned true): no object per ACK.
    private int mss;
    private int shift;

    public SynCookies(SecureRandom random, LongSupplier clock) {
        this.k0 = random.nextLong();
        this.k1 = random.nextLong();
        this.k2 = random.nextLong();
        this.k3 = random.nextLong();
        this.clock = clock;
    }

    /** The index of the largest table MSS not above {@code peerMss} (the smallest when all are). */
    static int mssIndex(int peerMss) {
        int i = MSS.length - 1;
        while (i > 0 && MSS[i] > peerMss) {
            i--;
        }
        return i;
    }

    /**
     * The ISN of a cookie SYN-ACK to a SYN with sequence number {@code clientIsn}, MSS option {@code peerMss}
     * ({@link TcpSegment#DEFAULT_MSS} when absent) and window shift {@code peerShift} (-1 when absent).
     */
    public int make(int localIp, int localPort, int remoteIp, int remotePort, int clientIsn, int peerMss, int peerShift) {
        long tick = clock.getAsLong() / TICK_NANOS;
        int mssIndex = mssIndex(peerMss);
        int shift = peerShift < 0 ? NO_SHIFT : Math.min(peerShift, TcpSegment.MAX_WINDOW_SHIFT);
        int plain = (int) ((tick & 7) << 29) | (mssIndex << 26) | (shift << 22)
                | mac(localIp, localPort, remoteIp, remotePort, clientIsn, tick, mssIndex, shift);
        return plain + obscure(localIp, localPort, remoteIp, remotePort, clientIsn);
    }

    /**
     * Whether {@code cookie} (an ACK's {@code SEG.ACK - 1}) is one we made for this 4-tuple and client ISN
     * ({@code SEG.SEQ - 1}) within its lifetime; if so, {@link #mss()} and {@link #shift()} say what the
     * SYN offered.
     */
    public boolean check(int localIp, int localPort, int remoteIp, int remotePort, int clientIsn, int cookie) {
        int plain = cookie - obscure(localIp, localPort, remoteIp, remotePort, clientIsn);
        long now = clock.getAsLong() / TICK_NANOS;
        long age = (now - (plain >>> 29)) & 7;
        if (age > 1) {
            return false;
        }
        int mssIndex = (plain >>> 26) & 7;
        int s = (plain >>> 22) & 0xF;
        if (s > TcpSegment.MAX_WINDOW_SHIFT && s != NO_SHIFT) {
            return false;
        }
        if ((plain & MAC_MASK) != mac(localIp, localPort, remoteIp, remotePort, clientIsn, now - age, mssIndex, s)) {
            return false;
        }
        mss = MSS[mssIndex];
        shift = s == NO_SHIFT ? -1 : s;
        return true;
    }

    /** The MSS the last valid cookie carried. */
    public int mss() {
        return mss;
    }

    /** The client's window shift the last valid cookie carried, -1 for none. */
    public int shift() {
        return shift;
    }

    private int obscure(int localIp, int localPort, int remoteIp, int remotePort, int clientIsn) {
        return (int) SipHash.hash24(k0, k1, tuple(localIp, remoteIp), ports(localPort, remotePort),
                Integer.toUnsignedLong(clientIsn));
    }

    private int mac(int localIp, int localPort, int remoteIp, int remotePort, int clientIsn, long tick, int mssIndex,
                    int shift) {
        long m2 = Integer.toUnsignedLong(clientIsn) | ((long) mssIndex << 32) | ((long) shift << 35) | (tick << 40);
        return (int) SipHash.hash24(k2, k3, tuple(localIp, remoteIp), ports(localPort, remotePort), m2) & MAC_MASK;
    }

    private static long tuple(int a, int b) {
        return (Integer.toUnsignedLong(a) << 32) | Integer.toUnsignedLong(b);
    }

    private static long ports(int a, int b) {
        return ((long) (a & 0xFFFF) << 16) | (b & 0xFFFF);
    }
}
