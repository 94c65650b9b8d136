/**
 * The benchmark harness (dev.isthmus.tests.bench, run by scripts/bench and scripts/demo on the class path),
 * the Netty servers it compares with, the unmodified java.nio servers of {@code --vs nio} (dev.isthmus.tests.bench.nio:
 * the JDK's HTTP server, Jetty, Tomcat's NIO2 connector), and the JMH benchmarks (dev.isthmus.tests.jmh). The C baseline
 * servers are in src/main/c, built by the harness at bench time.
 */
module dev.isthmus.bench {
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
    requires jdk.httpserver;
    requires org.eclipse.jetty.server;
    requires org.apache.tomcat.embed.core;
    // The harness reads native memory use (BufferPoolMXBean) and sets TCP_KEEPIDLE & co.
    requires java.management;
    requires jdk.net;
}
