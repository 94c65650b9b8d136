/** The conformance suite, integration tests, the benchmark harness and JMH benchmarks. */
module dev.isthmus.tests {
    requires dev.isthmus.ffi;
    requires dev.isthmus.stack;
    requires org.slf4j;
    // The conformance suite reads native memory use (BufferPoolMXBean) and sets TCP_KEEPIDLE & co.
    requires java.management;
    requires jdk.net;
}
