package dev.isthmus.dpdk;

import dev.isthmus.dpdk.tcp.CongestionControl;
import dev.isthmus.dpdk.tcp.TcpLimits;
import dev.isthmus.stack.StackOptions;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The dpdk stack's TCP options: typed, defaulted, and a bad value named in the error. No EAL. */
class DpdkTcpOptionsTest {
    static StackOptions base() {
        return StackOptions.defaults().withProperty(DpdkOptions.IP, "198.18.6.2");
    }

    @Test
    void defaultsAreNewRenoAndTheDefaultLimits() {
        DpdkOptions o = DpdkOptions.from(base());
        assertEquals(CongestionControl.Algorithm.NEWRENO, o.congestionControl());
        assertEquals(TcpLimits.defaults(), o.tcpLimits());
    }

    @Test
    void eachOptionIsRead() {
        DpdkOptions o = DpdkOptions.from(base().withProperty(DpdkOptions.CONGESTION_CONTROL, "CUBIC")
                .withProperty(DpdkOptions.SYN_COOKIES, "off").withProperty(DpdkOptions.CHALLENGE_ACK_LIMIT, "50")
                .withProperty(DpdkOptions.WINDOW_STALL_MS, "3000")
                .withProperty(DpdkOptions.TCP_REASSEMBLY_MAX_BYTES, "1048576"));
        assertEquals(CongestionControl.Algorithm.CUBIC, o.congestionControl());
        assertFalse(o.tcpLimits().synCookies());
        assertEquals(50, o.tcpLimits().challengeAcksPerSecond());
        assertEquals(3_000_000_000L, o.tcpLimits().windowStallNanos());
        assertEquals(1 << 20, o.tcpLimits().reassemblyMaxBytes());
    }

    @Test
    void badValuesFailNamingTheKey() {
        assertEquals("dpdk.congestion-control: congestion control must be newreno or cubic, was 'bbr'",
                assertThrows(IllegalArgumentException.class, () -> DpdkOptions.from(
                        base().withProperty(DpdkOptions.CONGESTION_CONTROL, "bbr"))).getMessage());
        assertEquals("dpdk.syn-cookies must be true or false, was 'maybe'",
                assertThrows(IllegalArgumentException.class, () -> DpdkOptions.from(
                        base().withProperty(DpdkOptions.SYN_COOKIES, "maybe"))).getMessage());
        assertEquals("dpdk.challenge-ack-limit must be 1..1000000, was 0",
                assertThrows(IllegalArgumentException.class, () -> DpdkOptions.from(
                        base().withProperty(DpdkOptions.CHALLENGE_ACK_LIMIT, "0"))).getMessage());
        assertEquals("dpdk.window-stall-ms must be a number, was 'soon'",
                assertThrows(IllegalArgumentException.class, () -> DpdkOptions.from(
                        base().withProperty(DpdkOptions.WINDOW_STALL_MS, "soon"))).getMessage());
    }
}
