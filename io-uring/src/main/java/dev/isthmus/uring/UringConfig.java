package dev.isthmus.uring;

import dev.isthmus.stack.StackOptions;

import java.util.ArrayList;
import java.util.List;

/**
 * Which io_uring optimisations a stack uses: each is on when the kernel supports it ({@link IoUring})
 * and its switch is not off. Switches are {@link StackOptions#property} keys (or
 * {@code -Disthmus.<key>}); {@code io_uring.optimisations=off} turns every one off at once, so the
 * stack runs as on an old kernel (plain accept/recv/sendmsg, eventfd wakeups, no setup flags).
 *
 * <table>
 * <caption>Switches</caption>
 * <tr><th>key</th><th>default</th><th>what</th></tr>
 * <tr><td>io_uring.deferTaskrun</td><td>true</td><td>SINGLE_ISSUER|DEFER_TASKRUN, else COOP_TASKRUN|TASKRUN_FLAG</td></tr>
 * <tr><td>io_uring.coopTaskrun</td><td>true</td><td>COOP_TASKRUN|TASKRUN_FLAG when DEFER_TASKRUN is off</td></tr>
 * <tr><td>io_uring.submitAll, io_uring.noSqArray, io_uring.cqSize</td><td>true</td><td>setup flags</td></tr>
 * <tr><td>io_uring.registeredRing</td><td>true</td><td>IORING_REGISTER_RING_FDS + IORING_ENTER_REGISTERED_RING</td></tr>
 * <tr><td>io_uring.multishotAccept</td><td>true</td><td>IORING_ACCEPT_MULTISHOT</td></tr>
 * <tr><td>io_uring.bufferRing</td><td>true</td><td>a provided-buffer ring per worker</td></tr>
 * <tr><td>io_uring.multishotRecv</td><td>true</td><td>IORING_RECV_MULTISHOT (needs the buffer ring)</td></tr>
 * <tr><td>io_uring.sendZc, io_uring.sendZcThreshold</td><td>true, 16384</td><td>SEND_ZC/SENDMSG_ZC for flushes of at least that many bytes</td></tr>
 * <tr><td>io_uring.msgRing</td><td>true</td><td>IORING_OP_MSG_RING for worker-to-worker wakeups and fd hand-off</td></tr>
 * <tr><td>io_uring.fixedFiles, io_uring.fixedFileEntries</td><td>true, 4096</td><td>connections in a registered file table (IORING_REGISTER_FILES), IOSQE_FIXED_FILE on their requests</td></tr>
 * <tr><td>io_uring.batchWait, io_uring.batchWaitMicros, io_uring.batchWaitMax</td><td>true, 200, 16</td><td>a
 *     blocking enter submits and waits in one call for the inline sends plus as many arrivals as the last
 *     turn saw (at most batchWaitMax), holding completions back at most batchWaitMicros (min_wait_usec,
 *     IORING_FEAT_MIN_TIMEOUT, 6.12; needs DEFER_TASKRUN): see {@link BatchedWait}</td></tr>
 * <tr><td>io_uring.sqpoll, io_uring.sqpollIdleMillis</td><td>false, 50</td><td>a kernel SQ polling thread</td></tr>
 * <tr><td>io_uring.entries, io_uring.cqEntries, io_uring.bufferRingEntries</td><td>256, 4096, 512</td><td>sizes</td></tr>
 * </table>
 */
final class UringConfig {
    final boolean deferTaskrun;
    final boolean coopTaskrun;
    final boolean submitAll;
    final boolean noSqArray;
    final boolean cqSize;
    final boolean registeredRing;
    final boolean multishotAccept;
    final boolean bufferRing;
    final boolean multishotRecv;
    final boolean sendZc;
    final boolean msgRing;
    final boolean sqpoll;
    final boolean fixedFiles;
    final boolean batchWait;
    final int batchWaitMicros;
    final int batchWaitMax;
    final int fixedFileEntries;
    final int sqpollIdleMillis;
    final int sendZcThreshold;
    final int entries;
    final int cqEntries;
    final int bufferRingEntries;
    /** One line per optimisation that is off, with the reason (a switch, or what the kernel lacks). */
    final List<String> off = new ArrayList<>();

