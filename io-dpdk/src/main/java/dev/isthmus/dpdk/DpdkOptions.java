package dev.isthmus.dpdk;

import dev.isthmus.dpdk.eal.Eal;
import dev.isthmus.dpdk.net.NetConfig;
import dev.isthmus.dpdk.net.Wire;
import dev.isthmus.dpdk.tcp.CongestionControl;
import dev.isthmus.dpdk.tcp.TcpLimits;
import dev.isthmus.dpdk.port.FaultPlan;
import dev.isthmus.stack.StackOptions;

import java.util.Arrays;
import java.util.List;

/**
 * The dpdk stack's {@link StackOptions} properties, typed and checked once at open; a bad value fails
 * with a message naming the property.
 *
 * <table>
 *   <caption>Properties</caption>
 *   <tr><th>property</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@value #IP}</td><td>(required)</td><td>our IPv4 address</td></tr>
 *   <tr><td>{@value #NETMASK}</td><td>255.255.255.0</td><td>netmask, dotted or as a prefix length</td></tr>
 *   <tr><td>{@value #GATEWAY}</td><td>none</td><td>default router, on our subnet</td></tr>
 *   <tr><td>{@value #MTU}</td><td>1500</td><td>largest IP packet sent unfragmented (68..1500 with
 *       the default mbuf size)</td></tr>
 *   <tr><td>{@value #MAC}</td><td>the port's</td><td>our MAC address</td></tr>
 *   <tr><td>{@value #PORT}</td><td>net_tap0,iface=isthmus0</td><td>the device: vdev devargs, hot-plugged,
 *       or {@code ring:<name>}: one side of an in-process cable (the first stack opening a name takes
 *       side A, the second side B)</td></tr>
 *   <tr><td>{@value #EAL_ARGS}</td><td>{@link Eal#defaultArgs()}</td><td>EAL arguments, space-separated;
 *       used by the first dpdk stack of the JVM only</td></tr>
 *   <tr><td>{@value #MBUFS}</td><td>4095</td><td>mbufs in each worker's pool</td></tr>
 *   <tr><td>{@value #ARP_TIMEOUT_MS}</td><td>60000</td><td>how long a learnt ARP entry is used</td></tr>
 *   <tr><td>{@value #REASSEMBLY_TIMEOUT_MS}</td><td>30000</td><td>time to collect a datagram's
 *       fragments (Linux's ipfrag_time)</td></tr>
 *   <tr><td>{@value #REASSEMBLY_MAX_BYTES}</td><td>4194304</td><td>reassembly memory per worker
 *       (Linux's ipfrag_high_thresh)</td></tr>
 *   <tr><td>{@value #CONGESTION_CONTROL}</td><td>newreno</td><td>TCP congestion control of every connection:
 *       {@code newreno} (RFC 5681, 6582) or {@code cubic} (RFC 9438)</td></tr>
 *   <tr><td>{@value #SYN_COOKIES}</td><td>true</td><td>answer SYNs with SYN cookies when a listener's
 *       half-open queue (its backlog) is full, instead of dropping them</td></tr>
 *   <tr><td>{@value #CHALLENGE_ACK_LIMIT}</td><td>1000</td><td>challenge ACKs (RFC 5961) a worker sends
 *       per second at most (Linux's tcp_challenge_ack_limit)</td></tr>
 *   <tr><td>{@value #WINDOW_STALL_MS}</td><td>120000</td><td>a connection whose peer keeps its window
 *       below one segment on our waiting data, taking less than a segment, is aborted after this</td></tr>
 *   <tr><td>{@value #TCP_REASSEMBLY_MAX_BYTES}</td><td>67108864</td><td>TCP out-of-order memory per worker,
 *       over all its connections</td></tr>
 *   <tr><td>{@value #TCP_SACK}</td><td>true</td><td>offer and use SACK (RFC 2018) and SACK-based loss
 *       recovery (RFC 6675); false: cumulative ACKs and NewReno only</td></tr>
 *   <tr><td>{@value #TCP_TIMESTAMPS}</td><td>true</td><td>offer and use TCP timestamps (RFC 7323 3-5:
 *       RTT measurement, PAWS)</td></tr>
 *   <tr><td>{@value #TCP_TLP}</td><td>true</td><td>send a tail loss probe (RFC 8985 7) when a SACK
 *       connection's ACKs stop for two round trips, before the retransmission timeout</td></tr>
 *   <tr><td>{@value #RX_LOSS}, {@value #TX_LOSS}</td><td>0</td><td>fault injection: the share of frames
 *       dropped on receive / before sending, in percent ({@code 1} or {@code 1%}), 0..100</td></tr>
 *   <tr><td>{@value #RX_REORDER}, {@value #TX_REORDER}</td><td>0</td><td>fault injection: the share of
 *       frames held back behind 1..3 later ones, in percent</td></tr>
 *   <tr><td>{@value #FAULT_SEED}</td><td>1</td><td>the seed of the fault injection's generators (same
 *       seed, same faults for the same frames)</td></tr>
 * </table>
 */
