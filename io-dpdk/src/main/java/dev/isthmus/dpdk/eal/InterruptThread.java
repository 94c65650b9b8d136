package dev.isthmus.dpdk.eal;

import dev.isthmus.ffi.dpdk.rte_eal_h;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs a task on EAL's interrupt thread ({@code eal-intr-thread}), through a one-shot alarm
 * ({@code rte_eal_alarm_set}, whose callbacks that thread runs).
 *
 * <p>Why: drivers handle their control events on that thread, and some of them are not safe against the
 * same device being stopped from another thread at the same moment. net_memif (DPDK 22.11, still so in
 * later releases) runs {@code memif_disconnect} there when the peer's disconnect message arrives, and
 * {@code rte_eth_dev_stop} runs the same function on the caller's thread; only the control channel is
 * locked, so both free the shared-memory regions (seen as "EAL: Error: Invalid memory", a double
 * rte_free). Stopping and closing such a device on the interrupt thread serialises the two, as DPDK's
 * testpmd does when it detaches a removed device from an alarm callback ({@code rmv_port_callback}).
 *
 * <p>The callback is an FFM upcall stub made once; a task is found by the id passed as the callback's
 * argument. A task must not block on anything the interrupt thread itself would have to do.
 */
public final class InterruptThread {
    private static final Map<Long, Runnable> TASKS = new ConcurrentHashMap<>();
    private static final AtomicLong IDS = new AtomicLong();
    private static final MemorySegment CALLBACK;

    static {
        try {
            CALLBACK = Linker.nativeLinker().upcallStub(MethodHandles.lookup().findStatic(InterruptThread.class,
                    "fire", MethodType.methodType(void.class, MemorySegment.class)),
                    rte_eal_h.RTE_EAL_ALARM_CALLBACK, Arena.global());
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private InterruptThread() {
    }

    /** Runs {@code task} on EAL's interrupt thread and waits for it (EAL must run); rethrows what it threw. */
    public static void runAndWait(String what, IoTask task) throws IOException {
        CompletableFuture<Void> done = new CompletableFuture<>();
        long id = IDS.incrementAndGet();
        TASKS.put(id, () -> {
            try {
                task.run();
                done.complete(null);
            } catch (Throwable t) {
                done.completeExceptionally(t);
            }
        });
        int rc = rte_eal_h.rte_eal_alarm_set(1, CALLBACK, MemorySegment.ofAddress(id));
        if (rc < 0) {
            TASKS.remove(id);
            throw new IOException(what + ": rte_eal_alarm_set failed: errno " + -rc);
        }
        try {
            done.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IOException(what + " failed on EAL's interrupt thread", e.getCause());
        } catch (TimeoutException e) {
            throw new IOException(what + ": EAL's interrupt thread did not run it within 30 s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for " + what, e);
        }
    }

    /** A task that may throw an IOException. */
    @FunctionalInterface
    public interface IoTask {
        /** Does the work. */
        void run() throws IOException;
    }

    /** The alarm callback, on EAL's interrupt thread: nothing may escape an upcall (it would end the JVM). */
    private static void fire(MemorySegment arg) {
        Runnable r = TASKS.remove(arg.address());
        if (r != null) {
            try {
                r.run();
            } catch (Throwable t) {
                // runAndWait's task completes its future itself; this is only a last guard.
            }
        }
    }
}
