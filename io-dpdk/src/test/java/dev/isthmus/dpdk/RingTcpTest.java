package dev.isthmus.dpdk;

import dev.isthmus.stack.ConnectOptions;
import dev.isthmus.stack.Connection;
import dev.isthmus.stack.ListenOptions;
import dev.isthmus.stack.Listener;
import dev.isthmus.stack.examples.EchoServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** TCP between two dpdk stacks joined by crossed rings: no kernel anywhere. */
@Timeout(120)
class RingTcpTest {
    @BeforeAll
    static void eal() throws Exception {
        TestEal.start();
    }

    @Test
    void echoOfSomeMebibytesWithChecksumThenRefusedPort() throws Exception {
        DpdkStackProvider provider = new DpdkStackProvider();
        DpdkNetworkStack a = (DpdkNetworkStack) provider.open(RingStacksTest.options("t1", "198.18.2.1", 1));
        DpdkNetworkStack b = (DpdkNetworkStack) provider.open(RingStacksTest.options("t1", "198.18.2.2", 1));
        try {
            Listener l = a.listen(new InetSocketAddress(7), ListenOptions.defaults(), EchoServer::new);
            assertEquals(7, ((InetSocketAddress) l.localAddress()).getPort());
            long n = 8L << 20;
            StreamClient client = new StreamClient(n, n, false, 42);
            InetSocketAddress server = new InetSocketAddress(InetAddress.getByName("198.18.2.1"), 7);
            Connection c = b.connect(server, ConnectOptions.defaults(), client).get(10, TimeUnit.SECONDS);
            long crc = client.done.get(60, TimeUnit.SECONDS);
            assertEquals(client.sentCrc.getValue(), crc, "the echo carries the same bytes");
            System.out.println(a.tcpDump());
            System.out.println(b.tcpDump());
            c.close();
            assertNull(client.closed.get(10, TimeUnit.SECONDS));

            ExecutionException e = assertThrows(ExecutionException.class, () -> b.connect(
                    new InetSocketAddress(InetAddress.getByName("198.18.2.1"), 9), ConnectOptions.defaults(),
                    new StreamClient(0, 0, false, 1)).get(10, TimeUnit.SECONDS));
            assertInstanceOf(ConnectException.class, e.getCause());
            l.close();
        } finally {
            b.close();
            a.close();
        }
        assertEquals(0, a.mbufsInUseAtClose());
        assertEquals(0, b.mbufsInUseAtClose());
    }
}
