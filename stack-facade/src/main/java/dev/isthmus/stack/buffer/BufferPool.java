package dev.isthmus.stack.buffer;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * A worker's pool of fixed-size native buffers. Buffers are carved from slabs allocated in the worker's
 * {@link Arena} (which frees them when the worker stops); the pool grows by a slab at a time up to
 * {@code maxBuffers}. Free buffers sit on an intrusive LIFO stack, so the buffer handed out next is the
 * one most recently released (still in cache). Every buffer keeps its {@link PooledBuffer} object for
 * life: allocating and releasing allocate nothing on the Java heap.
 *
 * <p>Single-threaded: only the owning worker may call it, except {@link #lent()}. Releasing a buffer
 * twice throws.
 */
public final class BufferPool {
    private static final VarHandle IN_USE;

    static {
        try {
            IN_USE = MethodHandles.lookup().findVarHandle(BufferPool.class, "inUse", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Slabs are this big (or one buffer, when buffers are bigger): few arena allocations, little waste. */
    private static final long SLAB_BYTES = 1L << 20;
    /** Slab alignment: a page, so buffers of a page or more start on page boundaries (O_DIRECT, DMA). */
    private static final long SLAB_ALIGNMENT = 4096;

    private final Arena arena;
    private final int bufferSize;
    private final int buffersPerSlab;
    private final int maxBuffers;
    private PooledBuffer[] byId = new PooledBuffer[0];
    private int created;
    /** Written only by the owner, with opaque stores, so that {@link #lent()} may read it from any thread. */
    private int inUse;
    private PooledBuffer freeTop;

    /**
     * A pool that creates buffers in slabs, as they are needed, up to {@code maxBuffers}.
     *
     * @param arena       owns the slabs; the pool must not be used after it is closed
     * @param bufferSize  bytes per buffer, a power of two
     * @param maxBuffers  how many buffers the pool may create in all
     */
    public BufferPool(Arena arena, int bufferSize, int maxBuffers) {
        if (bufferSize < 1 || Integer.bitCount(bufferSize) != 1) {
            throw new IllegalArgumentException("bufferSize must be a power of two, was " + bufferSize);
        }
        if (maxBuffers < 1) {
            throw new IllegalArgumentException("maxBuffers must be at least 1, was " + maxBuffers);
        }
        this.arena = arena;
        this.bufferSize = bufferSize;
        this.buffersPerSlab = (int) Math.max(1, Math.min(maxBuffers, SLAB_BYTES / bufferSize));
        this.maxBuffers = maxBuffers;
    }

    /** Returns the size of each buffer in bytes. */
    public int bufferSize() {
        return bufferSize;
    }

    /** Buffers handed out and not yet released (a leak test expects 0 once everything is closed). */
    public int inUse() {
        return inUse;
    }

    /**
     * Buffers handed out and not yet released, readable from any thread (an opaque read: no tearing, no
     * fence, possibly a moment old). Buffers a stack gives the kernel to fill (an io_uring provided-buffer
     * ring) count as lent too. Once the owning worker has stopped this is its final figure: 0 unless a
     * buffer leaked.
     */
    public int lent() {
        return (int) IN_USE.getOpaque(this);
    }

    /** Buffers created so far (free or in use). */
    public int created() {
        return created;
    }

    /** Returns how many buffers the pool may create in all. */
    public int maxBuffers() {
        return maxBuffers;
    }

    /** The buffer with this {@link PooledBuffer#id()}, e.g. from an io_uring completion's buffer id. */
    public PooledBuffer byId(int id) {
        if (id < 0 || id >= created) {
            throw new IndexOutOfBoundsException("no buffer with id " + id + "; " + created + " created");
        }
        return byId[id];
    }

    /**
     * A free buffer with both indices at 0, growing the pool by a slab when none is free.
     *
     * @throws IllegalStateException if {@code maxBuffers} are in use
     */
    public PooledBuffer allocate() {
        PooledBuffer b = freeTop;
        if (b == null) {
            grow();
            b = freeTop;
        }
        freeTop = b.next;
        b.next = null;
        b.free = false;
        b.readIndex = 0;
        b.writeIndex = 0;
        IN_USE.setOpaque(this, inUse + 1);
        return b;
    }

    /** Returns {@code b} to the free stack. */
    public void release(PooledBuffer b) {
        if (b.pool() != this) {
            throw new IllegalArgumentException(b + " belongs to another pool");
        }
        if (b.free) {
            throw new IllegalStateException(b + " released twice");
        }
        b.free = true;
        b.next = freeTop;
        freeTop = b;
        IN_USE.setOpaque(this, inUse - 1);
    }

    private void grow() {
        if (created >= maxBuffers) {
            throw new IllegalStateException("buffer pool exhausted: all " + maxBuffers + " buffers of "
                    + bufferSize + " bytes are in use");
        }
        int n = Math.min(buffersPerSlab, maxBuffers - created);
        MemorySegment slab = arena.allocate((long) n * bufferSize, Math.min(SLAB_ALIGNMENT, bufferSize));
        if (byId.length < created + n) {
            byId = Arrays.copyOf(byId, Math.max(created + n, byId.length * 2));
        }
        // Push in reverse so the lowest id is handed out first.
        for (int i = n - 1; i >= 0; i--) {
            PooledBuffer b = new PooledBuffer(this, created + i, slab.asSlice((long) i * bufferSize, bufferSize));
            byId[created + i] = b;
            b.free = true;
            b.next = freeTop;
            freeTop = b;
        }
        created += n;
    }
}
