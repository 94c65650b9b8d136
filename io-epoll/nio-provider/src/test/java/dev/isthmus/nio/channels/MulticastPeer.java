package dev.isthmus.nio.channels;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.MembershipKey;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.spi.SelectorProvider;
import java.util.HashSet;
import java.util.Set;

/**
 * The two sides of {@link MulticastNamespaceTest}, each run in its own network namespace by {@code ip netns exec},
 * on the provider the JVM was started with.
 * <ul>
 * <li>{@code send IF GROUP PORT SECONDS SRC...}: from each source address in turn, one datagram "SRC SEQ" to
 * GROUP:PORT every 10 ms, out of interface IF (IP_MULTICAST_IF), for SECONDS at most.
 * <li>{@code receive IF GROUP PORT SRC1 SRC2}: a scenario of memberships on IF, printing "PASS step" or "FAIL
 * step: why" per step and exiting with 0 only if every step passed: nothing before joining; both sources after an
 * any-source join; only SRC2 while SRC1 is blocked; SRC1 again after unblock; nothing after drop; only SRC2 with a
 * source-specific join of SRC2.
 * </ul>
 */
public final class MulticastPeer {
    private MulticastPeer() {
    }

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "send" -> send(args);
            case "receive" -> System.exit(receive(args) ? 0 : 1);
            default -> throw new IllegalArgumentException(args[0]);
        }
    }

    private static void send(String[] a) throws IOException, InterruptedException {
        NetworkInterface ni = NetworkInterface.getByName(a[1]);
        InetSocketAddress to = new InetSocketAddress(InetAddress.getByName(a[2]), Integer.parseInt(a[3]));
        long end = System.nanoTime() + Long.parseLong(a[4]) * 1_000_000_000L;
        int n = a.length - 5;
        DatagramChannel[] chs = new DatagramChannel[n];
        SelectorProvider p = SelectorProvider.provider();
        for (int i = 0; i < n; i++) {
            InetAddress src = InetAddress.getByName(a[5 + i]);
            chs[i] = src.getAddress().length == 4 ? p.openDatagramChannel(StandardProtocolFamily.INET) : p.openDatagramChannel();
            chs[i].setOption(StandardSocketOptions.IP_MULTICAST_IF, ni);
            chs[i].setOption(StandardSocketOptions.IP_MULTICAST_TTL, 1);
            chs[i].bind(new InetSocketAddress(src, 0));
        }
        System.out.println("sending from " + n + " sources on " + p.getClass().getName());
        System.out.flush();
        for (long seq = 0; System.nanoTime() < end; seq++) {
            for (int i = 0; i < n; i++) {
                chs[i].send(ByteBuffer.wrap((a[5 + i] + " " + seq).getBytes()), to);
            }
            Thread.sleep(10);
        }
    }

    private static boolean ok = true;

    private static void step(String name, boolean passed, String detail) {
        System.out.println((passed ? "PASS " : "FAIL ") + name + (passed ? "" : ": " + detail));
        System.out.flush();
        ok &= passed;
    }

    private static boolean receive(String[] a) throws IOException {
        NetworkInterface ni = NetworkInterface.getByName(a[1]);
        InetAddress group = InetAddress.getByName(a[2]);
        int port = Integer.parseInt(a[3]);
        InetAddress src1 = InetAddress.getByName(a[4]);
        InetAddress src2 = InetAddress.getByName(a[5]);
        SelectorProvider p = SelectorProvider.provider();
        System.out.println("provider " + p.getClass().getName());
        try (DatagramChannel ch = p.openDatagramChannel(); Selector sel = p.openSelector()) {
            ch.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            ch.bind(new InetSocketAddress(port));
            ch.configureBlocking(false);
            ch.register(sel, SelectionKey.OP_READ);
            System.out.println("READY"); // the test starts the sender now
            System.out.flush();

            Set<InetAddress> seen = collect(ch, sel, 1500, null);
            step("nothing before join", seen.isEmpty(), "received from " + seen);

            MembershipKey k = ch.join(group, ni);
            seen = collect(ch, sel, 10_000, Set.of(src1, src2));
            step("any-source join receives both sources", seen.containsAll(Set.of(src1, src2)), "received from " + seen);

            k.block(src1);
            collect(ch, sel, 300, null); // datagrams already queued
            seen = collect(ch, sel, 1500, null);
            step("block filters the blocked source", seen.equals(Set.of(src2)), "received from " + seen);

            k.unblock(src1);
            seen = collect(ch, sel, 10_000, Set.of(src1));
            step("unblock lets it through again", seen.contains(src1), "received from " + seen);

            k.drop();
            step("drop invalidates the key", !k.isValid(), "still valid");
            collect(ch, sel, 300, null);
            seen = collect(ch, sel, 1500, null);
            step("nothing after drop", seen.isEmpty(), "received from " + seen);

            MembershipKey ssm = ch.join(group, ni, src2);
            collect(ch, sel, 10_000, Set.of(src2));
            seen = collect(ch, sel, 1500, null);
            step("source-specific join receives only that source", seen.equals(Set.of(src2)), "received from " + seen);
            ssm.drop();
        }
        return ok;
    }

    /**
     * The sources of the datagrams received within {@code ms}; returns early once {@code until} (if not null) have
     * all been seen. The payload names the source; it must agree with the address the datagram came from.
     */
    private static Set<InetAddress> collect(DatagramChannel ch, Selector sel, long ms, Set<InetAddress> until) throws IOException {
        Set<InetAddress> seen = new HashSet<>();
        long end = System.nanoTime() + ms * 1_000_000L;
        ByteBuffer b = ByteBuffer.allocate(200);
        while (true) {
            long left = (end - System.nanoTime()) / 1_000_000L;
            if (left <= 0 || (until != null && seen.containsAll(until))) {
                return seen;
            }
            sel.select(left);
            sel.selectedKeys().clear();
            while (true) {
                b.clear();
                InetSocketAddress from = (InetSocketAddress) ch.receive(b);
                if (from == null) {
                    break;
                }
                InetAddress src = InetAddress.getByAddress(from.getAddress().getAddress()); // ::ffff:a.b.c.d as a.b.c.d
                String payload = new String(b.array(), 0, b.position());
                InetAddress named = InetAddress.getByName(payload.substring(0, payload.indexOf(' ')));
                if (!named.equals(src)) {
                    throw new IOException("datagram \"" + payload + "\" came from " + from);
                }
                seen.add(src);
            }
        }
    }
}
