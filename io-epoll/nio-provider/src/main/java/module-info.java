/**
 * A {@link java.nio.channels.spi.SelectorProvider} and a {@link java.nio.channels.spi.AsynchronousChannelProvider}
 * on epoll (the asynchronous one on io_uring where it can run): existing java.nio code gets the native backend with one system property,
 * {@code -Djava.nio.channels.spi.SelectorProvider=dev.isthmus.nio.channels.IsthmusSelectorProvider} or
 * {@code -Djava.nio.channels.spi.AsynchronousChannelProvider=dev.isthmus.nio.channels.IsthmusAsynchronousChannelProvider}.
 *
 * <p>Deliberately no {@code provides} for either: the JDK looks each provider up with ServiceLoader (on the
 * system class loader) when its property is absent, so declaring one would let the jar alone change every
 * JVM it lands in. The package is exported so that the JDK can load the class named by the property
 * with the system class loader from the module path too.
 */
module dev.isthmus.nio {
    requires dev.isthmus.ffi;
    requires dev.isthmus.linux;
    requires dev.isthmus.uring;
    requires jdk.net;

    exports dev.isthmus.nio.channels;
}
