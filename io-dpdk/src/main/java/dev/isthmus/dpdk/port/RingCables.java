package dev.isthmus.dpdk.port;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * In-process cables made of crossed rings, by name, for {@code dpdk.port=ring:<name>}: the first stack
 * asking for a name gets side A of a new {@link EthPort#crossedPair}, the second gets side B. Two dpdk
 * stacks in one JVM then exchange frames without the kernel.
 */
public final class RingCables {
    private static final Map<String, EthPort> WAITING = new HashMap<>();
    private static final Map<String, Integer> QUEUES = new HashMap<>();

    private RingCables() {
    }

    /** Side A of a new cable {@code name}, or side B of the cable side A made. */
    public static synchronized EthPort take(String name, int queues) throws IOException {
        EthPort b = WAITING.remove(name);
        if (b != null) {
            int q = QUEUES.remove(name);
            if (q != queues) {
                WAITING.put(name, b);
                QUEUES.put(name, q);
                throw new IllegalArgumentException("ring cable " + name + " has " + q
                        + " queue pairs (side A's workers); this stack has " + queues + " workers");
            }
            return b;
        }
        EthPort[] pair = EthPort.crossedPair(name + "_a", name + "_b", queues);
        WAITING.put(name, pair[1]);
        QUEUES.put(name, queues);
        return pair[0];
    }

    /**
     * Side A's stack is closing (its workers have stopped): if nobody took side B, B is started just long
     * enough to take back, into {@code pool}, the frames A sent into the cable (they are mbufs of A's pool),
     * and closed. The rings go with the last of the two ports.
     */
    public static synchronized void release(String name, MbufPool pool) throws IOException {
        EthPort b = WAITING.remove(name);
        Integer queues = QUEUES.remove(name);
        if (b == null) {
            return;
        }
        try {
            b.start(queues, pool);
            try (java.lang.foreign.Arena a = java.lang.foreign.Arena.ofConfined()) {
                java.lang.foreign.MemorySegment burst = a.allocate(java.lang.foreign.ValueLayout.ADDRESS, 32);
                for (int q = 0; q < queues; q++) {
                    int n;
                    while ((n = b.rxBurst(q, burst, 32)) > 0) {
                        MbufPool.freeBulk(burst, n);
                    }
                }
            }
        } finally {
            b.close();
        }
    }
}
