package dev.isthmus.dpdk.tcp;

import java.security.SecureRandom;
import java.util.function.LongSupplier;

/**
 * Initial sequence numbers as RFC 6528 section 3 asks: {@code ISN = M + F(localip, localport,
 * remoteip, remoteport, secretkey)}, M a clock ticking every 4 microseconds (RFC 9293 3.4.1) and F a
 * keyed pseudorandom function, here SipHash-2-4 under a 128-bit key drawn once per stack from
 * {@link SecureRandom}. An off-path attacker cannot guess a connection's ISN; a new incarnation of the
 * same 4-tuple starts above the old one's numbers (the clock moved on), as TIME_WAIT reuse needs.
 * Thread-safe (immutable key; the clock is the caller's).
 */
public final class IsnGenerator {
    private final long k0;
    private final long k1;
    private final LongSupplier nanoClock;

    /** A generator with a fresh random key on {@link System#nanoTime()}. */
    public IsnGenerator() {
        this(new SecureRandom(), System::nanoTime);
    }

    public IsnGenerator(SecureRandom random, LongSupplier nanoClock) {
        this.k0 = random.nextLong();
        this.k1 = random.nextLong();
        this.nanoClock = nanoClock;
    }

    /** The ISN for a connection of this 4-tuple, now. */
    public int next(int localIp, int localPort, int remoteIp, int remotePort) {
        long m0 = (Integer.toUnsignedLong(localIp) << 32) | Integer.toUnsignedLong(remoteIp);
        int m1 = (localPort << 16) | (remotePort & 0xFFFF);
        int f = (int) SipHash.hash12(k0, k1, m0, m1);
        int m = (int) (nanoClock.getAsLong() / 4_000L);
        return m + f;
    }
}
