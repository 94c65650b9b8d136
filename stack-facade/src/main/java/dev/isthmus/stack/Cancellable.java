package dev.isthmus.stack;

/** A scheduled task that can still be called off. */
public interface Cancellable {
    /** Cancels the task if it has not run yet; returns whether it was cancelled by this call. */
    boolean cancel();
}