public record DpdkOptions(NetConfig net, long mac, String port, List<String> ealArgs, int mbufs, long arpTimeoutNanos,
                          long reassemblyTimeoutNanos, long reassemblyMaxBytes,
                          CongestionControl.Algorithm congestionControl, TcpLimits tcpLimits, boolean tcpSack,
                          boolean tcpTimestamps, boolean tcpTailLossProbe, FaultPlan faults) {
    public static final String IP = "dpdk.ip";
    public static final String NETMASK = "dpdk.netmask";
    public static final String GATEWAY = "dpdk.gateway";
    public static final String MTU = "dpdk.mtu";
    public static final String MAC = "dpdk.mac";
    public static final String PORT = "dpdk.port";
    public static final String EAL_ARGS = "dpdk.eal-args";
    public static final String MBUFS = "dpdk.mbufs";
    public static final String ARP_TIMEOUT_MS = "dpdk.arp-timeout-ms";
    public static final String REASSEMBLY_TIMEOUT_MS = "dpdk.reassembly-timeout-ms";
    public static final String REASSEMBLY_MAX_BYTES = "dpdk.reassembly-max-bytes";
    public static final String CONGESTION_CONTROL = "dpdk.congestion-control";
    public static final String SYN_COOKIES = "dpdk.syn-cookies";
    public static final String CHALLENGE_ACK_LIMIT = "dpdk.challenge-ack-limit";
    public static final String WINDOW_STALL_MS = "dpdk.window-stall-ms";
    public static final String TCP_REASSEMBLY_MAX_BYTES = "dpdk.tcp-reassembly-max-bytes";
    public static final String TCP_SACK = "dpdk.tcp-sack";
    public static final String TCP_TIMESTAMPS = "dpdk.tcp-timestamps";
    public static final String TCP_TLP = "dpdk.tcp-tlp";
    public static final String RX_LOSS = "dpdk.rx-loss";
    public static final String TX_LOSS = "dpdk.tx-loss";
    public static final String RX_REORDER = "dpdk.rx-reorder";
    public static final String TX_REORDER = "dpdk.tx-reorder";
    public static final String FAULT_SEED = "dpdk.fault-seed";
    /** {@link #mac()} when the port's own MAC is to be used. */
    public static final long PORT_MAC = -1;

    /** Reads and checks the properties of {@code o}. */
    public static DpdkOptions from(StackOptions o) {
        String ipText = o.property(IP, null);
        if (ipText == null || ipText.isBlank()) {
            throw new IllegalArgumentException(IP + " must be set: the dpdk stack's own IPv4 address, e.g. 198.18.0.2");
        }
        int ip = ipv4(IP, ipText);
        String maskText = o.property(NETMASK, "255.255.255.0").trim();
        int prefix;
        if (maskText.matches("\\d{1,2}")) {
            prefix = Integer.parseInt(maskText);
        } else {
            try {
                prefix = NetConfig.prefixOf(ipv4(NETMASK, maskText));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(NETMASK + ": " + e.getMessage());
            }
        }
        String gwText = o.property(GATEWAY, "");
        int gw = gwText.isBlank() ? 0 : ipv4(GATEWAY, gwText);
        int mtu = (int) range(o, MTU, 1500, 68, 1500);
        NetConfig net;
        try {
            net = new NetConfig(ip, prefix, gw, mtu);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("dpdk network options: " + e.getMessage());
        }
        String macText = o.property(MAC, "");
        long mac = PORT_MAC;
        if (!macText.isBlank()) {
            try {
                mac = Wire.parseMac(macText);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(MAC + ": " + e.getMessage());
            }
            if ((mac & 0x0100_0000_0000L) != 0 || mac == 0) {
                throw new IllegalArgumentException(MAC + ": " + macText + " is not a unicast address");
            }
        }
        String port = o.property(PORT, "net_tap0,iface=isthmus0").trim();
        if (port.isEmpty() || (port.startsWith("ring:") && port.length() == 5)) {
            throw new IllegalArgumentException(PORT + " must name a vdev (net_tap0,iface=...) or ring:<name>, was '" + port + "'");
        }
        String argsText = o.property(EAL_ARGS, null);
        List<String> args = argsText == null ? Eal.defaultArgs() : Arrays.stream(argsText.trim().split("\\s+"))
                .filter(a -> !a.isEmpty()).toList();
        int mbufs = (int) range(o, MBUFS, 4095, 1023, 1 << 20);
        long arp = range(o, ARP_TIMEOUT_MS, 60_000, 1, 24L * 3600 * 1000) * 1_000_000L;
        long reasm = range(o, REASSEMBLY_TIMEOUT_MS, 30_000, 1, 600_000) * 1_000_000L;
        long reasmBytes = range(o, REASSEMBLY_MAX_BYTES, 4 << 20, 65535, 1L << 30);
        CongestionControl.Algorithm cc;
        try {
            cc = CongestionControl.Algorithm.parse(o.property(CONGESTION_CONTROL, "newreno"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(CONGESTION_CONTROL + ": " + e.getMessage());
        }
        TcpLimits defaults = TcpLimits.defaults();
        boolean cookies;
        try {
            cookies = o.booleanProperty(SYN_COOKIES, defaults.synCookies());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(SYN_COOKIES + " must be true or false, was '" + o.property(SYN_COOKIES, "") + "'");
        }
        int challengeAcks = (int) range(o, CHALLENGE_ACK_LIMIT, defaults.challengeAcksPerSecond(), 1, 1_000_000);
        long stall = range(o, WINDOW_STALL_MS, defaults.windowStallNanos() / 1_000_000, 1, 24L * 3600 * 1000) * 1_000_000L;
        long tcpReasm = range(o, TCP_REASSEMBLY_MAX_BYTES, defaults.reassemblyMaxBytes(), 0, 1L << 34);
        boolean sack = o.booleanProperty(TCP_SACK, true);
        boolean timestamps = o.booleanProperty(TCP_TIMESTAMPS, true);
        boolean tlp = o.booleanProperty(TCP_TLP, true);
        double rxLoss = percent(o, RX_LOSS);
        double txLoss = percent(o, TX_LOSS);
        double rxReorder = percent(o, RX_REORDER);
        double txReorder = percent(o, TX_REORDER);
        long seed;
        try {
            seed = o.longProperty(FAULT_SEED, 1);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(FAULT_SEED + " must be a whole number, was '" + o.property(FAULT_SEED, "") + "'");
        }
        FaultPlan faults;
        try {
            faults = rxLoss + rxReorder + txLoss + txReorder == 0 ? FaultPlan.NONE
                    : new FaultPlan(rxLoss, rxReorder, txLoss, txReorder, seed);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("dpdk fault injection (" + RX_LOSS + ", " + RX_REORDER + ", " + TX_LOSS
                    + ", " + TX_REORDER + "): " + e.getMessage());
        }
        return new DpdkOptions(net, mac, port, args, mbufs, arp, reasm, reasmBytes, cc,
                new TcpLimits(cookies, challengeAcks, stall, tcpReasm), sack, timestamps, tlp, faults);
    }

    /** A percentage, {@code 1.5} or {@code 1.5%}, 0..100, as a share of 0..1. */
    private static double percent(StackOptions o, String key) {
        String v = o.property(key, null);
        if (v == null || v.isBlank()) {
            return 0;
        }
        String t = v.trim();
        if (t.endsWith("%")) {
            t = t.substring(0, t.length() - 1).trim();
        }
        double p;
        try {
            p = Double.parseDouble(t);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a percentage such as 1 or 0.5%, was '" + v + "'");
        }
        if (!(p >= 0 && p <= 100)) {
            throw new IllegalArgumentException(key + " must be a percentage of 0..100, was '" + v + "'");
        }
        return p / 100;
    }

    private static long range(StackOptions o, String key, long def, long min, long max) {
        long v;
        try {
            v = o.longProperty(key, def);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(key + " must be a number, was '" + o.property(key, "") + "'");
        }
        if (v < min || v > max) {
            throw new IllegalArgumentException(key + " must be " + min + ".." + max + ", was " + v);
        }
        return v;
    }

    private static int ipv4(String key, String text) {
        String[] parts = text.trim().split("\\.", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException(key + " must be a dotted IPv4 address, was '" + text + "'");
        }
        int ip = 0;
        for (String p : parts) {
            if (!p.matches("\\d{1,3}") || Integer.parseInt(p) > 255) {
                throw new IllegalArgumentException(key + " must be a dotted IPv4 address, was '" + text + "'");
            }
            ip = (ip << 8) | Integer.parseInt(p);
        }
        return ip;
    }
}
