package dev.isthmus.dpdk.port;

import dev.isthmus.dpdk.DpdkOptions;
import dev.isthmus.dpdk.TestEal;
import dev.isthmus.stack.StackOptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The port layer's fault injection on real mbufs, and its stack options. */
@Timeout(60)
class FaultInjectorTest {
    @BeforeAll
    static void eal() throws Exception {
        TestEal.start();
    }

    /**
     * 20000 frames in bursts of 1..32 through an injector: returns what came out, as the index each
     * frame had going in (the frame's first 4 bytes), in order; -1 separates bursts.
     */
    private static List<Integer> run(MbufPool pool, double loss, double reorder, long seed, long[] counts) {
        List<Integer> out = new ArrayList<>();
        try (Arena arena = Arena.ofConfined()) {
            FaultInjector f = new FaultInjector(loss, reorder, seed, 32, arena);
            MemorySegment burst = arena.allocate(ValueLayout.ADDRESS, 32 + FaultInjector.MAX_HELD);
            int[] lengths = new int[32 + FaultInjector.MAX_HELD];
            int next = 0;
            long now = 0;
            for (int round = 0; next < 20000; round++) {
                int n = Math.min(1 + round % 32, 20000 - next);
                if (!pool.allocBulk(burst, n)) {
                    throw new AssertionError("pool exhausted: a frame leaked");
                }
                for (int i = 0; i < n; i++) {
                    long m = Mbufs.at(burst, i);
                    Mbufs.setLength(m, 64);
                    Mbufs.ALL.set(ValueLayout.JAVA_INT_UNALIGNED, Mbufs.dataAddress(m), next);
                    lengths[i] = 60 + next % 7;
                    next++;
                }
                now += 100_000; // 0.1 ms a burst
                int k = f.filter(burst, lengths, n, now);
                for (int i = 0; i < k; i++) {
                    int index = Mbufs.ALL.get(ValueLayout.JAVA_INT_UNALIGNED, Mbufs.dataAddress(Mbufs.at(burst, i)));
                    assertEquals(60 + index % 7, lengths[i], "a length travels with its frame");
                    out.add(index);
                }
                out.add(-1);
                MbufPool.freeBulk(burst, k);
            }
            // Nothing follows: the held frames leave after MAX_HOLD_NANOS, not before.
            int k = f.filter(burst, lengths, 0, now + FaultInjector.MAX_HOLD_NANOS - 1);
            assertEquals(0, k);
            k = f.filter(burst, lengths, 0, now + FaultInjector.MAX_HOLD_NANOS);
            for (int i = 0; i < k; i++) {
                out.add(Mbufs.ALL.get(ValueLayout.JAVA_INT_UNALIGNED, Mbufs.dataAddress(Mbufs.at(burst, i))));
            }
            MbufPool.freeBulk(burst, k);
            assertTrue(!f.holding());
            counts[0] = f.dropped();
            counts[1] = f.reordered();
            f.close();
        }
        return out;
    }

    @Test
    void dropsAndReordersTheSharesAskedForReproduciblyAndLosesNoMbuf() throws Exception {
        MbufPool pool = MbufPool.create("faults", 1023);
        try {
            long[] c1 = new long[2];
            List<Integer> a = run(pool, 0.01, 0.02, 42, c1);
            assertEquals(0, pool.inUse(), "every frame freed: dropped, passed or held then passed");
            long[] c2 = new long[2];
            List<Integer> b = run(pool, 0.01, 0.02, 42, c2);
            assertEquals(a, b, "same seed, same frames: same faults");
            assertNotEquals(a, run(pool, 0.01, 0.02, 43, new long[2]), "another seed, other faults");
            assertTrue(c1[0] > 120 && c1[0] < 300, "about 1 % of 20000 dropped: " + c1[0]);
            assertTrue(c1[1] > 280 && c1[1] < 520, "about 2 % held back: " + c1[1]);
            List<Integer> frames = a.stream().filter(i -> i >= 0).toList();
            assertEquals(20000 - c1[0], frames.size(), "what is not dropped comes out");
            assertEquals(frames.size(), new HashSet<>(frames).size(), "once");
            int late = 0;
            int max = -1;
            for (int i : frames) {
                if (i < max) {
                    late++;
                    // 1..3 frames passed it; frames dropped or held in between widen the gap a little.
                    assertTrue(max - i <= 3 * (FaultInjector.MAX_DELAY + FaultInjector.MAX_HELD), "held behind a few frames: " + i + " after " + max);
                }
                max = Math.max(max, i);
            }
            // Each held frame arrives after a later one, but for those held at the very end (none follows).
            final int lateFrames = late;
            assertTrue(lateFrames <= c1[1] && lateFrames >= c1[1] - FaultInjector.MAX_HELD, () -> lateFrames + " late of " + c1[1] + " held");
            List<Integer> clean = run(pool, 0, 0, 42, new long[2]).stream().filter(i -> i >= 0).toList();
            assertEquals(20000, clean.size());
            for (int i = 0; i < clean.size(); i++) {
                assertEquals(i, clean.get(i));
            }
            assertEquals(0, pool.inUse());
        } finally {
            if (pool.inUse() == 0) {
                pool.close(); // else an assertion failed mid-run: its message matters, not the pool's
            }
        }
    }

    @Test
    void optionsAreParsedAndBadValuesNamed() {
        StackOptions base = StackOptions.defaults().withProperty(DpdkOptions.IP, "198.18.9.2");
        DpdkOptions none = DpdkOptions.from(base);
        assertEquals(FaultPlan.NONE, none.faults());
        assertTrue(none.tcpSack() && none.tcpTimestamps() && none.tcpTailLossProbe());
        DpdkOptions o = DpdkOptions.from(base.withProperty(DpdkOptions.RX_LOSS, "1%").withProperty(DpdkOptions.TX_LOSS, "0.5")
                .withProperty(DpdkOptions.TX_REORDER, "2").withProperty(DpdkOptions.FAULT_SEED, "7")
                .withProperty(DpdkOptions.TCP_SACK, "false").withProperty(DpdkOptions.TCP_TLP, "false"));
        assertEquals(new FaultPlan(0.01, 0, 0.005, 0.02, 7), o.faults());
        assertTrue(o.faults().rxFaulty() && o.faults().txFaulty());
        assertTrue(!o.tcpSack() && o.tcpTimestamps() && !o.tcpTailLossProbe());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DpdkOptions.from(base.withProperty(DpdkOptions.RX_LOSS, "150")));
        assertEquals("dpdk.rx-loss must be a percentage of 0..100, was '150'", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> DpdkOptions.from(base.withProperty(DpdkOptions.TX_REORDER, "lots")));
        assertTrue(e.getMessage().startsWith("dpdk.tx-reorder must be a percentage such as 1 or 0.5%"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> DpdkOptions.from(base.withProperty(DpdkOptions.RX_LOSS, "60")
                .withProperty(DpdkOptions.RX_REORDER, "50")));
        assertTrue(e.getMessage().contains("loss plus reorder must be at most 1 per direction"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> DpdkOptions.from(base.withProperty(DpdkOptions.FAULT_SEED, "x")));
        assertTrue(e.getMessage().startsWith("dpdk.fault-seed must be a whole number"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> DpdkOptions.from(base.withProperty(DpdkOptions.TCP_SACK, "maybe")));
        assertTrue(e.getMessage().contains(DpdkOptions.TCP_SACK), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new FaultPlan(Double.NaN, 0, 0, 0, 1));
    }
}
