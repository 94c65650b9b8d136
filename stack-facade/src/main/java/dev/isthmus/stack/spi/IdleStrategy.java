package dev.isthmus.stack.spi;

import java.time.Duration;

/**
 * What a worker does after a loop turn, Agrona's duty cycle ({@code idle(doWork())}): a turn that did
 * work goes straight into the next; a turn that did none lets the strategy decide how to wait. The
 * backend chooses it ({@link AbstractWorker#newIdleStrategy()}):
 * <ul>
 *   <li>{@link #spinThenBlock(Duration)}, the kernel stacks': poll with a zero timeout for the spin window
 *       ({@link dev.isthmus.stack.StackOptions#spin()}), then block in the poller (epoll_wait,
 *       io_uring_enter) until an event, a task or the next timer;</li>
 *   <li>{@link BackoffIdle}, for a poller that never sleeps in the kernel (DPDK's rx burst, in-memory
 *       queues): spin, then yield, then park with a bound; {@code execute} unparks it.</li>
 * </ul>
 * Called only on the worker thread; an instance belongs to one worker.
 */
public interface IdleStrategy {

    /**
     * Called after each loop turn with the work it did (tasks run, timers fired, events handled).
     * Returns true when the worker should now wait in its poller, for at most the time to its next timer;
     * false to poll again without waiting. A strategy that never waits in the poller idles the thread
     * here itself (spin, yield, or {@code parker.park}) and returns false.
     */
    boolean idle(int workDone, Parker parker);

    /** The worker, as seen by a strategy that parks its thread. */
    interface Parker {
        /**
         * Parks the worker thread for up to {@code maxNanos}, less when a timer is due sooner; a task from
         * {@code execute} (or the stack's close) unparks it at once. Returns at once when a task is queued.
         */
        void park(long maxNanos);
    }

    /** Blocks in the poller as soon as a turn did nothing. */
    static IdleStrategy block() {
        return spinThenBlock(Duration.ZERO);
    }

    /** Polls without waiting until {@code spin} has passed with no work, then blocks in the poller. */
    static IdleStrategy spinThenBlock(Duration spin) {
        return new SpinThenBlockIdle(spin.toNanos(), System::nanoTime);
    }
}
