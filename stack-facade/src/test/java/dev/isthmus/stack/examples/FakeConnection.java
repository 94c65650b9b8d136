package dev.isthmus.stack.examples;

import dev.isthmus.stack.Connection;
import dev.isthmus.stack.ConnectionHandler;
import dev.isthmus.stack.Worker;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A {@link Connection} that records what the handler wrote, flushed and closed. With
 * {@code keepBytes=false} it only counts bytes, and writing allocates nothing.
 */
final class FakeConnection implements Connection {
    private final boolean keepBytes;
    private byte[] out = new byte[256];
    private int written;
    private int flushedUpTo;
    long bytesWritten;
    int flushes;
    boolean closed;
    boolean writeAfterClose;

    FakeConnection(boolean keepBytes) {
        this.keepBytes = keepBytes;
    }

    /** What was written and flushed (or closed, which flushes) so far, as ASCII. */
    String sent() {
        return new String(out, 0, closed ? written : flushedUpTo, StandardCharsets.US_ASCII);
    }

    /** What was written but neither flushed nor closed. */
    int unflushed() {
        return closed ? 0 : written - flushedUpTo;
    }

    @Override
    public Connection write(MemorySegment src) {
        if (closed) {
            writeAfterClose = true;
        }
        bytesWritten += src.byteSize();
        if (keepBytes) {
            int n = (int) src.byteSize();
            if (written + n > out.length) {
                out = Arrays.copyOf(out, Math.max(out.length * 2, written + n));
            }
            MemorySegment.copy(src, ValueLayout.JAVA_BYTE, 0, out, written, n);
            written += n;
        }
        return this;
    }

    @Override
    public void flush() {
        flushes++;
        flushedUpTo = written;
    }

    @Override
    public void close() {
        closed = true;
    }

    @Override
    public boolean isOpen() {
        return !closed;
    }

    @Override
    public boolean isWritable() {
        return true;
    }

    @Override
    public Connection write(byte[] src, int off, int len) {
        return write(MemorySegment.ofArray(src).asSlice(off, len));
    }

    @Override
    public Connection write(ByteBuffer src) {
        throw new UnsupportedOperationException();
    }

    @Override
    public MemorySegment reserve(int size) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void commit(int used) {
        throw new UnsupportedOperationException();
    }

    @Override
    public long pendingWriteBytes() {
        return 0;
    }

    @Override
    public Worker worker() {
        throw new UnsupportedOperationException();
    }

    @Override
    public long id() {
        return 1;
    }

    @Override
    public SocketAddress localAddress() {
        return null;
    }

    @Override
    public SocketAddress remoteAddress() {
        return null;
    }

    @Override
    public void shutdownOutput() {
        throw new UnsupportedOperationException();
    }

    @Override
    public void shutdownInput() {
        throw new UnsupportedOperationException();
    }

    boolean readingPaused;

    @Override
    public void pauseReading() {
        readingPaused = true;
    }

    @Override
    public void resumeReading() {
        readingPaused = false;
    }

    @Override
    public boolean isReadingPaused() {
        return readingPaused;
    }

    @Override
    public void abort() {
        closed = true;
    }

    @Override
    public <T> Connection setOption(SocketOption<T> option, T value) {
        throw new UnsupportedOperationException();
    }

    @Override
    public <T> T getOption(SocketOption<T> option) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void setRawOption(int level, int name, MemorySegment value) {
        throw new UnsupportedOperationException();
    }

    @Override
    public int getRawOption(int level, int name, MemorySegment value) {
        throw new UnsupportedOperationException();
    }

    @Override
    public ConnectionHandler handler() {
        throw new UnsupportedOperationException();
    }
}
