package dev.isthmus.nio.channels;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The edge count that keeps a reader's EAGAIN from wiping an edge recorded after its system call began. */
class ReadinessTest {
    private static final int BOTH = Readiness.READABLE | Readiness.WRITABLE;

    @Test
    void clearWorksWhenNoEdgeCameSinceTheSnapshot() {
        Readiness r = new Readiness();
        r.set(BOTH);
        long snap = r.snapshot();
        r.clear(snap, Readiness.READABLE);
        assertEquals(Readiness.WRITABLE, r.bits());
    }

    @Test
    void anEdgeAfterTheSnapshotSurvivesTheClear() {
        Readiness r = new Readiness();
        r.set(Readiness.READABLE);
        long snap = r.snapshot();   // the reader takes its snapshot, calls read(2), meets EAGAIN ...
        r.set(Readiness.READABLE);  // ... while the selector records new data's edge
        r.clear(snap, Readiness.READABLE);
        assertEquals(Readiness.READABLE, r.bits(), "the newer edge must not be lost");
    }

    @Test
    void anotherCallersClearOfTheOtherBitDoesNotBlockTheClear() {
        Readiness r = new Readiness();
        r.set(BOTH);
        long readerSnap = r.snapshot();
        r.clear(r.snapshot(), Readiness.WRITABLE); // a writer met EAGAIN meanwhile: no edge, just a clear
        r.clear(readerSnap, Readiness.READABLE);
        assertEquals(0, r.bits());
    }

    @Test
    void resetForgetsBothBits() {
        Readiness r = new Readiness();
        r.set(BOTH);
        r.reset();
        assertEquals(0, r.bits());
    }
}
