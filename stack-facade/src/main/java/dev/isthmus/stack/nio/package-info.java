/**
 * The JDK {@code nio} reference stack: {@link java.nio.channels.SocketChannel},
 * {@link java.nio.channels.ServerSocketChannel} and {@link java.nio.channels.DatagramChannel} with one
 * {@link java.nio.channels.Selector} per worker, on the shared machinery of {@link dev.isthmus.stack.spi}.
 * Always available; {@code auto} takes it last. Internal: found through
 * {@link dev.isthmus.stack.spi.NetworkStackProvider}.
 */
package dev.isthmus.stack.nio;
