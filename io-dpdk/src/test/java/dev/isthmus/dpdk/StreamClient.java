package dev.isthmus.dpdk;

import dev.isthmus.stack.Connection;
import dev.isthmus.stack.ConnectionHandler;
import dev.isthmus.stack.Inbound;

import java.lang.foreign.MemorySegment;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.zip.CRC32;

/**
 * A test client: sends {@code total} pseudo-random bytes as fast as writability allows, CRC'ing them,
 * and CRCs what comes back (an echo, or a peer's own stream) until {@code expected} bytes arrived; then
 * {@link #done} completes with the received CRC. With {@code shutdownAfterSend}, shuts its output once
 * all is written (the peer then sees EOF).
 */
final class StreamClient implements ConnectionHandler {
    final long total;
    final long expected;
    final boolean shutdownAfterSend;
    final CRC32 sentCrc = new CRC32();
    final CRC32 receivedCrc = new CRC32();
    final CompletableFuture<Long> done = new CompletableFuture<>();
    final CompletableFuture<Connection> opened = new CompletableFuture<>();
    final CompletableFuture<Throwable> closed = new CompletableFuture<>();
    private final Random random;
    private final byte[] chunk = new byte[16384];
    private final byte[] readBuf = new byte[65536];
    long written;
    long received;
    boolean eof;

    StreamClient(long total, long expected, boolean shutdownAfterSend, long seed) {
        this.total = total;
        this.expected = expected;
        this.shutdownAfterSend = shutdownAfterSend;
        this.random = new Random(seed);
    }

    @Override
    public void onOpen(Connection c) {
        opened.complete(c);
        pump(c);
    }

    private void pump(Connection c) {
        while (written < total && c.isWritable()) {
            int n = (int) Math.min(chunk.length, total - written);
            random.nextBytes(chunk);
            sentCrc.update(chunk, 0, n);
            c.write(chunk, 0, n);
            written += n;
        }
        c.flush();
        if (written == total && shutdownAfterSend) {
            c.shutdownOutput();
        }
    }

    @Override
    public void onWritable(Connection c) {
        if (written < total) {
            pump(c);
        }
    }

    @Override
    public void onData(Connection c, Inbound in) {
        while (in.readableBytes() > 0) {
            int n = (int) Math.min(readBuf.length, in.readableBytes());
            in.copyTo(0, readBuf, 0, n);
            receivedCrc.update(readBuf, 0, n);
            in.skip(n);
            received += n;
        }
        if (received >= expected) {
            done.complete(receivedCrc.getValue());
        }
    }

    @Override
    public void onInputShutdown(Connection c) {
        eof = true;
        c.close(); // as the default: close once our pending writes are out
        if (received >= expected) {
            done.complete(receivedCrc.getValue());
        }
    }

    @Override
    public void onClose(Connection c, Throwable cause) {
        closed.complete(cause);
        if (!done.isDone()) {
            done.completeExceptionally(new AssertionError("closed after " + received + " of " + expected
                    + " bytes, " + written + " written", cause));
        }
    }

    static MemorySegment unused() {
        return MemorySegment.NULL;
    }
}
