package dev.isthmus.nio.channels;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;

/**
 * Native blocks of one size that io_uring requests own while the kernel may touch them (a heap buffer's bytes, an
 * iovec array, a sockaddr, a timespec): taken when a request is submitted, given back when its completion has
 * arrived, so that no block is freed or reused while the kernel holds its address. Confined to the ring thread;
 * the blocks come from the group's arena and live as long as the group (the pool keeps as many as were ever in
 * use at once).
 */
final class NativeBlocks {
    private final Arena arena;
    private final long size;
    private final ArrayDeque<MemorySegment> free = new ArrayDeque<>();

    NativeBlocks(Arena arena, long size) {
        this.arena = arena;
        this.size = size;
    }

    long size() {
        return size;
    }

    MemorySegment take() {
        MemorySegment b = free.pollFirst();
        return b != null ? b : arena.allocate(size, 64);
    }

    void give(MemorySegment b) {
        if (b != null) {
            free.addFirst(b);
        }
    }
}
