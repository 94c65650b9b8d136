package dev.isthmus.nio.channels;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

/**
 * The native blocks a selector reads ahead into ({@link ReadAhead}): one per channel whose read-ahead bytes are
 * not consumed yet. The selector takes a block for each recv it submits; the block comes back when its bytes are
 * read, or its channel is closed, shut for input, switched to blocking mode or deregistered (then the bytes move
 * to the heap, see {@link PendingInput}). Blocks are returned from any thread, hence the lock. The pool keeps as
 * many blocks as were ever out at once and frees them all with the selector.
 */
final class ReadAheadPool {
    private final Arena arena = Arena.ofShared();
    private final int blockBytes;
    private Block[] free = new Block[16];
    private int freeCount;
    private int out;
    private boolean closed;

    ReadAheadPool(int blockBytes) {
        if (blockBytes <= 0) {
            throw new IllegalArgumentException("block size " + blockBytes + " must be positive");
        }
        this.blockBytes = blockBytes;
    }

    int blockBytes() {
        return blockBytes;
    }

    /**
     * A block: its address for the kernel, and a ByteBuffer view made once, so that copying out of it needs no
     * MemorySegment view of the reader's buffer per read (a view C2 does not always scalar-replace).
     */
    static final class Block {
        final long address;
        final ByteBuffer buffer;

        private Block(MemorySegment segment) {
            this.address = segment.address();
            this.buffer = segment.asByteBuffer();
        }
    }

    synchronized Block take() {
        if (closed) {
            throw new IllegalStateException("read-ahead pool closed");
        }
        out++;
        return freeCount > 0 ? free[--freeCount] : new Block(arena.allocate(blockBytes, 64));
    }

    synchronized void give(Block block) {
        if (closed) {
            return; // the arena is gone with the selector; nothing to keep
        }
        if (freeCount == free.length) {
            Block[] bigger = new Block[free.length * 2];
            System.arraycopy(free, 0, bigger, 0, freeCount);
            free = bigger;
        }
        free[freeCount++] = block;
        out--;
    }

    /** Blocks taken and not given back (for the tests that no block leaks). */
    synchronized int outstanding() {
        return out;
    }

    /** Frees every block; called by the selector's close after every channel has given its block back. */
    synchronized void close() {
        if (!closed) {
            closed = true;
            arena.close();
        }
    }
}
