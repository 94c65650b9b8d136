/**
 * The dpdk network stack: DPDK 22.11 ports driven through the FFM bindings, with a userspace
 * ARP/IPv4/ICMP/UDP stack; registered as the {@code dpdk} NetworkStackProvider.
 */
module dev.isthmus.dpdk {
    requires dev.isthmus.ffi;
    requires dev.isthmus.stack;
    requires jdk.net;

    exports dev.isthmus.dpdk;
    exports dev.isthmus.dpdk.net;
    exports dev.isthmus.dpdk.tcp;

    provides dev.isthmus.stack.spi.NetworkStackProvider with dev.isthmus.dpdk.DpdkStackProvider;
}
