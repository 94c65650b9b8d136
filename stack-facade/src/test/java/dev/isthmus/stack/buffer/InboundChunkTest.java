package dev.isthmus.stack.buffer;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** An inbound chain over chunks someone else owns: each goes back through its own release action, once. */
class InboundChunkTest {

    /** A chunk over a slice of foreign memory that counts its releases, as an mbuf would go back to its mempool. */
    static final class CountingChunk extends InboundChunk {
        int releases;

        CountingChunk(MemorySegment s, int length) {
            super(s);
            setIndex(0, length);
        }

        @Override
        public void release() {
            releases++;
        }
    }

    @Test
    void chunksFromAnotherOwnerAreReadInPlaceAndReleasedOnceConsumed() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment mem = arena.allocate(300);
            for (int i = 0; i < 300; i++) {
                mem.set(ValueLayout.JAVA_BYTE, i, (byte) i);
            }
            CountingChunk a = new CountingChunk(mem.asSlice(0, 100), 100);
            CountingChunk b = new CountingChunk(mem.asSlice(100, 200), 150);
            CountingChunk empty = new CountingChunk(mem.asSlice(250, 50), 0);
            InboundChain in = new InboundChain();
            in.append(a);
            in.append(empty);
            in.append(b);
            assertEquals(1, empty.releases, "an empty chunk goes back at once");
            assertEquals(250, in.readableBytes());
            assertEquals(mem.address(), in.firstChunk().address(), "a view, not a copy");
            assertEquals((byte) 120, in.getByte(120));
            assertEquals(105, in.indexOf((byte) 105, 0));
            in.skip(99);
            assertEquals(0, a.releases);
            in.skip(1);
            assertEquals(1, a.releases);
            in.skip(20);
            in.releaseAll();
            assertEquals(1, a.releases);
            assertEquals(1, b.releases);
            assertEquals(0, in.readableBytes());
        }
    }
}
