package dev.isthmus.stack.spi;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Local ports for {@link dev.isthmus.stack.ConnectOptions#portPerWorker()}: candidates from the kernel's
 * ephemeral range ({@code /proc/sys/net/ipv4/ip_local_port_range}, see ip(7)) with
 * {@code port % workers == worker}, so that a server using {@link dev.isthmus.stack.AcceptStrategy#PORT}
 * keeps the flow on the same worker number (Seastar's {@code find_port_and_connect}). The caller binds
 * each candidate in turn and skips those that fail with {@link java.net.BindException}.
 * The one place that reads the ephemeral range; {@link RssPlacement} draws its ports from it too.
 */
public final class PortPerWorker {
    private static final int[] RANGE = readRange();

    private PortPerWorker() {
    }

    /** The ephemeral range, low and high inclusive. */
    public static int low() {
        return RANGE[0];
    }

    /** Returns the top of the ephemeral range, inclusive. */
    public static int high() {
        return RANGE[1];
    }

    /** Up to {@code max} distinct candidate ports for {@code worker} of {@code workers}, starting at random. */
    public static int[] candidates(int worker, int workers, int max) {
        if (workers < 1 || worker < 0 || worker >= workers) {
            throw new IllegalArgumentException("need 0 <= worker < workers, was " + worker + " of " + workers);
        }
        int low = RANGE[0];
        int high = RANGE[1];
        // The ports in [low, high] with port % workers == worker.
        int first = low + Math.floorMod(worker - low, workers);
        if (first > high) {
            return new int[0];
        }
        int count = (high - first) / workers + 1;
        int n = Math.min(max, count);
        int[] out = new int[n];
        int start = ThreadLocalRandom.current().nextInt(count);
        for (int i = 0; i < n; i++) {
            out[i] = first + ((start + i) % count) * workers;
        }
        return out;
    }

    /**
     * The kernel stacks' {@link FlowPlacement}: the accept strategy places inbound flows, and connect
     * takes {@link #candidates} ports.
     */
    public static FlowPlacement placement(int workers) {
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be at least 1, was " + workers);
        }
        return new FlowPlacement() {
            @Override
            public int inboundWorker(InetSocketAddress remote, InetSocketAddress local) {
                return BY_ACCEPT_STRATEGY;
            }

            @Override
            public int[] connectPorts(int worker, InetSocketAddress local, InetSocketAddress remote, int max) {
                return candidates(worker, workers, max);
            }

            @Override
            public String toString() {
                return "port % " + workers + " placement";
            }
        };
    }

    private static int[] readRange() {
        try {
            String[] parts = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim().split("\\s+");
            int low = Integer.parseInt(parts[0]);
            int high = Integer.parseInt(parts[1]);
            if (low >= 1 && low <= high && high <= 65535) {
                return new int[]{low, high};
            }
        } catch (IOException | RuntimeException e) {
            // Not Linux, or no procfs: the kernel's default range.
        }
        return new int[]{32768, 60999};
    }
}
