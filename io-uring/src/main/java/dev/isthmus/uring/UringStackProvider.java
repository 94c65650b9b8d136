package dev.isthmus.uring;

import dev.isthmus.stack.NetworkStack;
import dev.isthmus.stack.StackOptions;
import dev.isthmus.stack.spi.NetworkStackProvider;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * Registers the io_uring stack: name {@code io_uring}, auto priority 30, available when io_uring_setup
 * works here (not disabled by /proc/sys/kernel/io_uring_disabled or a seccomp filter) and the kernel
 * has IORING_FEAT_EXT_ARG (5.11). The conformance suite also runs it with every optimisation off, and
 * with rings so small that the buffer ring runs dry and the CQ fills.
 */
public final class UringStackProvider implements NetworkStackProvider {
    /** Public no-argument constructor for {@link java.util.ServiceLoader}. */
    public UringStackProvider() {
    }

    @Override
    public String name() {
        return "io_uring";
    }

    @Override
    public int autoPriority() {
        return 30;
    }

    @Override
    public Availability availability() {
        return IoUring.AVAILABLE ? Availability.yes(IoUring.UNAVAILABILITY_CAUSE) : Availability.no(IoUring.UNAVAILABILITY_CAUSE);
    }

    @Override
    public NetworkStack open(StackOptions options) throws IOException {
        if (!IoUring.AVAILABLE) {
            throw new IOException("io_uring is not available: " + IoUring.UNAVAILABILITY_CAUSE);
        }
        return UringNetworkStack.open(options);
    }

    @Override
    public List<Map<String, String>> conformanceVariants() {
        // Tiny rings: a two-entry buffer ring runs dry under any bulk transfer (multishot recvs end with
        // ENOBUFS and are re-armed), and a four-entry CQ fills before the worker reaps it, so a multishot
        // recv ends with data in its last CQE (the kernel cannot post one with IORING_CQE_F_MORE) and
        // completions wait in the overflow list. The defaults (512, 4096) almost never take these paths.
        return List.of(Map.of("io_uring.optimisations", "off"),
                Map.of("variant", "tiny-rings", "io_uring.bufferRingEntries", "2", "io_uring.entries", "4",
                        "io_uring.cqEntries", "4"));
    }
}
