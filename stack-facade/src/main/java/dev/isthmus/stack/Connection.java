package dev.isthmus.stack;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.nio.ByteBuffer;

/**
 * A TCP (or AF_UNIX stream) connection, after Seastar's {@code connected_socket}.
 *
 * <h2>Threads</h2>
 * A connection belongs to one {@link #worker() worker}. Its handler's callbacks run on that worker's
 * thread, and every method here must be called from it, except {@link #close()}, {@link #abort()},
 * {@link #isOpen()} and the address getters, which any thread may call. From another thread, hand the
 * work over with {@code connection.worker().execute(...)}. A call from a wrong thread throws
 * {@link IllegalStateException}.
 *
 * <h2>Writing</h2>
 * {@code write} copies the bytes into the connection's outbound buffer (pooled native memory) and
 * returns at once; {@link #flush()} hands everything written so far to the kernel in one gathered
 * write (one writev, one SQE chain). Bytes that were accepted by {@code write} are never dropped
 * silently: they are sent, or the handler's {@link ConnectionHandler#onClose onClose} is told how many
 * were discarded ({@link WritesDiscardedException}). There is no limit on what may be queued; respect
 * {@link #isWritable()} and {@link ConnectionHandler#onWritable} to keep memory bounded.
 * For zero-copy production, {@link #reserve(int)} hands out writable native memory inside the outbound
 * buffer; fill it and {@link #commit(int)} what you used.
 *
 * <h2>Closing</h2>
 * {@link #close()} flushes what is pending, then closes; {@link #abort()} discards what is pending and
 * resets the connection (SO_LINGER 0, the peer sees ECONNRESET); {@link #shutdownOutput()} sends FIN
 * after the pending bytes (half-close) while reading goes on; {@link #shutdownInput()} stops delivering
 * data. Any operation other than close/abort on a closed connection throws
 * {@link ConnectionClosedException}.
 */
public interface Connection {

    /** The worker this connection lives on. */
    Worker worker();

    /** An id unique within the stack, for logs. */
    long id();

    /** The local address (an InetSocketAddress or UnixDomainSocketAddress). */
    SocketAddress localAddress();

    /** The peer's address. */
    SocketAddress remoteAddress();

    /** False once the connection is closed or aborted (by either side). */
    boolean isOpen();

    /** Queues a copy of {@code src} (all of it) for sending. */
    Connection write(MemorySegment src);

    /** Queues a copy of {@code src[off, off+len)}. */
    Connection write(byte[] src, int off, int len);

    /** Queues a copy of all of {@code src}. */
    default Connection write(byte[] src) {
        return write(src, 0, src.length);
    }

    /** Queues a copy of {@code src}'s remaining bytes and advances its position. */
    Connection write(ByteBuffer src);

    /**
     * Native memory of {@code size} bytes (at most {@link StackOptions#bufferSize()}) at the end of the
     * outbound buffer, to fill in place; valid until the next write, commit or flush on this connection.
     */
    MemorySegment reserve(int size);

    /** Appends the first {@code used} bytes of the last {@link #reserve(int)} to the outbound data. */
    void commit(int used);

    /** Sends everything written so far; what the kernel cannot take now goes when the socket is writable. */
    void flush();

    /** {@code write(src)} then {@link #flush()}. */
    default Connection writeAndFlush(MemorySegment src) {
        write(src);
        flush();
        return this;
    }

    /** {@code write(src)} then {@link #flush()}. */
    default Connection writeAndFlush(byte[] src) {
        write(src, 0, src.length);
        flush();
        return this;
    }

    /** Outbound bytes accepted by write/commit and not yet taken by the kernel. */
    long pendingWriteBytes();

    /**
     * False while {@link #pendingWriteBytes()} is above the high watermark, until it falls below the low
     * watermark, when {@link ConnectionHandler#onWritable} is called.
     */
    boolean isWritable();

    /**
     * Stops reading from the socket, so the kernel's receive window fills and TCP pushes back on the
     * peer: read-side backpressure, e.g. for an echo or proxy whose outbound side is not
     * {@link #isWritable() writable}. {@code onData} is not called while reading is paused; bytes the
     * stack had already received stay in the inbound buffer. Idempotent.
     */
    void pauseReading();

    /**
     * Reads again after {@link #pauseReading()}. If unconsumed bytes are buffered, {@code onData} is
     * called with them soon after (on the worker, after the current callback returns), even when no new
     * bytes arrive. Idempotent.
     */
    void resumeReading();

    /** True between {@link #pauseReading()} and {@link #resumeReading()}. */
    boolean isReadingPaused();

    /** Sends FIN once the pending bytes are out (half-close); reading goes on. */
    void shutdownOutput();

    /** Stops reading: data that arrives later is discarded by the kernel or the stack. */
    void shutdownInput();

    /** Graceful close: flushes what is pending, then closes. Idempotent; any thread. */
    void close();

    /** Abortive close: discards what is pending and sends RST. Idempotent; any thread. */
    void abort();

    /**
     * Sets a socket option: a {@link java.net.StandardSocketOptions} one, a
     * {@code jdk.net.ExtendedSocketOptions} one (TCP_KEEPIDLE, TCP_KEEPINTERVAL, TCP_KEEPCOUNT) or an
     * {@link IsthmusSocketOptions} one.
     *
     * @throws IllegalArgumentException      if the value is null or not of the option's type
     * @throws UnsupportedOperationException if this stack does not support the option
     * @throws IOException                   if setsockopt failed (names the call and errno)
     */
    <T> Connection setOption(SocketOption<T> option, T value) throws IOException;

    /** Reads a socket option back. */
    <T> T getOption(SocketOption<T> option) throws IOException;

    /**
     * setsockopt(2) by level and name with {@code value}'s bytes, for options this API does not name.
     * Only where {@link Capability#RAW_SOCKET_OPTIONS} is present.
     */
    void setRawOption(int level, int name, MemorySegment value) throws IOException;

    /** getsockopt(2) into {@code value}; returns the length the kernel wrote. */
    int getRawOption(int level, int name, MemorySegment value) throws IOException;

    /** The handler given at connect or accept. */
    ConnectionHandler handler();
}
