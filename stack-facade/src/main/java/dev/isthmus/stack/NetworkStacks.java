package dev.isthmus.stack;

import dev.isthmus.stack.spi.NetworkStackProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

/**
 * Opens stacks by name. Backends are found with {@link ServiceLoader}; this class never imports one.
 * <pre>{@code
 * try (NetworkStack stack = NetworkStacks.open("auto", StackOptions.defaults())) { ... }
 * }</pre>
 * {@code auto} takes the available stack with the highest priority (io_uring, then epoll, then nio)
 * and logs which one it chose and why it skipped the others.
 */
public final class NetworkStacks {
    private static final Logger LOG = LoggerFactory.getLogger(NetworkStacks.class);

    /** The system property that {@link #open()} and {@link #open(StackOptions)} read. */
    public static final String STACK_PROPERTY = "isthmus.stack";

    private NetworkStacks() {
    }

    /** One line per backend found: its name, whether it can run here, and why (not). */
    public record StackInfo(String name, boolean available, String reason, int autoPriority) {
    }

    /** Every backend on the class or module path, highest auto priority first. */
    public static List<StackInfo> list() {
        List<StackInfo> out = new ArrayList<>();
        for (NetworkStackProvider p : providers()) {
            NetworkStackProvider.Availability a = p.availability();
            out.add(new StackInfo(p.name(), a.available(), a.reason(), p.autoPriority()));
        }
        return out;
    }

    /** Opens the stack named by {@code -Disthmus.stack} (default {@code auto}) with default options. */
    public static NetworkStack open() throws IOException {
        return open(StackOptions.defaults());
    }

    /** Opens the stack named by {@code -Disthmus.stack} (default {@code auto}). */
    public static NetworkStack open(StackOptions options) throws IOException {
        return open(System.getProperty(STACK_PROPERTY, "auto"), options);
    }

    /** Opens {@code name} with default options. */
    public static NetworkStack open(String name) throws IOException {
        return open(name, StackOptions.defaults());
    }

    /**
     * Opens the stack called {@code name} ({@code io_uring}, {@code epoll}, {@code dpdk}, {@code nio},
     * or {@code auto}).
     *
     * @throws IllegalArgumentException if no backend has that name (the message lists those there are)
     * @throws IOException              if the backend is not available here (the message says why) or
     *                                  failed to start
     */
    public static NetworkStack open(String name, StackOptions options) throws IOException {
        Objects.requireNonNull(name, "stack name");
        Objects.requireNonNull(options, "options");
        List<NetworkStackProvider> all = providers();
        if (name.equals("auto")) {
            return openAuto(all, options);
        }
        for (NetworkStackProvider p : all) {
            if (p.name().equals(name)) {
                NetworkStackProvider.Availability a = p.availability();
                if (!a.available()) {
                    throw new IOException("stack '" + name + "' is not available here: " + a.reason());
                }
                return p.open(options);
            }
        }
        throw new IllegalArgumentException("unknown stack '" + name + "'; known: auto, "
                + all.stream().map(NetworkStackProvider::name).collect(Collectors.joining(", ")));
    }

    private static NetworkStack openAuto(List<NetworkStackProvider> all, StackOptions options) throws IOException {
        List<String> skipped = new ArrayList<>();
        for (NetworkStackProvider p : all) {
            if (p.autoPriority() < 0) {
                continue;
            }
            NetworkStackProvider.Availability a = p.availability();
            if (a.available()) {
                LOG.info("auto: chose stack {} ({}){}", p.name(), a.reason(),
                        skipped.isEmpty() ? "" : "; skipped " + String.join("; ", skipped));
                return p.open(options);
            }
            skipped.add(p.name() + ": " + a.reason());
            LOG.info("auto: skipping stack {}: {}", p.name(), a.reason());
        }
        throw new IOException("auto: no stack is available; " + String.join("; ", skipped));
    }

    private static List<NetworkStackProvider> providers() {
        List<NetworkStackProvider> list = new ArrayList<>();
        ServiceLoader.load(NetworkStackProvider.class, NetworkStacks.class.getClassLoader()).forEach(list::add);
        list.sort(Comparator.comparingInt(NetworkStackProvider::autoPriority).reversed()
                .thenComparing(NetworkStackProvider::name));
        return list;
    }
}
