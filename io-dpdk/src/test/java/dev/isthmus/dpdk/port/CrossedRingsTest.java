package dev.isthmus.dpdk.port;

import dev.isthmus.dpdk.TestEal;
import dev.isthmus.ffi.dpdk.rte_mbuf;
import dev.isthmus.ffi.dpdk.rte_mbuf_h;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Two net_ring ports joined by crossed rings: mbufs sent on one arrive on the other, through fp_ops. */
@Timeout(60)
class CrossedRingsTest {
    @BeforeAll
    static void eal() throws Exception {
        TestEal.start();
    }

    @Test
    void burstsCrossAndEveryMbufComesBack() throws Exception {
        try (Arena arena = Arena.ofConfined()) {
            MbufPool pool = MbufPool.create("xring", 1023);
            EthPort[] pair = EthPort.crossedPair("xa", "xb", 2);
            try {
                pair[0].start(2, pool);
                pair[1].start(2, pool);
                int level = pool.inUse();
                MemorySegment tx = arena.allocate(ValueLayout.ADDRESS, 32);
                MemorySegment rx = arena.allocate(ValueLayout.ADDRESS, 32);
                for (int round = 0; round < 100; round++) {
                    int q = round % 2;
                    int n = 1 + round % 32;
                    assertTrue(pool.allocBulk(tx, n));
                    for (int i = 0; i < n; i++) {
                        MemorySegment m = MbufPool.mbufAt(tx, i);
                        int len = 60 + i;
                        rte_mbuf.data_len(m, (short) len);
                        rte_mbuf.pkt_len(m, len);
                        MemorySegment data = rte_mbuf_h.rte_pktmbuf_mtod(m);
                        data.fill((byte) (round + i));
                    }
                    assertEquals(n, pair[0].txBurst(q, tx, n));
                    assertEquals(0, pair[1].rxBurst(1 - q, rx, 32), "the other queue stays empty");
                    int got = pair[1].rxBurst(q, rx, 32);
                    assertEquals(n, got);
                    for (int i = 0; i < got; i++) {
                        MemorySegment data = rte_mbuf_h.rte_pktmbuf_mtod(MbufPool.mbufAt(rx, i));
                        assertEquals(60 + i, data.byteSize());
                        assertEquals((byte) (round + i), data.get(ValueLayout.JAVA_BYTE, data.byteSize() - 1));
                    }
                    MbufPool.freeBulk(rx, got);
                    assertEquals(level, pool.inUse(), "round " + round);
                }
            } finally {
                pair[0].close();
                pair[1].close();
            }
            assertEquals(0, pool.inUse());
            pool.close();
        }
    }

    @Test
    void portsCanBeMadeAndRemovedAgainWithTheSameNames() throws Exception {
        MbufPool pool = MbufPool.create("again", 511);
        for (int i = 0; i < 3; i++) {
            EthPort[] pair = EthPort.crossedPair("again_a", "again_b", 1);
            pair[0].start(1, pool);
            pair[1].start(1, pool);
            pair[0].close();
            pair[1].close();
        }
        assertEquals(0, pool.inUse());
        pool.close();
    }
}
