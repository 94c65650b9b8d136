/**
 * JMH microbenchmarks of the pieces every request goes through: a downcall (critical and not), an
 * io_uring NOP round trip, an epoll_wait with nothing ready, a buffer pool allocation and release, and a
 * LinkBuffer (InboundChain) write/read cycle, and the HTTP example's framer on one read of pipelined requests. Run them with {@code scripts/bench --jmh [filter] [JMH options]},
 * e.g. {@code scripts/bench --jmh Downcall -prof gc} for gc.alloc.rate.norm (bytes allocated per operation).
 * Defaults are short (2 warm-up and 3 measured iterations of 2 s, one fork); JMH options override them.
 */
package dev.isthmus.tests.jmh;
