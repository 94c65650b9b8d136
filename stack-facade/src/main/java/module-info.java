/** The Isthmus facade: the public API, the SPI for backends, the JDK nio reference stack and the examples. */
module dev.isthmus.stack {
    requires transitive org.slf4j;
    requires jdk.net;

    exports dev.isthmus.stack;
    exports dev.isthmus.stack.spi;
    exports dev.isthmus.stack.buffer;
    exports dev.isthmus.stack.examples;

    uses dev.isthmus.stack.spi.NetworkStackProvider;
    provides dev.isthmus.stack.spi.NetworkStackProvider with dev.isthmus.stack.nio.NioStackProvider;
}
