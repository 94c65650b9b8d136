package dev.isthmus.dpdk;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What a {@code dpdk.port} needs from this machine, checked before EAL or the device is touched, so that
 * a missing right or driver is reported as such instead of as a bare errno from rte_dev_probe:
 * <ul>
 *   <li>{@code net_tap}: CAP_NET_ADMIN (it creates a kernel interface) and {@code /dev/net/tun};</li>
 *   <li>{@code net_af_packet}: CAP_NET_RAW (a packet socket);</li>
 *   <li>{@code net_memif}, {@code ring:<name>}: nothing (a Unix socket, memory of this process);</li>
 *   <li>a PCI address (a real NIC): EAL arguments without {@code --no-pci}, and the device bound to
 *       vfio-pci (or uio_pci_generic/igb_uio) rather than its kernel driver ({@code dpdk-devbind.py}).</li>
 * </ul>
 */
final class PortRequirements {
    /** Capability bits (linux/capability.h). */
    static final int CAP_NET_ADMIN = 12;
    static final int CAP_NET_RAW = 13;
    /** domain:bus:device.function, the domain optional: 0000:03:00.0 or 03:00.0. */
    private static final Pattern PCI = Pattern.compile("([0-9a-fA-F]{4}:)?[0-9a-fA-F]{2}:[0-9a-fA-F]{2}\\.[0-7]");
    private static final List<String> USERSPACE_DRIVERS = List.of("vfio-pci", "uio_pci_generic", "igb_uio");

    private PortRequirements() {
    }

    /** Whether {@code devargs}' device is a PCI address. */
    static boolean isPci(String devargs) {
        return PCI.matcher(dev.isthmus.dpdk.port.EthPort.deviceName(devargs)).matches();
    }

    /** Why {@code port} cannot be used here with {@code ealArgs}, or null if nothing is missing that can be seen. */
    static String missing(String port, List<String> ealArgs) {
        if (port.startsWith("ring:")) {
            return null;
        }
        String name = dev.isthmus.dpdk.port.EthPort.deviceName(port);
        if (name.startsWith("net_tap")) {
            if (!hasCapability(CAP_NET_ADMIN)) {
                return "net_tap needs CAP_NET_ADMIN to create its interface: run as root (or grant cap_net_admin),"
                        + " or use net_memif or ring:<name>";
            }
            if (!Files.isReadable(Path.of("/dev/net/tun")) || !Files.isWritable(Path.of("/dev/net/tun"))) {
                return "net_tap needs /dev/net/tun (the tun module; in a container, the device passed in)";
            }
        } else if (name.startsWith("net_af_packet")) {
            if (!hasCapability(CAP_NET_RAW)) {
                return "net_af_packet needs CAP_NET_RAW for its packet socket: run as root (or grant cap_net_raw)";
            }
        } else if (PCI.matcher(name).matches()) {
            if (ealArgs.contains("--no-pci")) {
                return "a PCI device needs EAL without --no-pci: set dpdk.eal-args (see io-dpdk/README.md,"
                        + " \"a real NIC\")";
            }
            String full = name.length() == 7 ? "0000:" + name : name;
            Path driver = Path.of("/sys/bus/pci/devices", full, "driver");
            if (!Files.exists(Path.of("/sys/bus/pci/devices", full))) {
                return "no PCI device " + full + " here (lspci -D lists them)";
            }
            String bound = "no driver";
            try {
                bound = Files.isSymbolicLink(driver) ? Files.readSymbolicLink(driver).getFileName().toString() : bound;
            } catch (IOException e) {
                // unreadable: reported as unbound below
            }
            if (!USERSPACE_DRIVERS.contains(bound)) {
                return "PCI device " + full + " is bound to " + bound + ", not to vfio-pci: "
                        + "dpdk-devbind.py --bind=vfio-pci " + full + " (after modprobe vfio-pci)";
            }
        }
        return null;
    }

    /** Whether this process has capability {@code bit} in its effective set (/proc/self/status, CapEff). */
    static boolean hasCapability(int bit) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("CapEff:")) {
                    long caps = Long.parseUnsignedLong(line.substring(7).trim(), 16);
                    return (caps & (1L << bit)) != 0;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return false;
        }
        return false;
    }
}
