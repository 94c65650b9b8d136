/**
 * Pooled off-heap buffers shared by every backend: a per-worker {@link dev.isthmus.stack.buffer.BufferPool}
 * of fixed-size {@link dev.isthmus.stack.buffer.PooledBuffer}s, the inbound
 * {@link dev.isthmus.stack.buffer.InboundChain} (a LinkBuffer-style read side) and the outbound
 * {@link dev.isthmus.stack.buffer.OutboundChain}. Single-threaded: each instance belongs to one worker.
 */
package dev.isthmus.stack.buffer;
