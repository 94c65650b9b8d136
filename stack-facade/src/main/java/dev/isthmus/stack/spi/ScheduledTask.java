package dev.isthmus.stack.spi;

import dev.isthmus.stack.Cancellable;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A one-shot task from {@link AbstractWorker#schedule}, on the worker's {@link TimerWheel}. Unlike a
 * {@link Timeout} it may be cancelled from any thread: the cancel wins or loses a CAS against the run;
 * on the worker thread it also unlinks the entry, elsewhere the entry stays until its tick and then
 * does nothing.
 */
final class ScheduledTask implements Cancellable, Runnable {
    private static final int PENDING = 0;
    private static final int RAN = 1;
    private static final int CANCELLED = 2;
    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(ScheduledTask.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Runnable task;
    private final Timeout timeout;
    private final Thread owner;
    @SuppressWarnings("unused") // STATE
    private volatile int state;

    ScheduledTask(TimerWheel wheel, Runnable task, Thread owner) {
        this.task = task;
        this.timeout = wheel.newTimeout(this);
        this.owner = owner;
    }

    /** Worker thread: links the entry, unless it was cancelled before the worker got to it. */
    void armAt(long deadlineNanos) {
        if (state == PENDING) {
            timeout.armAt(deadlineNanos);
        }
    }

    @Override
    public void run() {
        if (STATE.compareAndSet(this, PENDING, RAN)) {
            task.run();
        }
    }

    @Override
    public boolean cancel() {
        boolean cancelled = STATE.compareAndSet(this, PENDING, CANCELLED);
        if (cancelled && Thread.currentThread() == owner) {
            timeout.cancel();
        }
        return cancelled;
    }
}
