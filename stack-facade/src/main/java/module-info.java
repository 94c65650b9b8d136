/** The Isthmus facade: the public API, the SPI for backends, the JDK nio reference stack and the examples. */
module dev.isthmus.stack {
    requires transitive org.slf4j;
    requires jdk.net;

    exports dev.isthmus.stack;
    // The SPI and the buffers behind it are for backends only: an application sees the API above.
    exports dev.isthmus.stack.spi to dev.isthmus.linux, dev.isthmus.epoll, dev.isthmus.uring, dev.isthmus.dpdk, dev.isthmus.tests;
    exports dev.isthmus.stack.buffer to dev.isthmus.epoll, dev.isthmus.uring, dev.isthmus.dpdk, dev.isthmus.tests;
    exports dev.isthmus.stack.examples;

    uses dev.isthmus.stack.spi.NetworkStackProvider;
    provides dev.isthmus.stack.spi.NetworkStackProvider with dev.isthmus.stack.nio.NioStackProvider;
}