    UringConfig(StackOptions o) {
        boolean all = !"off".equalsIgnoreCase(o.property("io_uring.optimisations", "on").trim());
        deferTaskrun = decide(o, "io_uring.deferTaskrun", all, IoUring.DEFER_TASKRUN_SUPPORTED, "IORING_SETUP_DEFER_TASKRUN (6.1)");
        coopTaskrun = !deferTaskrun
                && decide(o, "io_uring.coopTaskrun", all, IoUring.COOP_TASKRUN_SUPPORTED, "IORING_SETUP_COOP_TASKRUN (5.19)");
        submitAll = decide(o, "io_uring.submitAll", all, IoUring.SUBMIT_ALL_SUPPORTED, "IORING_SETUP_SUBMIT_ALL (5.18)");
        noSqArray = decide(o, "io_uring.noSqArray", all, IoUring.NO_SQARRAY_SUPPORTED, "IORING_SETUP_NO_SQARRAY (6.6)");
        cqSize = decide(o, "io_uring.cqSize", all, IoUring.CQSIZE_SUPPORTED, "IORING_SETUP_CQSIZE (5.5)");
        registeredRing = decide(o, "io_uring.registeredRing", all, IoUring.REGISTERED_RING_SUPPORTED, "IORING_REGISTER_RING_FDS (5.18)");
        multishotAccept = decide(o, "io_uring.multishotAccept", all, IoUring.MULTISHOT_ACCEPT_SUPPORTED, "IORING_ACCEPT_MULTISHOT (5.19)");
        bufferRing = decide(o, "io_uring.bufferRing", all, IoUring.BUFFER_RING_SUPPORTED, "IORING_REGISTER_PBUF_RING (5.19)");
        boolean msr = decide(o, "io_uring.multishotRecv", all, IoUring.MULTISHOT_RECV_SUPPORTED, "IORING_RECV_MULTISHOT (6.0)");
        if (msr && !bufferRing) {
            off.add("io_uring.multishotRecv: needs the buffer ring, which is off");
            msr = false;
        }
        multishotRecv = msr;
        sendZc = decide(o, "io_uring.sendZc", all, IoUring.SEND_ZC_SUPPORTED, "IORING_OP_SEND_ZC/SENDMSG_ZC (6.1)");
        msgRing = decide(o, "io_uring.msgRing", all, IoUring.MSG_RING_SUPPORTED, "IORING_OP_MSG_RING (5.18)");
        // A sparse registered file table (5.19 for the sparse form; older kernels fail the register and
        // the worker then runs with plain fds): saves the fget/fput of every request on a connection.
        fixedFiles = decide(o, "io_uring.fixedFiles", all, true, "IORING_REGISTER_FILES");
        fixedFileEntries = powerOfTwo(o, "io_uring.fixedFileEntries", 4096, 1 << 20);
        // SQPOLL costs a kernel thread spinning per worker: opt-in only.
        sqpoll = decide(o, "io_uring.sqpoll", false, IoUring.SQPOLL_SUPPORTED, "IORING_SETUP_SQPOLL");
        sqpollIdleMillis = (int) o.longProperty("io_uring.sqpollIdleMillis", 50);
        boolean bw = decide(o, "io_uring.batchWait", all, IoUring.MIN_TIMEOUT_SUPPORTED, "IORING_FEAT_MIN_TIMEOUT (6.12)");
        if (bw && !deferTaskrun) {
            // Without DEFER_TASKRUN every completion wakes the waiter: no fewer wake-ups to win.
            off.add("io_uring.batchWait: needs DEFER_TASKRUN, which is off");
            bw = false;
        }
        if (bw && sqpoll) {
            off.add("io_uring.batchWait: not with SQPOLL (its enters do not submit)");
            bw = false;
        }
        batchWait = bw;
        // 200 µs: long enough that under load the wait usually ends on the arrivals it asked for, not on
        // the min-wait timer (a timer interrupt per batch cost ~3 % of CPU per request on the 2-CPU VM
        // of the README's figures), short enough to stay well below a millisecond when load stops.
        batchWaitMicros = bounded(o, "io_uring.batchWaitMicros", 200, 1, 1_000_000);
        batchWaitMax = bounded(o, "io_uring.batchWaitMax", 16, 1, 4096);
        sendZcThreshold = positive(o, "io_uring.sendZcThreshold", 16 * 1024);
        entries = powerOfTwo(o, "io_uring.entries", 256, 32768);
        cqEntries = powerOfTwo(o, "io_uring.cqEntries", 4096, 1 << 20);
        bufferRingEntries = powerOfTwo(o, "io_uring.bufferRingEntries", 512, 32768);
    }

    private boolean decide(StackOptions o, String key, boolean def, boolean supported, String what) {
        if (!o.booleanProperty(key, def)) {
            off.add(key + ": switched off");
            return false;
        }
        if (!supported) {
            off.add(key + ": " + IoUring.missing(what));
            return false;
        }
        return true;
    }

    private static int positive(StackOptions o, String key, int def) {
        return bounded(o, key, def, 1, Integer.MAX_VALUE);
    }

    private static int bounded(StackOptions o, String key, int def, int min, int max) {
        long v = o.longProperty(key, def);
        if (v < min || v > max) {
            throw new IllegalArgumentException(max == Integer.MAX_VALUE
                    ? "property " + key + " must be a positive int, was " + v
                    : "property " + key + " must be from " + min + " to " + max + ", was " + v);
        }
        return (int) v;
    }

    private static int powerOfTwo(StackOptions o, String key, int def, int max) {
        long v = o.longProperty(key, def);
        if (v < 1 || v > max || Long.bitCount(v) != 1) {
            throw new IllegalArgumentException("property " + key + " must be a power of two from 1 to " + max + ", was " + v);
        }
        return (int) v;
    }

    /** Which optimisations are on, for the log line at open. */
    String describeOn() {
        StringBuilder b = new StringBuilder();
        append(b, deferTaskrun, "deferTaskrun");
        append(b, coopTaskrun, "coopTaskrun");
        append(b, submitAll, "submitAll");
        append(b, noSqArray, "noSqArray");
        append(b, cqSize, "cqSize");
        append(b, registeredRing, "registeredRing");
        append(b, multishotAccept, "multishotAccept");
        append(b, bufferRing, "bufferRing");
        append(b, multishotRecv, "multishotRecv");
        append(b, sendZc, "sendZc>=" + sendZcThreshold);
        append(b, msgRing, "msgRing");
        append(b, sqpoll, "sqpoll");
        append(b, fixedFiles, "fixedFiles");
        append(b, batchWait, "batchWait<=" + batchWaitMicros + "us/" + batchWaitMax);
        return b.isEmpty() ? "none" : b.toString();
    }

    private static void append(StringBuilder b, boolean on, String name) {
        if (on) {
            b.append(b.isEmpty() ? "" : ", ").append(name);
        }
    }
}
