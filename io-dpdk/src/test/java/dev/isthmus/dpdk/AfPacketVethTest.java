package dev.isthmus.dpdk;

import dev.isthmus.stack.StackOptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Another vdev than net_tap: net_af_packet on one end of a veth pair whose other end is in a namespace
 * this test creates; the kernel there pings the stack. Then the same device is plugged again.
 */
@Timeout(120)
class AfPacketVethTest {
    static final long PID = ProcessHandle.current().pid();

    @BeforeAll
    static void eal() throws Exception {
        TestEal.start();
    }

    @Test
    void theKernelPingsTheStackOverAfPacketTwice() throws Exception {
        String here = "isva" + (PID % 100000);
        String there = "isvb" + (PID % 100000);
        try (NetNs ns = new NetNs("isthmus-dpdk-veth-" + PID)) {
            NetNs.run("ip", "link", "add", here, "type", "veth", "peer", "name", there);
            try {
                NetNs.run("ip", "link", "set", there, "netns", ns.name);
                NetNs.run("ip", "-n", ns.name, "addr", "add", "198.18.6.1/24", "dev", there);
                NetNs.run("ip", "-n", ns.name, "link", "set", there, "up");
                NetNs.run("ip", "link", "set", here, "up");
                for (int round = 0; round < 2; round++) {
                    DpdkNetworkStack stack = (DpdkNetworkStack) new DpdkStackProvider().open(StackOptions.defaults()
                            .withWorkers(1)
                            .withProperty(DpdkOptions.PORT, "net_af_packet0,iface=" + here + ",qpairs=1")
                            .withProperty(DpdkOptions.IP, "198.18.6.2"));
                    try {
                        NetNs.Result r = ns.execIn(30, "ping", "-c", "2", "-i", "0.2", "-W", "2", "198.18.6.2");
                        assertEquals(0, r.exit(), "round " + round + ": " + r.output());
                        assertTrue(r.output().contains("2 received"), r.output());
                    } finally {
                        stack.close();
                    }
                    assertEquals(0, stack.mbufsInUseAtClose(), "round " + round);
                    // The kernel keeps the stack's MAC; a new stack has the same one (af_packet takes the
                    // interface's), so the second round needs no new ARP. Forget it to resolve again.
                    ns.execIn(10, "ip", "neigh", "flush", "dev", there);
                }
            } finally {
                NetNs.exec(java.util.List.of("ip", "link", "del", here), 10);
            }
        }
    }
}
