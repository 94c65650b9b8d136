package dev.isthmus.stack.spi;

import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * A worker's timers: a hashed timing wheel (Varghese and Lauck, "Hashed and Hierarchical Timing Wheels",
 * 1987; the shape of Netty's {@code HashedWheelTimer} and of the kernel's timer wheel). Time is cut into
 * ticks of {@code tickNanos}; a timer due at tick {@code d} is linked into slot {@code d & (slots - 1)}
 * and runs when the wheel reaches tick {@code d}. A deadline more than a turn away shares its slot with
 * nearer ones and is passed over (by comparing its tick) until its turn comes.
 *
 * <p>Arming, re-arming and cancelling a {@link Timeout} are O(1) and allocate nothing: the entries link
 * themselves into doubly linked slot lists. {@link #expire} visits every tick since the last call; a
 * bitmap of occupied slots lets {@link #nanosUntilNext} find the next one without visiting the empty
 * ones, so a sleeping worker wakes at the next occupied slot (at most one turn away) and no earlier.
 *
 * <p>Precision: a timer never runs before its deadline and runs at most one tick after it (plus the
 * worker's own latency). Timers due at the same tick run in the order they were armed.
 *
 * <p>Single-threaded: only the owning worker thread arms, cancels and expires.
 */
public final class TimerWheel {
    /** 1 ms, the granularity of epoll_wait's timeout and the kernel's usual HZ=1000 jiffy. */
    public static final long DEFAULT_TICK_NANOS = 1_000_000L;
    /** 1024 slots of 1 ms: a turn of about a second, so far deadlines wake a sleeping worker once a second. */
    public static final int DEFAULT_SLOTS = 1024;
    /** Delays are clamped to about 73 years, so that deadlines never overflow. */
    static final long MAX_DELAY_NANOS = Long.MAX_VALUE >> 5;

    private final long tickNanos;
    private final int mask;
    private final Timeout[] heads;
    private final Timeout[] tails;
    /** Bit {@code s} set when slot {@code s} holds an entry. */
    private final long[] occupied;
    private final LongSupplier clock;
    private final long origin;
    /** The last tick expired: arming never lands at or before it. */
    private long tick;
    private int armed;
    /** Bumped on every link and unlink, so the slot walk in expire() notices callbacks that move entries. */
    private long modifications;
    private Thread owner;

    /** A wheel of {@link #DEFAULT_SLOTS} slots of {@link #DEFAULT_TICK_NANOS} on {@link System#nanoTime()}. */
    public TimerWheel() {
        this(DEFAULT_TICK_NANOS, DEFAULT_SLOTS, System::nanoTime);
    }

    /**
     * A wheel whose tick 0 starts now.
     *
     * @param tickNanos the granularity, at least 1 ns
     * @param slots     a power of two, at least 64
     * @param clock     the time in nanoseconds, {@link System#nanoTime()} but in tests
     */
    public TimerWheel(long tickNanos, int slots, LongSupplier clock) {
        if (tickNanos < 1) {
            throw new IllegalArgumentException("tickNanos must be at least 1, was " + tickNanos);
        }
        if (slots < 64 || Integer.bitCount(slots) != 1) {
            throw new IllegalArgumentException("slots must be a power of two of at least 64, was " + slots);
        }
        this.tickNanos = tickNanos;
        this.mask = slots - 1;
        this.heads = new Timeout[slots];
        this.tails = new Timeout[slots];
        this.occupied = new long[slots >>> 6];
        this.clock = clock;
        this.origin = clock.getAsLong();
    }

    /** Binds the wheel to its worker thread: arming or cancelling from another thread then throws. */
    void owner(Thread t) {
        owner = t;
    }

    /** A new, unarmed timer that runs {@code action} on the worker thread each time it expires. */
    public Timeout newTimeout(Runnable action) {
        return new Timeout(this, action);
    }

    /** Timers armed and not yet run. */
    public int armed() {
        return armed;
    }

    /** The wheel's clock now, in nanoseconds. */
    long now() {
        return clock.getAsLong();
    }

    /** Returns the tick length in nanoseconds. */
    public long tickNanos() {
        return tickNanos;
    }

    void arm(Timeout t, long deadlineNanos) {
        checkOwner("arm");
        if (t.slot >= 0) {
            unlink(t);
        }
        if (armed == 0) {
            // The wheel was empty and expire() left the tick behind: catch up, so that the next
            // nanosUntilNext() counts from now, not from the last time a timer ran.
            long nowTick = Math.floorDiv(clock.getAsLong() - origin, tickNanos);
            if (nowTick > tick) {
                tick = nowTick;
            }
        }
        long d = Math.ceilDiv(deadlineNanos - origin, tickNanos);
        if (d <= tick) {
            d = tick + 1;
        }
        t.deadlineTick = d;
        t.deadlineNanos = deadlineNanos;
        link(t, (int) (d & mask));
    }

    boolean cancel(Timeout t) {
        checkOwner("cancel");
        if (t.slot < 0) {
            return false;
        }
        unlink(t);
        return true;
    }

    /**
     * Runs every timer due at or before {@code nowNanos}, tick by tick; returns how many ran. An action
     * that throws is passed to {@code onError} and the others still run. An action may arm or cancel any
     * timer, itself included; one armed for now runs at the next call, not in this one.
     */
    public int expire(long nowNanos, Consumer<Throwable> onError) {
        if (armed == 0) {
            // Nothing to run: not even the division (a kernel stack under load mostly has no timer
            // armed). The tick goes stale; arm() brings it up to date when the wheel fills again.
            return 0;
        }
        long now = Math.floorDiv(nowNanos - origin, tickNanos);
        if (now <= tick) {
            return 0;
        }
        int ran = 0;
        // Visit the occupied slots' ticks in order, up to now, skipping empty slots through the bitmap:
        // after a long stall that is one visit per occupied slot per turn, not one per tick.
        while (armed > 0) {
            long t = tick + 1 + distanceToOccupied((int) ((tick + 1) & mask));
            if (t > now) {
                break;
            }
            tick = t;
            int s = (int) (t & mask);
            Timeout e = heads[s];
            while (e != null) {
                Timeout next = e.next;
                if (e.deadlineTick <= t) {
                    unlink(e);
                    long mods = modifications;
                    ran++;
                    try {
                        e.fire();
                    } catch (Throwable x) {
                        onError.accept(x);
                    }
                    if (modifications != mods) {
                        // The action armed or cancelled timers, maybe the one we were about to visit:
                        // walk the slot again. Entries armed now land after tick t, so this ends.
                        next = heads[s];
                    }
                }
                e = next;
            }
        }
        tick = now;
        return ran;
    }

    /**
     * Nanoseconds from {@code nowNanos} until the next occupied slot's tick (0 if it has passed), or -1
     * when no timer is armed. An occupied slot may hold only deadlines of later turns: the worker then
     * wakes, finds nothing due, and sleeps again, at most once per turn.
     */
    public long nanosUntilNext(long nowNanos) {
        if (armed == 0) {
            return -1;
        }
        long first = tick + 1;
        int distance = distanceToOccupied((int) (first & mask));
        long due = origin + (first + distance) * tickNanos;
        return Math.max(0, due - nowNanos);
    }

    /** Disarms every timer (at stop). */
    public void clear() {
        for (int s = 0; s <= mask; s++) {
            Timeout e = heads[s];
            while (e != null) {
                Timeout n = e.next;
                e.prev = e.next = null;
                e.slot = -1;
                e = n;
            }
            heads[s] = tails[s] = null;
        }
        java.util.Arrays.fill(occupied, 0);
        armed = 0;
    }

    /** Slots from {@code from} (inclusive, circularly) to the first occupied one; the caller knows one is. */
    private int distanceToOccupied(int from) {
        int words = occupied.length;
        int w = from >>> 6;
        long bits = occupied[w] & (-1L << (from & 63));
        for (int i = 0; i <= words; i++) {
            if (bits != 0) {
                int slot = (w << 6) + Long.numberOfTrailingZeros(bits);
                return (slot - from) & mask;
            }
            w = (w + 1) % words;
            bits = occupied[w];
        }
        throw new IllegalStateException("timer wheel: " + armed + " armed but no slot occupied");
    }

    private void link(Timeout t, int s) {
        Timeout tail = tails[s];
        t.slot = s;
        t.next = null;
        t.prev = tail;
        if (tail == null) {
            heads[s] = t;
            occupied[s >>> 6] |= 1L << (s & 63);
        } else {
            tail.next = t;
        }
        tails[s] = t;
        armed++;
        modifications++;
    }

    private void unlink(Timeout t) {
        int s = t.slot;
        Timeout p = t.prev;
        Timeout n = t.next;
        if (p == null) {
            heads[s] = n;
        } else {
            p.next = n;
        }
        if (n == null) {
            tails[s] = p;
        } else {
            n.prev = p;
        }
        if (heads[s] == null) {
            occupied[s >>> 6] &= ~(1L << (s & 63));
        }
        t.prev = t.next = null;
        t.slot = -1;
        armed--;
        modifications++;
    }

    private void checkOwner(String what) {
        if (owner != null && Thread.currentThread() != owner) {
            throw new IllegalStateException("timer " + what + " must run on the worker thread " + owner.getName()
                    + ", not on " + Thread.currentThread().getName() + "; use Worker.schedule from other threads");
        }
    }
}
