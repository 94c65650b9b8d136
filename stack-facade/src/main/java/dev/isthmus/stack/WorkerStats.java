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
 */
public record WorkerStats(long connections, long accepted, long bytesRead, long bytesWritten, long reads,
                          long writes, long syscalls, long wakeups) {

    /** Field-wise sum, for a stack-wide total. */
    public WorkerStats plus(WorkerStats o) {
        return new WorkerStats(connections + o.connections, accepted + o.accepted, bytesRead + o.bytesRead,
                bytesWritten + o.bytesWritten, reads + o.reads, writes + o.writes, syscalls + o.syscalls,
                wakeups + o.wakeups);
    }
}
