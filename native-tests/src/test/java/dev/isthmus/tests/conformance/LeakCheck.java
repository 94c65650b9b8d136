package dev.isthmus.tests.conformance;

import dev.isthmus.stack.NetworkStack;
import dev.isthmus.stack.Worker;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.ArrayList;
import java.util.List;

/**
 * Runs after every conformance test: each stack the test opened ({@link StackUnderTest#open}) must be
 * closed by its end, and then every worker's buffer pool must have every buffer back
 * ({@link dev.isthmus.stack.WorkerStats#buffersLent()} 0, its level before the test, when the stack did
 * not exist). A buffer that a stack takes and never gives back (a recv that ends with 0 or an error, a
 * cancelled send) is otherwise invisible: the worker's arena frees the memory at stop all the same.
 * Buffers an io_uring worker provides to the kernel count as lent; its stop takes them back.
 *
 * <p>The suite runs its tests one at a time (no parallel execution is configured), so one list serves.
 */
final class LeakCheck implements BeforeEachCallback, AfterEachCallback {
    private static final List<NetworkStack> OPENED = new ArrayList<>();

    /**
     * Called by {@link StackUnderTest#open} for every stack it opens. Stacks of this test that closed
     * meanwhile are checked now and let go: the list must not keep them reachable longer than needed, or
     * memory that a closed stack returns only through GC (an automatic arena) would look leaked to a
     * test that measures it (CloseTest's stack close while busy).
     */
    static void opened(NetworkStack stack) {
        List<String> leaks = new ArrayList<>();
        synchronized (LeakCheck.class) {
            for (java.util.Iterator<NetworkStack> it = OPENED.iterator(); it.hasNext(); ) {
                NetworkStack s = it.next();
                if (s.isClosed()) {
                    lent(s, leaks);
                    it.remove();
                }
            }
            OPENED.add(stack);
        }
        if (!leaks.isEmpty()) {
            throw new AssertionError("leak check: " + String.join("; ", leaks));
        }
    }

    /** Adds a line to {@code leaks} per worker of the closed {@code stack} that still has buffers lent. */
    private static void lent(NetworkStack stack, List<String> leaks) {
        for (Worker w : stack.workers()) {
            long lent = w.stats().buffersLent();
            if (lent != 0) {
                leaks.add(stack.name() + " worker " + w.index() + ": " + lent + " pool buffer(s) still lent after the stack closed");
            }
        }
    }

    private static synchronized List<NetworkStack> takeOpened() {
        List<NetworkStack> out = List.copyOf(OPENED);
        OPENED.clear();
        return out;
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        takeOpened();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        List<String> leaks = new ArrayList<>();
        for (NetworkStack stack : takeOpened()) {
            if (!stack.isClosed()) {
                leaks.add("stack " + stack + " was left open by the test (closed now)");
                stack.close();
            }
            lent(stack, leaks);
        }
        if (!leaks.isEmpty()) {
            throw new AssertionError("leak check after " + context.getDisplayName() + ": " + String.join("; ", leaks));
        }
    }
}
