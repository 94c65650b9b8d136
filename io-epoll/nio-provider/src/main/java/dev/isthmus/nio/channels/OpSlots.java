package dev.isthmus.nio.channels;

import java.util.Arrays;

/**
 * The requests a ring has in the kernel, each at a slot whose number, generation and kind make its user_data. The
 * generation changes each time a slot is reused, so that an IORING_OP_ASYNC_CANCEL aimed at a request that has
 * just completed cannot hit the slot's next request. Confined to the ring thread.
 *
 * <pre>
 *  63 62  61     56 55            32 31                 0
 * +-----+----------+----------------+--------------------+
 * |kind | (unused) | generation (24)|  slot (32)         |
 * +-----+----------+----------------+--------------------+
 * </pre>
 */
final class OpSlots {
    /** A channel's request: its completion goes to its {@link UringOp}. */
    static final long KIND_OP = 0;
    /** The IORING_OP_LINK_TIMEOUT linked to a request: its completion says nothing the request's does not. */
    static final long KIND_TIMEOUT = 1L << 62;
    /** An IORING_OP_ASYNC_CANCEL: its completion says nothing the cancelled request's does not. */
    static final long KIND_CANCEL = 2L << 62;
    /** The group's own eventfd read (a wake-up). */
    static final long KIND_WAKE = 3L << 62;
    static final long KIND_MASK = 3L << 62;
    private static final int GENERATION_MASK = (1 << 24) - 1;

    private UringOp[] ops = new UringOp[64];
    private int[] generations = new int[64];
    private int[] free = new int[64];
    private int freeCount;
    private int next;
    private int inUse;

    /** Takes a slot for {@code op} and returns its user_data (never 0: generations start at 1). */
    long add(UringOp op) {
        int slot;
        if (freeCount > 0) {
            slot = free[--freeCount];
        } else {
            if (next == ops.length) {
                ops = Arrays.copyOf(ops, next * 2);
                generations = Arrays.copyOf(generations, next * 2);
                free = Arrays.copyOf(free, next * 2);
            }
            slot = next++;
        }
        int gen = (generations[slot] + 1) & GENERATION_MASK;
        generations[slot] = gen == 0 ? 1 : gen;
        ops[slot] = op;
        inUse++;
        return ((long) generations[slot] << 32) | slot;
    }

    /** Frees the slot of a completed request and returns it; null if {@code userData} is not in flight. */
    UringOp remove(long userData) {
        int slot = (int) userData;
        if (slot < 0 || slot >= next || ops[slot] == null
                || generations[slot] != (int) ((userData >>> 32) & GENERATION_MASK)) {
            return null;
        }
        UringOp op = ops[slot];
        ops[slot] = null;
        free[freeCount++] = slot;
        inUse--;
        return op;
    }

    /** Requests in the kernel. */
    int inUse() {
        return inUse;
    }
}
