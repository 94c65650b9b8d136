package dev.isthmus.nio.channels;

/**
 * What a channel runs once it has been closed, if anything: the inherited channel detaches the standard
 * streams that may share its socket (see {@link InheritedChannels}). Set once before the channel is handed
 * out; volatile because close may run on any thread (the JDK's interruptor closes on the interrupting one).
 */
final class AfterClose {
    private volatile Runnable action;

    void set(Runnable action) {
        this.action = action;
    }

    /** Runs the action, if one was set; called at the end of the channel's close. */
    void run() {
        Runnable r = action;
        if (r != null) {
            r.run();
        }
    }
}
