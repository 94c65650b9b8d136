package dev.isthmus.stack.spi;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Microsoft's RSS verification suite ("Verifying the RSS Hash Calculation"): the hash of each
 * packet with the standard key, over the addresses only and over addresses plus TCP ports.
 */
class ToeplitzHashTest {
    private static final ToeplitzHash RSS = ToeplitzHash.microsoft();

    private static InetSocketAddress at(String ip, int port) throws Exception {
        return new InetSocketAddress(InetAddress.getByName(ip), port);
    }

    /** Addresses only: source then destination address bytes. */
    private static int addressesOnly(String src, String dst) throws Exception {
        byte[] s = InetAddress.getByName(src).getAddress();
        byte[] d = InetAddress.getByName(dst).getAddress();
        byte[] in = new byte[s.length * 2];
        System.arraycopy(s, 0, in, 0, s.length);
        System.arraycopy(d, 0, in, s.length, d.length);
        return RSS.hash(in, 0, in.length);
    }

    private static void check(String dst, int dport, String src, int sport, int ipOnly, int withTcp) throws Exception {
        assertEquals(ipOnly, addressesOnly(src, dst), "addresses of " + src + " -> " + dst);
        assertEquals(withTcp, RSS.hash(at(src, sport), at(dst, dport)), src + ":" + sport + " -> " + dst + ":" + dport);
    }

    @Test
    void ipv4VerificationSuite() throws Exception {
        check("161.142.100.80", 1766, "66.9.149.187", 2794, 0x323e8fc2, 0x51ccc178);
        check("65.69.140.83", 4739, "199.92.111.2", 14230, 0xd718262a, 0xc626b0ea);
        check("12.22.207.184", 38024, "24.19.198.95", 12898, 0xd2d0a5de, 0x5c2b394a);
        check("209.142.163.6", 2217, "38.27.205.30", 48228, 0x82989176, 0xafc7327f);
        check("202.188.127.2", 1303, "153.39.163.191", 44251, 0x5d1809c5, 0x10e828a2);
    }

    @Test
    void ipv6VerificationSuite() throws Exception {
        check("3ffe:2501:200:3::1", 1766, "3ffe:2501:200:1fff::7", 2794, 0x2cc18cd5, 0x40207d3d);
        check("ff02::1", 4739, "3ffe:501:8::260:97ff:fe40:efab", 14230, 0x0f0c461c, 0xdde51bbf);
        check("fe80::200:f8ff:fe21:67cf", 38024, "3ffe:1900:4545:3:200:f8ff:fe21:67cf", 44251, 0x4b61e985, 0x02d1feef);
    }

    @Test
    void theIntFormAgreesWithTheByteForm() throws Exception {
        int a = ToeplitzHash.toInt(InetAddress.getByName("66.9.149.187").getAddress());
        int b = ToeplitzHash.toInt(InetAddress.getByName("161.142.100.80").getAddress());
        assertEquals(0x51ccc178, RSS.hashV4(a, b, 2794, 1766));
    }

    @Test
    void badKeysAndInputsFailFast() {
        assertThrows(IllegalArgumentException.class, () -> new ToeplitzHash(new byte[39]));
        assertThrows(IllegalArgumentException.class, () -> RSS.hash(new byte[37], 0, 37));
        assertThrows(IllegalArgumentException.class, () -> RSS.hash(at("10.0.0.1", 1), at("::1", 2)));
        assertEquals(ToeplitzHash.microsoftKey()[0], (byte) 0x6d);
    }
}
