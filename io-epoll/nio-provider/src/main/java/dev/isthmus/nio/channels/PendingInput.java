package dev.isthmus.nio.channels;

import dev.isthmus.ffi.Errno;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * What a selector read ahead for one stream channel ({@link ReadAhead}) and no read has taken yet: bytes, the end
 * of the stream, or an error, in the order the kernel gave them. Every read of the channel takes these first.
 * Bytes live in a block of the selector's {@link ReadAheadPool} until they are read or the channel leaves the
 * selector; then they move to a heap array (they were taken from the socket, so they must not be lost).
 *
 * <p>Guarded by this object's monitor: readers hold the channel's read lock too, but close, shutdownInput and
 * deregistration may come from any thread and must not wait for a reader blocked in poll(2). {@link #isEmpty()}
 * reads a volatile field without the monitor, for the selector's readiness checks.
 */
final class PendingInput {
    private static final int NONE = 0;
    private static final int DATA = 1;
    private static final int EOF = 2;
    private static final int ERROR = 3;

    private volatile int kind;
    /** The bytes: a pool block's buffer, or a heap buffer once they left the pool. */
    private ByteBuffer data;
    /** The pool and block {@link #data} belong to; null once the bytes were moved to the heap. */
    private ReadAheadPool pool;
    private ReadAheadPool.Block block;
    private int pos;
    private int limit;
    private int errno;
    /** Closed or shut for input: nothing read ahead from now on will ever be read. */
    private boolean shut;

    boolean isEmpty() {
        return kind == NONE;
    }

    /**
     * Stores a completed read-ahead (selector thread, holding the channel's read lock): {@code res} bytes in
     * {@code block}, 0 for end of stream, or a negated errno (not EAGAIN: the caller gives that block back itself).
     */
    synchronized void store(ReadAheadPool from, ReadAheadPool.Block filled, int res) {
        if (shut || kind != NONE) {
            from.give(filled);
            return;
        }
        if (res > 0) {
            block = filled;
            data = filled.buffer;
            pool = from;
            pos = 0;
            limit = res;
            kind = DATA;
            return;
        }
        from.give(filled);
        if (res == 0) {
            kind = EOF;
        } else {
            errno = -res;
            kind = ERROR;
        }
    }

    /**
     * Takes what is pending (a reader holding the channel's read lock): copies bytes into {@code dst}, or
     * {@code dsts[offset..offset+length)} in order, and returns how many; -1 for end of stream; 0 if nothing is
     * pending; throws the error read ahead.
     */
    synchronized long take(ByteBuffer dst, ByteBuffer[] dsts, int offset, int length) throws IOException {
        switch (kind) {
            case DATA -> {
                long n = 0;
                if (dst != null) {
                    n = copy(dst);
                } else {
                    for (int i = offset; i < offset + length && pos < limit; i++) {
                        n += copy(dsts[i]);
                    }
                }
                if (pos == limit) {
                    release();
                }
                return n;
            }
            case EOF -> {
                kind = NONE;
                return -1;
            }
            case ERROR -> {
                kind = NONE;
                throw Errno.exception("read", errno);
            }
            default -> {
                return 0;
            }
        }
    }

    private int copy(ByteBuffer b) {
        int k = Math.min(b.remaining(), limit - pos);
        if (k > 0) {
            int at = b.position();
            b.put(at, data, pos, k);
            b.position(at + k);
            pos += k;
        }
        return k;
    }

    /** Bytes that a read can take without a system call. */
    synchronized int available() {
        return kind == DATA ? limit - pos : 0;
    }

    /**
     * The channel leaves a selector whose pool may hold its bytes ({@code from}; null: any pool), or turns
     * blocking: bytes in a pool block move to the heap and the block goes back, so that the pool may close.
     */
    synchronized void detach(ReadAheadPool from) {
        if (kind != DATA || pool == null || (from != null && pool != from)) {
            return;
        }
        byte[] copy = new byte[limit - pos];
        data.get(pos, copy);
        pool.give(block);
        pool = null;
        block = null;
        data = ByteBuffer.wrap(copy);
        pos = 0;
        limit = copy.length;
    }

    /** The channel is closed or shut for input: what was read ahead is dropped, the block given back. */
    synchronized void discard() {
        shut = true;
        release();
    }

    private void release() {
        if (pool != null) {
            pool.give(block);
        }
        pool = null;
        block = null;
        data = null;
        pos = 0;
        limit = 0;
        kind = NONE;
    }
}
