package dev.isthmus.stack;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * How a stack is opened. Immutable; start from {@link #defaults()} and change what you need:
 * <pre>{@code
 * StackOptions o = StackOptions.defaults().withWorkers(1).withPinWorkers(true);
 * }</pre>
 *
 * @param workers              worker threads (default: available processors); at least 1
 * @param pinWorkers           pin worker {@code i} to CPU {@code (firstCpu + i) % cpus} with sched_setaffinity
 * @param firstCpu             the CPU that worker 0 is pinned to when pinning
 * @param spin                 how long an idle worker polls without sleeping before it blocks (0: never spin)
 * @param bufferSize           size of one pooled I/O buffer in bytes (reads land in these)
 * @param writeHighWatermark   pending outbound bytes above which {@link Connection#isWritable()} turns false
 * @param writeLowWatermark    pending outbound bytes below which it turns true again and
 *                             {@link ConnectionHandler#onWritable} is called
 * @param closeDrainTimeout    default deadline for {@link NetworkStack#close()} to drain pending writes
 * @param properties           backend-specific switches, e.g. {@code io_uring.sqpoll=true},
 *                             {@code epoll.trigger=level}; each backend documents its own keys
 */
public record StackOptions(int workers, boolean pinWorkers, int firstCpu, Duration spin, int bufferSize,
                           int writeHighWatermark, int writeLowWatermark, Duration closeDrainTimeout,
                           Map<String, String> properties) {

    /** Checks the values (the messages say which was wrong) and copies {@code properties}. */
    public StackOptions {
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be at least 1, was " + workers);
        }
        if (firstCpu < 0) {
            throw new IllegalArgumentException("firstCpu must be >= 0, was " + firstCpu);
        }
        Objects.requireNonNull(spin, "spin");
        if (spin.isNegative()) {
            throw new IllegalArgumentException("spin must not be negative, was " + spin);
        }
        if (bufferSize < 512 || bufferSize > (1 << 24) || Integer.bitCount(bufferSize) != 1) {
            throw new IllegalArgumentException("bufferSize must be a power of two from 512 to 16 MiB, was " + bufferSize);
        }
        if (writeLowWatermark < 0 || writeHighWatermark < writeLowWatermark) {
            throw new IllegalArgumentException("need 0 <= writeLowWatermark <= writeHighWatermark, was "
                    + writeLowWatermark + " and " + writeHighWatermark);
        }
        Objects.requireNonNull(closeDrainTimeout, "closeDrainTimeout");
        properties = Map.copyOf(Objects.requireNonNull(properties, "properties"));
    }

    /** Defaults: a worker per available processor, no pinning, no spin, 16 KiB buffers, 64/32 KiB watermarks, 5 s drain. */
    public static StackOptions defaults() {
        return new StackOptions(Runtime.getRuntime().availableProcessors(), false, 0, Duration.ZERO, 16 * 1024,
                64 * 1024, 32 * 1024, Duration.ofSeconds(5), Map.of());
    }

    /** A copy with {@code n}: worker threads, at least 1. */
    public StackOptions withWorkers(int n) {
        return new StackOptions(n, pinWorkers, firstCpu, spin, bufferSize, writeHighWatermark, writeLowWatermark, closeDrainTimeout, properties);
    }

    /** A copy with {@code pin}: whether to pin each worker to a CPU. */
    public StackOptions withPinWorkers(boolean pin) {
        return new StackOptions(workers, pin, firstCpu, spin, bufferSize, writeHighWatermark, writeLowWatermark, closeDrainTimeout, properties);
    }

    /** A copy with {@code cpu}: the CPU worker 0 is pinned to. */
    public StackOptions withFirstCpu(int cpu) {
        return new StackOptions(workers, pinWorkers, cpu, spin, bufferSize, writeHighWatermark, writeLowWatermark, closeDrainTimeout, properties);
    }

    /** A copy with {@code d}: how long an idle worker polls before it blocks, not negative. */
    public StackOptions withSpin(Duration d) {
        return new StackOptions(workers, pinWorkers, firstCpu, d, bufferSize, writeHighWatermark, writeLowWatermark, closeDrainTimeout, properties);
    }

    /** A copy with {@code bytes}: pooled buffer size, a power of two from 512 to 16 MiB. */
    public StackOptions withBufferSize(int bytes) {
        return new StackOptions(workers, pinWorkers, firstCpu, spin, bytes, writeHighWatermark, writeLowWatermark, closeDrainTimeout, properties);
    }

    /**
     * A copy with other write watermarks (see {@link Connection#isWritable()}).
     *
     * @param low  pending bytes below which a connection is writable again
     * @param high pending bytes above which it is not writable; at least {@code low}
     * @return a copy with both
     */
    public StackOptions withWriteWatermarks(int low, int high) {
        return new StackOptions(workers, pinWorkers, firstCpu, spin, bufferSize, high, low, closeDrainTimeout, properties);
    }

    /** A copy with {@code d}: how long {@link NetworkStack#close()} lets pending writes drain. */
    public StackOptions withCloseDrainTimeout(Duration d) {
        return new StackOptions(workers, pinWorkers, firstCpu, spin, bufferSize, writeHighWatermark, writeLowWatermark, d, properties);
    }

    /** A copy with one backend property set. */
    public StackOptions withProperty(String key, String value) {
        Map<String, String> p = new TreeMap<>(properties);
        p.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
        return new StackOptions(workers, pinWorkers, firstCpu, spin, bufferSize, writeHighWatermark, writeLowWatermark, closeDrainTimeout, p);
    }

    /**
     * A backend property: the one set here, else the system property {@code isthmus.<key>}, else {@code def}.
     */
    public String property(String key, String def) {
        String v = properties.get(key);
        if (v == null) {
            v = System.getProperty("isthmus." + key);
        }
        return v != null ? v : def;
    }

    /** A boolean backend property, with the same lookup as {@link #property(String, String)}. */
    public boolean booleanProperty(String key, boolean def) {
        String v = property(key, null);
        if (v == null) {
            return def;
        }
        return switch (v.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "true", "yes", "on", "1" -> true;
            case "false", "no", "off", "0" -> false;
            default -> throw new IllegalArgumentException("property " + key + " must be true or false, was '" + v + "'");
        };
    }

    /** An integer backend property, with the same lookup as {@link #property(String, String)}. */
    public long longProperty(String key, long def) {
        String v = property(key, null);
        if (v == null) {
            return def;
        }
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("property " + key + " must be a whole number, was '" + v + "'");
        }
    }
}
