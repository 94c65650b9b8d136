package dev.isthmus.stack.buffer;

import java.lang.foreign.MemorySegment;

/**
 * Receives the pieces of pending outbound data from {@link OutboundChain#gather(SegmentSink, int)}, in
 * order, e.g. to fill a preallocated iovec array or a chain of send SQEs. Primitive arguments, so a
 * backend keeps one sink for life and gathering allocates nothing.
 */
@FunctionalInterface
public interface SegmentSink {
    /**
     * @param index   0 for the first piece of this gather, then 1, 2, ...
     * @param buffer  the pooled buffer the piece lies in
     * @param segment {@code buffer.segment()}
     * @param offset  where the piece starts in {@code segment}
     * @param length  its length, at least 1
     */
    void piece(int index, PooledBuffer buffer, MemorySegment segment, long offset, int length);
}
