package dev.isthmus.dpdk.net;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/** A {@link FrameSink} that keeps the committed frames in a list, for tests; can be told to run dry. */
final class ListSink implements FrameSink {
    final List<MemorySegment> frames = new ArrayList<>();
    /** Frames committed for our own input ({@link #commitLocal}). */
    final List<MemorySegment> local = new ArrayList<>();
    private MemorySegment current;
    int buffersLeft = Integer.MAX_VALUE;
    int aborted;

    @Override
    public long allocate(int length) {
        if (current != null) {
            throw new IllegalStateException("allocate before commit/abort of the previous frame");
        }
        if (buffersLeft == 0) {
            return -1;
        }
        buffersLeft--;
        current = MemorySegment.ofArray(new byte[length]);
        return 0;
    }

    @Override
    public MemorySegment segment() {
        return current;
    }

    @Override
    public void commit() {
        frames.add(current);
        current = null;
    }

    @Override
    public void commitLocal() {
        local.add(current);
        current = null;
    }

    @Override
    public void abort() {
        if (current == null) {
            throw new IllegalStateException("abort without a frame");
        }
        current = null;
        aborted++;
    }

    List<MemorySegment> take() {
        List<MemorySegment> l = new ArrayList<>(frames);
        frames.clear();
        return l;
    }
}
