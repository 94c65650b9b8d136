/** The conformance suite, integration tests, the benchmark harness and JMH benchmarks. */
module dev.isthmus.tests {
    requires dev.isthmus.ffi;
    requires dev.isthmus.stack;
    requires org.slf4j;
}
