package dev.isthmus.dpdk.port;

/**
 * What a port should do wrong on purpose, per direction: drop a share of the frames and hold back a share
 * for a few frames (reordering), decided by a seeded generator so that a run can be repeated. For tests,
 * and for users who want to see their service under loss (as Linux's {@code tc qdisc ... netem loss 1%
 * reorder 1%}, but inside the stack, so it works on any port and without root). {@link #NONE} does nothing
 * and costs nothing: the worker makes no {@link FaultInjector} for it.
 *
 * @param rxLoss    the share of received frames dropped, 0..1
 * @param rxReorder the share of received frames held back behind 1..{@value FaultInjector#MAX_DELAY} later ones, 0..1
 * @param txLoss    the share of frames to send that are dropped, 0..1
 * @param txReorder the share of frames to send held back, 0..1
 * @param seed      the generators' seed; each worker and direction derives its own from it
 */
public record FaultPlan(double rxLoss, double rxReorder, double txLoss, double txReorder, long seed) {
    /** No fault. */
    public static final FaultPlan NONE = new FaultPlan(0, 0, 0, 0, 0);

    public FaultPlan {
        check("rxLoss", rxLoss);
        check("rxReorder", rxReorder);
        check("txLoss", txLoss);
        check("txReorder", txReorder);
        if (rxLoss + rxReorder > 1 || txLoss + txReorder > 1) {
            throw new IllegalArgumentException("loss plus reorder must be at most 1 per direction, was rx "
                    + (rxLoss + rxReorder) + ", tx " + (txLoss + txReorder));
        }
    }

    private static void check(String what, double share) {
        if (!(share >= 0 && share <= 1)) { // also refuses NaN
            throw new IllegalArgumentException(what + " must be a share of 0..1, was " + share);
        }
    }

    /** Whether the receive direction has a fault to inject. */
    public boolean rxFaulty() {
        return rxLoss > 0 || rxReorder > 0;
    }

    /** Whether the send direction has a fault to inject. */
    public boolean txFaulty() {
        return txLoss > 0 || txReorder > 0;
    }
}
