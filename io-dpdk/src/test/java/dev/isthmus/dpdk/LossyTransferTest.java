package dev.isthmus.dpdk;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * 256 MiB (the property {@code isthmus.test.lossy-mib} changes it) between two dpdk stacks over a ring
 * cable whose ports drop 1 % of the frames and reorder 1 % in both directions (the stack's own fault
 * injection, seeded): with SACK and without, the bytes arrive with the right CRC, and the SACK run
 * retransmits fewer segments. How fast each run goes is the benchmark's business (LossyTransferBench),
 * not asserted here.
 */
@Timeout(1500)
class LossyTransferTest {
    @BeforeAll
    static void eal() throws Exception {
        TestEal.start();
    }

    @Test
    void twoHundredFiftySixMebibytesCrossOnePercentLossAndReorderingAndSackRetransmitsLess() throws Exception {
        long bytes = Long.getLong("isthmus.test.lossy-mib", 256) << 20;
        LossyTransfer.Result withSack = LossyTransfer.run("loss1", "198.18.4.1", "198.18.4.2", true, bytes, "1", "1", 7, 700);
        System.out.println(withSack);
        assertTrue(withSack.checksumOk(), withSack::toString);
        assertTrue(withSack.sackRetransmits() > 0, () -> "SACK recovery chose retransmissions: " + withSack);
        LossyTransfer.Result without = LossyTransfer.run("loss2", "198.18.4.5", "198.18.4.6", false, bytes, "1", "1", 7, 700);
        System.out.println(without);
        assertTrue(without.checksumOk(), without::toString);
        assertTrue(without.sackRetransmits() == 0, without::toString);
        assertTrue(withSack.injectedDrops() > 0 && without.injectedDrops() > 0, "loss was injected");
        assertTrue(withSack.retransmits() < without.retransmits(),
                () -> "SACK retransmits less: " + withSack + " | " + without);
    }
}
