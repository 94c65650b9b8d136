package dev.isthmus.dpdk;

import dev.isthmus.stack.StackOptions;
import dev.isthmus.stack.UdpChannel;
import dev.isthmus.stack.UdpOptions;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Run in a child JVM by {@link MemifStacksTest} (a crash in EAL's threads must fail that test, not end the
 * test JVM): {@code rounds} pairs of stacks joined by net_memif, server and client on one abstract socket
 * each, exchange UDP both ways (1 to 5000 bytes: fragmented too) and close, the client first or the server
 * first in turn; then it waits, reopens a closed server's name (refused, with the reason), and says it
 * survived.
 */
public final class MemifPair {
    private MemifPair() {
    }

    static StackOptions options(String devargs, String ip) {
        return StackOptions.defaults().withWorkers(1).withProperty(DpdkOptions.PORT, devargs)
                .withProperty(DpdkOptions.IP, ip).withProperty(DpdkOptions.MBUFS, "2047");
    }

    public static void main(String[] args) {
        try {
            run(Integer.parseInt(args[0]));
        } catch (Throwable t) {
            t.printStackTrace(System.out);
            System.out.flush();
            System.exit(1); // stacks left open must not keep this JVM alive
        }
        System.out.flush();
        System.exit(0);
    }

    private static void run(int rounds) throws Exception {
                String prefix = "isthmus-memif-" + ProcessHandle.current().pid();
        DpdkStackProvider provider = new DpdkStackProvider();
        for (int r = 0; r < rounds; r++) {
            String socket = "/run/" + prefix + "-" + r + ".sock";
            DpdkNetworkStack server = (DpdkNetworkStack) provider.open(options(
                    "net_memif" + (2 * r) + ",role=server,id=0,socket=" + socket, "198.18.7.1"));
            DpdkNetworkStack client = (DpdkNetworkStack) provider.open(options(
                    "net_memif" + (2 * r + 1) + ",role=client,id=0,socket=" + socket, "198.18.7.2"));
            exchange(server, client);
            if (r % 2 == 0) {
                client.close();
                server.close();
            } else {
                server.close();
                client.close();
            }
            if (server.mbufsInUseAtClose() != 0 || client.mbufsInUseAtClose() != 0) {
                throw new AssertionError("mbufs in use at close: " + server.mbufsInUseAtClose() + ", "
                        + client.mbufsInUseAtClose());
            }
            System.out.println("round " + r + " closed " + (r % 2 == 0 ? "client, then server" : "server, then client"));
        }
        // EAL's interrupt thread crashed ~100 ms after such closes when memif's listener was freed under it.
        Thread.sleep(500);
        try {
            provider.open(options("net_memif0,role=server,id=0,socket=/run/" + prefix + "-again.sock", "198.18.7.1"))
                    .close();
            throw new AssertionError("a memif server's name was reused");
        } catch (IOException e) {
            System.out.println("reopen refused: " + e.getMessage());
        }
        System.out.println("survived");
    }

    private static void exchange(DpdkNetworkStack server, DpdkNetworkStack client) throws Exception {
        LinkedBlockingQueue<RingStacksTest.Received> atServer = new LinkedBlockingQueue<>();
        LinkedBlockingQueue<RingStacksTest.Received> atClient = new LinkedBlockingQueue<>();
        UdpChannel cs = server.openUdp(new InetSocketAddress(0), UdpOptions.defaults().withMaxDatagramSize(65535),
                RingStacksTest.collector(atServer));
        UdpChannel cc = client.openUdp(new InetSocketAddress(9000), UdpOptions.defaults().withMaxDatagramSize(65535),
                RingStacksTest.collector(atClient));
        InetSocketAddress toClient = new InetSocketAddress(InetAddress.getByName("198.18.7.2"), 9000);
        // The memif link comes up asynchronously; until it does, frames are dropped at tx (counted), so the
        // first datagram is sent until one arrives.
        RingStacksTest.Received first = null;
        for (int i = 0; i < 40 && first == null; i++) {
            RingStacksTest.send(cs, toClient, RingStacksTest.payload(8, i));
            first = atClient.poll(250, TimeUnit.MILLISECONDS);
        }
        if (first == null) {
            throw new AssertionError("no datagram crossed the memif link");
        }
        atClient.clear();
        for (int size : new int[] {1, 1472, 5000}) {
            byte[] d = RingStacksTest.payload(size, size);
            RingStacksTest.send(cs, toClient, d);
            RingStacksTest.Received r = atClient.poll(10, TimeUnit.SECONDS);
            while (r != null && r.data().length == 8) {
                r = atClient.poll(10, TimeUnit.SECONDS); // a late copy of the 8-byte probes above
            }
            if (r == null || !Arrays.equals(d, r.data())) {
                throw new AssertionError(size + " bytes server -> client: " + (r == null ? "nothing" : r.data().length + " bytes"));
            }
            RingStacksTest.send(cc, r.from(), d);
            RingStacksTest.Received back = atServer.poll(10, TimeUnit.SECONDS);
            if (back == null || !Arrays.equals(d, back.data())) {
                throw new AssertionError(size + " bytes client -> server");
            }
        }
    }
}
