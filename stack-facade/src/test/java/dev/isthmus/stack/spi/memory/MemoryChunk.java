package dev.isthmus.stack.spi.memory;

import dev.isthmus.stack.buffer.InboundChunk;

import java.lang.foreign.MemorySegment;

/**
 * A received segment's bytes in the worker's slab, handed to onData without a copy; release returns it
 * to the worker's free list, as an mbuf goes back to its mempool.
 */
final class MemoryChunk extends InboundChunk {
    private final MemoryWorker owner;
    boolean inUse;

    MemoryChunk(MemoryWorker owner, MemorySegment slice) {
        super(slice);
        this.owner = owner;
    }

    @Override
    public void release() {
        owner.recycle(this);
    }
}
