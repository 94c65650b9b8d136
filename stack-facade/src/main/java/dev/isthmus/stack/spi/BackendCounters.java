package dev.isthmus.stack.spi;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Counters a backend defines beside the common {@link dev.isthmus.stack.WorkerStats} (retransmissions,
 * rx bursts, mbufs in use, batched enters...). Registered by name while the worker starts; the hot path
 * then adds to a counter by its index, not by a map lookup. Written only by the worker thread
 * ({@code setOpaque}, no fence) and read from any thread through {@link #snapshot()}.
 */
public final class BackendCounters {
    private static final VarHandle VALUE = MethodHandles.arrayElementVarHandle(long[].class);
    private String[] names = new String[0];
    private long[] values = new long[0];
    private volatile boolean sealed;

    BackendCounters() {
    }

    /** Adds a counter (before the worker runs); returns its index for {@link #add}. */
    int register(String name) {
        Objects.requireNonNull(name, "name");
        if (sealed) {
            throw new IllegalStateException("counter " + name + " registered after the worker started; "
                    + "register counters in the worker's constructor or onStart()");
        }
        for (String n : names) {
            if (n.equals(name)) {
                throw new IllegalArgumentException("counter " + name + " is already registered");
            }
        }
        names = Arrays.copyOf(names, names.length + 1);
        values = Arrays.copyOf(values, values.length + 1);
        names[names.length - 1] = name;
        return names.length - 1;
    }

    /** No more counters: readers may take snapshots from now on (the volatile write publishes the arrays). */
    void seal() {
        sealed = true;
    }

    /** Adds {@code delta} to counter {@code i}; worker thread only. */
    void add(int i, long delta) {
        // Single writer: a plain read of our own last write, then an opaque store for readers.
        VALUE.setOpaque(values, i, values[i] + delta);
    }

    /** Counter {@code i}'s value, from any thread. */
    long get(int i) {
        return (long) VALUE.getOpaque(values, i);
    }

    /** Every counter by name, in registration order; empty until the worker has started. Any thread. */
    Map<String, Long> snapshot() {
        if (!sealed) {
            return Map.of();
        }
        Map<String, Long> m = new LinkedHashMap<>();
        for (int i = 0; i < names.length; i++) {
            m.put(names[i], get(i));
        }
        return Collections.unmodifiableMap(m);
    }
}
