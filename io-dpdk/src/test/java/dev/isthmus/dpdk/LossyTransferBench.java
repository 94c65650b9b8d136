package dev.isthmus.dpdk;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The benchmark of io-dpdk/README.md, "TCP under loss": the goodput of a bulk transfer between two dpdk
 * stacks over a ring cable whose ports drop and reorder frames in both directions, with SACK and
 * without. Not a test of the suite (surefire's default includes take {@code *Test} only); run it with
 * <pre>
 * mvn -o -q -pl io-dpdk -am verify -Dtest=LossyTransferBench -Dsurefire.failIfNoSpecifiedTests=false \
 *     [-Dbench.mib=256] [-Dbench.loss=1] [-Dbench.reorder=1] [-Dbench.runs=1]
 * </pre>
 * It prints one line per run and checks only that the bytes arrived intact: the figures are what it
 * is for, and they depend on the machine.
 */
@Timeout(7200)
class LossyTransferBench {
    @BeforeAll
    static void eal() throws Exception {
        TestEal.start();
    }

    @Test
    void goodputWithAndWithoutSack() throws Exception {
        long bytes = Long.getLong("bench.mib", 256) << 20;
        String loss = System.getProperty("bench.loss", "1");
        String reorder = System.getProperty("bench.reorder", "1");
        int runs = Integer.getInteger("bench.runs", 1);
        StringBuilder table = new StringBuilder(String.format("%d MiB, %s %% loss and %s %% reordering each way%n",
                bytes >> 20, loss, reorder));
        for (int run = 0; run < runs; run++) {
            for (boolean sack : new boolean[] {true, false}) {
                LossyTransfer.Result r = LossyTransfer.run("bench" + run + sack, "198.18.5.1", "198.18.5.2", sack, bytes,
                        loss, reorder, 11 + run, 3600);
                assertTrue(r.checksumOk(), r::toString);
                System.out.println(r);
                table.append(r).append('\n');
            }
        }
        System.out.print(table);
    }
}
