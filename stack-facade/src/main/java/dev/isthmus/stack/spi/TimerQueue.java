package dev.isthmus.stack.spi;

import dev.isthmus.stack.Cancellable;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.Objects;

/**
 * A worker's timers: a binary min-heap ordered by deadline (then by insertion, so timers due at the same
 * instant run in the order they were added). Only the worker thread adds, runs and removes;
 * {@link Timer#cancel()} may come from any thread: it flips the timer's state, and the worker drops a
 * cancelled timer when it reaches the top (or at once, when cancelled on the worker thread).
 */
public final class TimerQueue {
    private Timer[] heap = new Timer[16];
    private int size;
    private long sequence;
    private Thread owner;

    /** Binds the queue to its worker thread, so a cancel on that thread removes the timer at once. */
    void owner(Thread t) {
        owner = t;
    }

    /** Timers still in the heap (cancelled ones from other threads included until they surface). */
    public int size() {
        return size;
    }

    /** Adds a timer due at {@code deadlineNanos} ({@link System#nanoTime()} scale). Worker thread only. */
    public Timer add(long deadlineNanos, Runnable task) {
        Timer t = newTimer(deadlineNanos, task);
        insert(t);
        return t;
    }

    /** A timer for this queue, not yet in it: any thread may make one, then hand it to {@link #insert}. */
    public Timer newTimer(long deadlineNanos, Runnable task) {
        return new Timer(this, deadlineNanos, Objects.requireNonNull(task, "task"));
    }

    /** Puts a timer from {@link #newTimer} into the heap, unless it was cancelled meanwhile. Worker thread only. */
    public void insert(Timer t) {
        if (t.state() != Timer.PENDING || t.heapIndex >= 0) {
            return;
        }
        t.seq = sequence++;
        if (size == heap.length) {
            heap = Arrays.copyOf(heap, size * 2);
        }
        t.heapIndex = size;
        heap[size++] = t;
        siftUp(t.heapIndex);
    }

    /**
     * Nanoseconds from {@code now} until the earliest live timer is due (0 if overdue), or -1 when there
     * is none.
     */
    public long nanosUntilNext(long now) {
        while (size > 0) {
            Timer t = heap[0];
            if (t.state() == Timer.CANCELLED) {
                removeAt(0);
                continue;
            }
            return Math.max(0, t.deadline - now);
        }
        return -1;
    }

    /**
     * Runs every timer due at or before {@code now}, in deadline order; returns how many ran. A task that
     * throws is passed to {@code onError} and the others still run.
     */
    public int runDue(long now, java.util.function.Consumer<Throwable> onError) {
        int ran = 0;
        while (size > 0) {
            Timer t = heap[0];
            if (t.deadline - now > 0 && t.state() != Timer.CANCELLED) {
                break;
            }
            removeAt(0);
            if (t.fire()) {
                ran++;
                try {
                    t.task.run();
                } catch (Throwable e) {
                    onError.accept(e);
                }
            }
        }
        return ran;
    }

    /** Cancels every timer (at stop). */
    public void clear() {
        for (int i = 0; i < size; i++) {
            Timer.STATE.compareAndSet(heap[i], Timer.PENDING, Timer.CANCELLED);
            heap[i].heapIndex = -1;
            heap[i] = null;
        }
        size = 0;
    }

    void remove(Timer t) {
        int i = t.heapIndex;
        if (i >= 0 && i < size && heap[i] == t) {
            removeAt(i);
        }
    }

    private void removeAt(int i) {
        Timer removed = heap[i];
        removed.heapIndex = -1;
        size--;
        if (i == size) {
            heap[size] = null;
            return;
        }
        Timer last = heap[size];
        heap[size] = null;
        heap[i] = last;
        last.heapIndex = i;
        siftDown(i);
        if (heap[i] == last) {
            siftUp(i);
        }
    }

    private void siftUp(int i) {
        Timer t = heap[i];
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            Timer p = heap[parent];
            if (!t.before(p)) {
                break;
            }
            heap[i] = p;
            p.heapIndex = i;
            i = parent;
        }
        heap[i] = t;
        t.heapIndex = i;
    }

    private void siftDown(int i) {
        Timer t = heap[i];
        int half = size >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            int right = child + 1;
            if (right < size && heap[right].before(heap[child])) {
                child = right;
            }
            if (!heap[child].before(t)) {
                break;
            }
            heap[i] = heap[child];
            heap[i].heapIndex = i;
            i = child;
        }
        heap[i] = t;
        t.heapIndex = i;
    }

    /** One scheduled task. */
    public static final class Timer implements Cancellable {
        static final int PENDING = 0;
        static final int FIRED = 1;
        static final int CANCELLED = 2;
        private static final VarHandle STATE;

        static {
            try {
                STATE = MethodHandles.lookup().findVarHandle(Timer.class, "state", int.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        private final TimerQueue queue;
        final long deadline;
        private long seq;
        final Runnable task;
        int heapIndex = -1;
        @SuppressWarnings("unused") // accessed through STATE
        private volatile int state;

        Timer(TimerQueue queue, long deadline, Runnable task) {
            this.queue = queue;
            this.deadline = deadline;
            this.task = task;
        }

        /** The deadline, {@link System#nanoTime()} scale. */
        public long deadline() {
            return deadline;
        }

        int state() {
            return state;
        }

        boolean before(Timer o) {
            long d = deadline - o.deadline;
            return d < 0 || (d == 0 && seq < o.seq);
        }

        boolean fire() {
            return STATE.compareAndSet(this, PENDING, FIRED);
        }

        @Override
        public boolean cancel() {
            boolean cancelled = STATE.compareAndSet(this, PENDING, CANCELLED);
            if (cancelled && (queue.owner == null || Thread.currentThread() == queue.owner)) {
                queue.remove(this);
            }
            return cancelled;
        }
    }
}
