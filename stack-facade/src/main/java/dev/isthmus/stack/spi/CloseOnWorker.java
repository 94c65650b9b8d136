package dev.isthmus.stack.spi;

import dev.isthmus.stack.Worker;

import java.util.concurrent.RejectedExecutionException;

/**
 * Runs a close on the worker that owns the resource, from any thread, without ever making one worker wait
 * for another: two workers closing each other's channels at once would otherwise each block in the other's
 * queue, and neither would ever run it.
 * <ul>
 *   <li>on the owner's thread: at once;</li>
 *   <li>on another worker's thread of the same stack: handed over with {@link Worker#execute} and not waited
 *       for (the owner runs it at its next turn);</li>
 *   <li>on any other thread: handed over and waited for, so that the caller may reuse the port or path as
 *       soon as close returns.</li>
 * </ul>
 * A worker that has stopped closed its resources on its way out; then nothing is left to do.
 */
public final class CloseOnWorker {
    private CloseOnWorker() {
    }

    /**
     * Runs {@code close} on {@code owner} as above. {@code afterWait} runs after {@code close} on the owner
     * when the caller waits (the nio stack deregisters cancelled keys there); it may be null.
     *
     * @return true if {@code close} has run when this returns, false if it was handed over to run later
     */
    public static boolean run(AbstractWorker owner, Runnable close, Runnable afterWait) {
        if (owner.inWorkerThread()) {
            close.run();
            return true;
        }
        if (onAnyWorkerOf(owner.networkStack())) {
            try {
                owner.execute(close);
            } catch (RejectedExecutionException e) {
                // Stopped: it closed its resources, this one among them.
            }
            return false;
        }
        AbstractNetworkStack.runAndWait(owner, afterWait == null ? close : () -> {
            close.run();
            afterWait.run();
        });
        return true;
    }

    /** True when called on a worker thread of {@code stack}. */
    public static boolean onAnyWorkerOf(AbstractNetworkStack stack) {
        for (Worker w : stack.workers()) {
            if (w.inWorkerThread()) {
                return true;
            }
        }
        return false;
    }
}
