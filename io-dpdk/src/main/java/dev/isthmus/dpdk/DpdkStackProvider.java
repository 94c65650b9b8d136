package dev.isthmus.dpdk;

import dev.isthmus.dpdk.eal.Eal;
import dev.isthmus.ffi.dpdk.Dpdk;
import dev.isthmus.ffi.dpdk.rte_eal_h;
import dev.isthmus.stack.NetworkStack;
import dev.isthmus.stack.StackOptions;
import dev.isthmus.stack.spi.NetworkStackProvider;

import java.io.IOException;
import java.util.List;

/**
 * Registers the dpdk stack: name {@code dpdk}, never chosen by {@code auto} (it needs a device and an
 * address of its own). {@link #availability()} loads the DPDK libraries to look, but never starts EAL:
 * unavailable when the libraries are missing or EAL already failed in this JVM (it cannot be retried);
 * available otherwise, the reason saying whether the default device, net_tap, can work here.
 * {@link #open} then checks what the configured {@code dpdk.port} needs ({@link PortRequirements}) before
 * EAL starts. The options are described in {@link DpdkOptions}.
 */
public final class DpdkStackProvider implements NetworkStackProvider {
    /** For ServiceLoader. */
    public DpdkStackProvider() {
    }

    @Override
    public String name() {
        return "dpdk";
    }

    @Override
    public int autoPriority() {
        return -1;
    }

    @Override
    public Availability availability() {
        if (!System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux")) {
            return Availability.no("DPDK runs on Linux only here; this is " + System.getProperty("os.name"));
        }
        if (!Dpdk.isAvailable()) {
            return Availability.no(Dpdk.unavailableReason());
        }
        String failed = Eal.failureReason();
        if (failed != null) {
            return Availability.no("EAL failed to start in this JVM and cannot be retried (restart the JVM): " + failed);
        }
        String version = rte_eal_h.rte_version();
        String tap = PortRequirements.missing("net_tap0", List.of());
        return Availability.yes(version + (Eal.isRunning() ? ", EAL running" : ", EAL not started yet")
                + (tap == null ? "" : "; the default port will not work: " + tap));
    }

    @Override
    public NetworkStack open(StackOptions options) throws IOException {
        Availability a = availability();
        if (!a.available()) {
            throw new IOException("stack 'dpdk' is not available here: " + a.reason());
        }
        DpdkOptions o = DpdkOptions.from(options);
        String missing = PortRequirements.missing(o.port(), o.ealArgs());
        if (missing != null) {
            throw new IOException(DpdkOptions.PORT + "=" + o.port() + ": " + missing);
        }
        return new DpdkNetworkStack(options, o);
    }
}
