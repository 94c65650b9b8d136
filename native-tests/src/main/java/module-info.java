/**
 * The conformance suite, integration tests, the benchmark harness (dev.isthmus.tests.bench, run by
 * scripts/bench and scripts/demo on the class path) and JMH benchmarks (dev.isthmus.tests.jmh).
 */
module dev.isthmus.tests {
    requires dev.isthmus.ffi;
    requires dev.isthmus.stack;
    requires dev.isthmus.linux;
    requires org.slf4j;
    requires jdk.jfr;
    requires HdrHistogram;
    requires jmh.core;
    requires io.netty.common;
    requires io.netty.buffer;
    requires io.netty.transport;
    requires io.netty.transport.classes.epoll;
    requires io.netty.transport.classes.io_uring;
    // The conformance suite reads native memory use (BufferPoolMXBean) and sets TCP_KEEPIDLE & co.
    requires java.management;
    requires jdk.net;
}
