package dev.isthmus.nio.channels;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.CompletionHandler;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One asynchronous operation of an {@link AsyncSocketChannel} or {@link AsyncServerSocketChannel}: its arguments
 * (buffers, time-out), its outcome, and how the outcome is delivered: to a {@link CompletionHandler} (run by
 * {@link AsyncGroup#finish}) or, without one, through this object as the {@link Future} the initiating
 * method returned. Completed exactly once: by the I/O, a time-out, a close of the channel, or {@link #cancel}.
 */
final class AsyncResult<V, A> implements Future<V>, Runnable {
    /** The channel that started the operation. */
    interface Owner {
        /** Forgets the cancelled operation; from then on the channel refuses further operations on that side. */
        void onCancel(AsyncResult<?, ?> result);

        void close() throws IOException;
    }

    private final Owner owner;
    final CompletionHandler<V, ? super A> handler;
    private final A attachment;

    // the operation's arguments, set by the initiating channel before it is published
    ByteBuffer buffer;
    ByteBuffer[] buffers;
    int offset;
    int length;
    /** 0: no time-out. */
    long timeoutNanos;
    /** The armed time-out, cancelled when the operation ends first. */
    volatile ScheduledFuture<?> timer;

    private boolean done;
    private boolean cancelled;
    private V value;
    private Throwable failure;

    AsyncResult(Owner owner, CompletionHandler<V, ? super A> handler, A attachment) {
        this.owner = owner;
        this.handler = handler;
        this.attachment = attachment;
    }

    /** Records the outcome; false if the operation already ended (cancelled, timed out, or closed). */
    synchronized boolean set(V v, Throwable t) {
        if (done) {
            return false;
        }
        done = true;
        value = v;
        failure = t;
        notifyAll();
        ScheduledFuture<?> tm = timer;
        if (tm != null) {
            tm.cancel(false);
        }
        return true;
    }

    /** Delivers the outcome to the handler (on a thread of the group, as {@link AsyncGroup} decides). */
    @Override
    public void run() {
        V v;
        Throwable t;
        synchronized (this) {
            v = value;
            t = failure;
        }
        if (t == null) {
            handler.completed(v, attachment);
        } else {
            handler.failed(t, attachment);
        }
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        synchronized (this) {
            if (done) {
                return false;
            }
            done = true;
            cancelled = true;
            failure = new CancellationException();
            notifyAll();
            if (timer != null) {
                timer.cancel(false);
            }
        }
        owner.onCancel(this);
        if (mayInterruptIfRunning) { // AsynchronousChannel: cancelling with mayInterruptIfRunning closes the channel
            try {
                owner.close();
            } catch (IOException ignored) {
                // the cancellation stands; close(2) of a socket releases the descriptor even when it reports an error
            }
        }
        return true;
    }

    @Override
    public synchronized boolean isCancelled() {
        return cancelled;
    }

    @Override
    public synchronized boolean isDone() {
        return done;
    }

    @Override
    public synchronized V get() throws InterruptedException, ExecutionException {
        while (!done) {
            wait();
        }
        return outcome();
    }

    @Override
    public synchronized V get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        while (!done) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new TimeoutException();
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return outcome();
    }

    private V outcome() throws ExecutionException {
        if (cancelled) {
            throw new CancellationException();
        }
        if (failure != null) {
            throw new ExecutionException(failure);
        }
        return value;
    }
}
