package dev.isthmus.tests.conformance;

import dev.isthmus.stack.Connection;

import java.lang.foreign.MemorySegment;
import java.util.Random;
import java.util.function.Consumer;
import java.util.zip.CRC32C;

/**
 * A deterministic byte stream of a given length (a 1 MiB pseudo-random block read at a moving offset),
 * written to a connection in chunks as long as it is writable: the sending half of the echo, backpressure
 * and close tests. It records its CRC32C and the largest {@link Connection#pendingWriteBytes()} seen right
 * after a write.
 */
final class Pattern implements Recorder.Source {
    static final int BLOCK = 1 << 20;
    private static final byte[] DATA = new byte[BLOCK + 7];
    private static final MemorySegment SEGMENT = MemorySegment.ofArray(DATA);

    static {
        new Random(0x157A05L).nextBytes(DATA);
    }

    private final long total;
    private final int chunk;
    private final Consumer<Connection> whenDone;
    private final CRC32C crc = new CRC32C();
    private long sent;
    private long maxPending;
    private boolean done;
    private boolean ignoreWatermarks;

    /**
     * @param total    bytes to send
     * @param chunk    bytes per write call
     * @param whenDone what to do on the worker once every byte was written (e.g. close, shutdownOutput)
     */
    Pattern(long total, int chunk, Consumer<Connection> whenDone) {
        this.total = total;
        this.chunk = chunk;
        this.whenDone = whenDone;
    }

    /** Writes everything in one pump, past the high watermark (for tests that need bytes pending). */
    Pattern ignoringWatermarks() {
        ignoreWatermarks = true;
        return this;
    }

    /** The byte at stream position {@code pos}, for checking what a peer received. */
    static byte at(long pos) {
        return DATA[(int) (pos % BLOCK)];
    }

    /** The CRC32C of the first {@code n} bytes of the stream. */
    static long crcOf(long n) {
        CRC32C c = new CRC32C();
        long pos = 0;
        while (pos < n) {
            int off = (int) (pos % BLOCK);
            int len = (int) Math.min(n - pos, BLOCK - off);
            c.update(DATA, off, len);
            pos += len;
        }
        return c.getValue();
    }

    @Override
    public void pump(Connection c) {
        while (!done && sent < total && (ignoreWatermarks || c.isWritable())) {
            int off = (int) (sent % BLOCK);
            int len = (int) Math.min(Math.min(total - sent, chunk), BLOCK - off);
            c.write(SEGMENT.asSlice(off, len));
            synchronized (this) {
                crc.update(DATA, off, len);
                sent += len;
            }
            c.flush();
            long p = c.pendingWriteBytes();
            synchronized (this) {
                maxPending = Math.max(maxPending, p);
            }
        }
        if (!done && sent == total) {
            done = true;
            whenDone.accept(c);
        }
    }

    synchronized long sent() {
        return sent;
    }

    synchronized long crc() {
        return crc.getValue();
    }

    synchronized long maxPending() {
        return maxPending;
    }
}
