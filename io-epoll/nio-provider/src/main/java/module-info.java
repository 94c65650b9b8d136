/**
 * A {@link java.nio.channels.spi.SelectorProvider} on epoll: existing java.nio code gets the native
 * backend with one system property,
 * {@code -Djava.nio.channels.spi.SelectorProvider=dev.isthmus.nio.channels.IsthmusSelectorProvider}.
 *
 * <p>Deliberately no {@code provides java.nio.channels.spi.SelectorProvider}: the JDK looks the provider up
 * with ServiceLoader when the property is absent, so declaring it would let the jar alone change every
 * JVM it lands in. The package is exported so that the JDK can load the class named by the property
 * with the system class loader from the module path too.
 */
module dev.isthmus.nio {
    requires dev.isthmus.ffi;
    requires dev.isthmus.linux;
    requires jdk.net;

    exports dev.isthmus.nio.channels;
}
