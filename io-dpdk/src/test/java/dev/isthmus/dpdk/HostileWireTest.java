package dev.isthmus.dpdk;

import dev.isthmus.dpdk.ScriptedPeerTest.Bench;
import dev.isthmus.dpdk.WirePeer.Got;
import dev.isthmus.dpdk.WirePeer.Seg;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static dev.isthmus.dpdk.ScriptedPeerTest.ISN;
import static dev.isthmus.dpdk.ScriptedPeerTest.PEER_PORT;
import static dev.isthmus.dpdk.ScriptedPeerTest.PORT;
import static dev.isthmus.dpdk.tcp.TcpFlags.ACK;
import static dev.isthmus.dpdk.tcp.TcpFlags.PSH;
import static dev.isthmus.dpdk.tcp.TcpFlags.RST;
import static dev.isthmus.dpdk.tcp.TcpFlags.SYN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hostile input as it shows on the wire, through a {@link WirePeer} on the stack's ring cable: a challenge
 * ACK (RFC 5961) for an RST and a SYN inside the window, and SYN cookies once a listener's half-open queue
 * is full. The TCB- and layer-level tests (HostileTcbTest, HostileLayerTest) cover the rules in detail;
 * these show the segments a real peer would see.
 */
@Timeout(60)
class HostileWireTest {
    @BeforeAll
    static void eal() throws Exception {
        TestEal.start();
    }

    /** The value of {@code name=} in the stack's TCP statistics, 0 when not counted yet. */
    static long counted(DpdkNetworkStack stack, String name) {
        for (String line : stack.tcpDump().lines().toList()) {
            int at = line.indexOf(name + "=");
            if (at >= 0) {
                int end = at + name.length() + 1;
                int stop = end;
                while (stop < line.length() && Character.isDigit(line.charAt(stop))) {
                    stop++;
                }
                return Long.parseLong(line.substring(end, stop));
            }
        }
        return 0;
    }

    @Test
    void anRstOrSynInsideTheWindowGetsAChallengeAckAndTheConnectionLives() throws Exception {
        StreamClient server = new StreamClient(0, 1000, false, 1);
        try (Bench b = new Bench("hw1", "198.18.3.18", server, true)) {
            b.handshake(1460, 65535, 0, true);
            // An RST inside the window but not at RCV.NXT: a blind attacker's guess. RFC 5961 3.2: answer with
            // an ACK of where we are, keep the connection.
            b.peer.send(new Seg(PEER_PORT, PORT, b.nxt + 100, 0, RST).window(0));
            Got c1 = b.peer.expect(2000);
            assertTrue(c1.has(ACK) && !c1.has(RST) && !c1.has(SYN), c1::toString);
            assertEquals(Integer.toUnsignedString(b.nxt), Integer.toUnsignedString(c1.ack()), c1::toString);
            assertEquals(Integer.toUnsignedString(b.stackBase), Integer.toUnsignedString(c1.seq()), c1::toString);
            assertEquals(0, c1.len());
            // A SYN on the synchronized connection (RFC 5961 4.2): a challenge ACK too, no reset, no SYN-ACK.
            b.peer.send(new Seg(PEER_PORT, PORT, b.nxt + 7, 0, SYN).window(65535).mss(1460).ts(b.tsVal++, 0));
            Got c2 = b.peer.expect(2000);
            assertTrue(c2.has(ACK) && !c2.has(RST) && !c2.has(SYN), c2::toString);
            assertEquals(Integer.toUnsignedString(b.nxt), Integer.toUnsignedString(c2.ack()), c2::toString);
            assertEquals(2, counted(b.stack, "challenge_acks"), b.stack::tcpDump);
            // Still established: data is taken and acknowledged.
            b.data(0, 1000);
            b.expectAck(b.nxt + 1000);
            assertEquals(1000, server.received);
        }
    }

    @Test
    void pastAFullHalfOpenQueueSynsGetCookiesAndACookieAckMakesTheConnection() throws Exception {
        StreamClient server = new StreamClient(0, 1000, false, 1);
        int backlog = 4;
        int syns = 24;
        try (Bench b = new Bench("hw2", "198.18.3.22", server, true, backlog)) {
            Got[] answers = new Got[syns];
            for (int i = 0; i < syns; i++) {
                b.peer.send(new Seg(PEER_PORT + 1 + i, PORT, ISN + i * 100_000, 0, SYN).window(65535).mss(1400)
                        .ts(b.tsVal++, 0).sackPermitted().windowShift(2));
                answers[i] = b.peer.expect(2000);
                Got a = answers[i];
                assertTrue(a.has(SYN) && a.has(ACK), a::toString);
                assertEquals(Integer.toUnsignedString(ISN + i * 100_000 + 1), Integer.toUnsignedString(a.ack()));
            }
            long cookies = counted(b.stack, "syn_cookies_sent");
            assertEquals(syns - backlog, cookies, () -> "SYNs past a backlog of " + backlog + " answered with cookies: "
                    + b.stack.tcpDump());
            // The last one got a cookie: the stack kept nothing for it, and its ACK (with data) still makes the
            // connection. A cookie carries no timestamps or SACK-permitted, so the ACK has neither.
            Got cookie = answers[syns - 1];
            assertFalse(cookie.seg().timestamps(), "a cookie SYN-ACK offers no timestamps: " + cookie);
            int port = PEER_PORT + syns;
            int seq = ISN + (syns - 1) * 100_000 + 1;
            b.peer.send(new Seg(port, PORT, seq, cookie.seq() + 1, ACK | PSH).window(65535).payload(new byte[1000]));
            Got ack = b.peer.expect(2000);
            while (ack.has(SYN)) { // a half-open connection's SYN-ACK, sent again on its timer meanwhile
                ack = b.peer.expect(2000);
            }
            Got a = ack;
            assertEquals(Integer.toUnsignedString(seq + 1000), Integer.toUnsignedString(a.ack()), a::toString);
            assertEquals(1, counted(b.stack, "syn_cookies_valid"), b.stack::tcpDump);
            long end = System.nanoTime() + 5_000_000_000L;
            while (server.received < 1000 && System.nanoTime() < end) {
                Thread.sleep(5);
            }
            assertEquals(1000, server.received);
            b.peer.resetAndDrain(port, PORT, 100);
            for (int i = 0; i < backlog; i++) { // the half-open ones
                b.peer.send(new Seg(PEER_PORT + 1 + i, PORT, ISN + i * 100_000 + 1, 0, RST).window(0));
            }
        }
    }
}
