package dev.isthmus.stack;

/**
 * A snapshot of one worker's counters since it started.
 *
 * @param connections  live connections now
 * @param accepted     connections accepted
 * @param bytesRead    bytes received
 * @param bytesWritten bytes handed to the kernel
 * @param reads        read operations completed (read(2) calls, recv CQEs, rx bursts)
 * @param writes       write operations completed (writev calls, send CQEs, tx bursts)
 * @param syscalls     system calls made by the worker thread (for io_uring: io_uring_enter calls)
 * @param wakeups      times the worker was woken from a blocking wait
 * @param loopTurns    turns of the event loop (tasks, timers, one poll); an idle worker makes almost none
 * @param buffersLent  pool buffers lent now (to connections, the application, or the kernel to fill); after
 *                     the stack has closed, anything but 0 is a leak
 */
public record WorkerStats(long connections, long accepted, long bytesRead, long bytesWritten, long reads,
                          long writes, long syscalls, long wakeups, long loopTurns, long buffersLent) {

    /** Field-wise sum, for a stack-wide total. */
    public WorkerStats plus(WorkerStats o) {
        return new WorkerStats(connections + o.connections, accepted + o.accepted, bytesRead + o.bytesRead,
                bytesWritten + o.bytesWritten, reads + o.reads, writes + o.writes, syscalls + o.syscalls,
                wakeups + o.wakeups, loopTurns + o.loopTurns, buffersLent + o.buffersLent);
    }
}
