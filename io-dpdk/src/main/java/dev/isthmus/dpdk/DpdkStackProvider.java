package dev.isthmus.dpdk;

import dev.isthmus.dpdk.eal.Eal;
import dev.isthmus.ffi.dpdk.Dpdk;
import dev.isthmus.ffi.dpdk.rte_eal_h;
import dev.isthmus.stack.NetworkStack;
import dev.isthmus.stack.StackOptions;
import dev.isthmus.stack.spi.NetworkStackProvider;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Registers the dpdk stack: name {@code dpdk}, never chosen by {@code auto} (it needs a device and an
 * address of its own). {@link #availability()} loads the DPDK libraries to look, but never starts EAL:
 * it checks the libraries, the rights net_tap and EAL need, and whether EAL already failed in this JVM.
 * The options are described in {@link DpdkOptions}.
 */
public final class DpdkStackProvider implements NetworkStackProvider {
    /** CAP_NET_ADMIN, bit 12 of the capability sets (linux/capability.h): net_tap creates an interface. */
    private static final int CAP_NET_ADMIN = 12;

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
            return Availability.no("EAL failed to start in this JVM and cannot be retried: " + failed);
        }
        if (!hasNetAdmin()) {
            return Availability.no("no CAP_NET_ADMIN: net_tap cannot create its interface (run as root)");
        }
        String version = rte_eal_h.rte_version();
        if (!Files.exists(Path.of("/dev/net/tun"))) {
            return Availability.yes(version + "; no /dev/net/tun, so net_tap cannot work: set "
                    + DpdkOptions.PORT + " to another vdev or ring:<name>");
        }
        return Availability.yes(version + (Eal.isRunning() ? ", EAL running" : ", EAL not started yet"));
    }

    private static boolean hasNetAdmin() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("CapEff:")) {
                    long caps = Long.parseUnsignedLong(line.substring(7).trim(), 16);
                    return (caps & (1L << CAP_NET_ADMIN)) != 0;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return false;
        }
        return false;
    }

    @Override
    public NetworkStack open(StackOptions options) throws IOException {
        Availability a = availability();
        if (!a.available()) {
            throw new IOException("stack 'dpdk' is not available here: " + a.reason());
        }
        return new DpdkNetworkStack(options, DpdkOptions.from(options));
    }
}
