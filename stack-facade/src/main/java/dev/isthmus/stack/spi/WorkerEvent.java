package dev.isthmus.stack.spi;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Period;
import jdk.jfr.StackTrace;

/**
 * What one worker did in one JFR period: a periodic event (default every second while a recording has
 * it enabled), emitted by {@link WorkerEvents} from JFR's periodic thread, one per worker of every open
 * stack. Counts are deltas over the period; {@code connections} and {@code buffersLent} are levels at its
 * end. Batch size = {@code pollEvents / polls} (completions or readiness events handled per wait).
 *
 * <p>Costs nothing while no recording enables it: the counters are the worker's own, kept anyway, and
 * JFR calls the hook only for a recording that asks for the event ({@code jfr print --events
 * isthmus.Worker}, or JDK Mission Control's event browser under "Isthmus").
 */
@Name(WorkerEvent.NAME)
@Label("Isthmus Worker")
@Category("Isthmus")
@Description("Loop turns, system calls, completions, bytes and connections of one network stack worker over one period")
@Period("1 s")
@Enabled(true)
@StackTrace(false)
final class WorkerEvent extends Event {
    /** The event's name in a recording. */
    static final String NAME = "isthmus.Worker";

    @Label("Stack")
    String stack;

    @Label("Worker")
    int worker;

    @Label("Loop Turns")
    long loopTurns;

    @Label("Wake-ups")
    @Description("Times the worker was woken from a blocking wait")
    long wakeups;

    @Label("System Calls")
    @Description("System calls made by the worker (for io_uring: io_uring_enter calls)")
    long syscalls;

    @Label("Polls")
    @Description("Waits for I/O (epoll_wait, io_uring_enter with a wait, a select, an rx burst)")
    long polls;

    @Label("Poll Events")
    @Description("Completions or readiness events handled by those polls; pollEvents / polls is the batch size")
    long pollEvents;

    @Label("Reads")
    long reads;

    @Label("Writes")
    long writes;

    @Label("Bytes Read")
    @DataAmount
    long bytesRead;

    @Label("Bytes Written")
    @DataAmount
    long bytesWritten;

    @Label("Accepted")
    long accepted;

    @Label("Connections")
    @Description("Live connections at the end of the period")
    long connections;

    @Label("Buffers Lent")
    @Description("Pool buffers in use at the end of the period (by connections, or lent to the kernel)")
    long buffersLent;

    @Label("Backend Counters")
    @Description("The backend's own counters, name=delta, e.g. io_uring's batched waits")
    String backend;
}
