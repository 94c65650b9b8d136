package dev.isthmus.stack.spi;

import dev.isthmus.stack.WorkerStats;
import jdk.jfr.FlightRecorder;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Emits {@link WorkerEvent}s: one periodic hook for the JVM, registered when the first stack opens, that
 * walks the open stacks and reports each worker's counters as deltas since its last event. The hook runs
 * on JFR's periodic thread and only while a recording enables the event, so a JVM without JFR pays one
 * set insertion per stack open and nothing per request.
 */
final class WorkerEvents {
    private static final Set<AbstractNetworkStack> OPEN = ConcurrentHashMap.newKeySet();
    private static volatile boolean registered;

    private WorkerEvents() {
    }

    /** Reports {@code stack}'s workers from now on. */
    static void opened(AbstractNetworkStack stack) {
        OPEN.add(stack);
        if (!registered) {
            register();
        }
    }

    /** Stops reporting {@code stack} (its workers have stopped). */
    static void closed(AbstractNetworkStack stack) {
        OPEN.remove(stack);
    }

    private static synchronized void register() {
        if (registered) {
            return;
        }
        try {
            FlightRecorder.addPeriodicEvent(WorkerEvent.class, WorkerEvents::emit);
        } catch (RuntimeException | LinkageError e) {
            // A JVM built without JFR: nothing to report to; the stack works the same.
        }
        registered = true;
    }

    /** The periodic hook: one event per worker of every open stack. */
    static void emit() {
        for (AbstractNetworkStack s : OPEN) {
            for (int i = 0; i < s.workerCount(); i++) {
                emit(s, s.worker(i));
            }
        }
    }

    private static void emit(AbstractNetworkStack stack, AbstractWorker w) {
        WorkerStats now = w.stats();
        long polls = w.pollCount();
        long pollEvents = w.pollEventCount();
        Map<String, Long> backend = w.counters();
        WorkerEvents.Last last = w.jfrLast();
        WorkerEvent e = new WorkerEvent();
        e.stack = stack.name();
        e.worker = w.index();
        e.loopTurns = now.loopTurns() - last.stats.loopTurns();
        e.wakeups = now.wakeups() - last.stats.wakeups();
        e.syscalls = now.syscalls() - last.stats.syscalls();
        e.polls = polls - last.polls;
        e.pollEvents = pollEvents - last.pollEvents;
        e.reads = now.reads() - last.stats.reads();
        e.writes = now.writes() - last.stats.writes();
        e.bytesRead = now.bytesRead() - last.stats.bytesRead();
        e.bytesWritten = now.bytesWritten() - last.stats.bytesWritten();
        e.accepted = now.accepted() - last.stats.accepted();
        e.connections = now.connections();
        e.buffersLent = now.buffersLent();
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, Long> c : backend.entrySet()) {
            long before = last.backend.getOrDefault(c.getKey(), 0L);
            b.append(b.isEmpty() ? "" : ", ").append(c.getKey()).append('=').append(c.getValue() - before);
        }
        e.backend = b.toString();
        e.commit();
        w.jfrLast(new Last(now, polls, pollEvents, backend));
    }

    /** A worker's counters at its last event (read and written by JFR's periodic thread only). */
    record Last(WorkerStats stats, long polls, long pollEvents, Map<String, Long> backend) {
        static final Last ZERO = new Last(new WorkerStats(0, 0, 0, 0, 0, 0, 0, 0, 0, 0), 0, 0, Map.of());
    }
}
