package dev.isthmus.stack.buffer;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * The write side of a connection: bytes accepted by {@code write} are copied into pooled buffers
 * linked head to tail. Two positions divide them:
 * <pre>
 *   head                      sent cursor                    tail
 *   | acknowledged: released | sent, not acknowledged | unsent |
 *   ^ release point           ^ gather starts here             ^ write appends here
 * </pre>
 * A kernel stack hands the kernel what it gathers and reports what it took with {@link #consumed(long)}:
 * the kernel keeps its own copy for retransmission, so those bytes are sent and released at once (the
 * two positions coincide and the buffers go back to the pool). A userspace TCP reports {@link #sent}
 * bytes, keeps them until the peer {@link #acknowledged acknowledges} them, and after a retransmission
 * timeout {@link #rewindToAcknowledged() rewinds} the sent cursor to send them again from the same
 * buffers, without a copy. Single-threaded (the connection's worker).
 */
public final class OutboundChain {
    private final BufferPool pool;
    private PooledBuffer head;
    private PooledBuffer tail;
    /** Written and not yet acknowledged (sent or not). */
    private long pending;
    /** Sent and not yet acknowledged; when 0 the sent cursor is the head's readIndex. */
    private long unacked;
    /** The sent cursor, meaningful only while {@code unacked > 0}. */
    private PooledBuffer sentBuffer;
    private int sentOffset;
    /** Size handed out by the last {@link #reserve}, or -1 when no reservation is open. */
    private int reserved = -1;

    /** An empty chain that takes its buffers from {@code pool} (the connection's worker's). */
    public OutboundChain(BufferPool pool) {
        this.pool = Objects.requireNonNull(pool, "pool");
    }

    /** Bytes written and not yet {@link #consumed} or {@link #acknowledged}: what close waits for. */
    public long pendingBytes() {
        return pending;
    }

    /** Bytes written and not yet sent: what {@link #gather} hands out. */
    public long unsentBytes() {
        return pending - unacked;
    }

    /** Bytes {@link #sent} and not yet {@link #acknowledged}. */
    public long unacknowledgedBytes() {
        return unacked;
    }

    /** Copies all of {@code src}. */
    public void write(MemorySegment src) {
        Objects.requireNonNull(src, "src");
        reserved = -1;
        long off = 0;
        long left = src.byteSize();
        while (left > 0) {
            PooledBuffer t = tailWithSpace(1);
            int n = (int) Math.min(left, t.writableBytes());
            MemorySegment.copy(src, off, t.segment(), t.writeIndex, n);
            t.writeIndex += n;
            off += n;
            left -= n;
            pending += n;
        }
    }

    /** Copies {@code src[off, off+len)}. */
    public void write(byte[] src, int off, int len) {
        Objects.checkFromIndexSize(off, len, src.length);
        reserved = -1;
        while (len > 0) {
            PooledBuffer t = tailWithSpace(1);
            int n = Math.min(len, t.writableBytes());
            MemorySegment.copy(src, off, t.segment(), ValueLayout.JAVA_BYTE, t.writeIndex, n);
            t.writeIndex += n;
            off += n;
            len -= n;
            pending += n;
        }
    }

    /** Copies {@code src}'s remaining bytes and advances its position. */
    public void write(ByteBuffer src) {
        Objects.requireNonNull(src, "src");
        reserved = -1;
        if (src.hasArray()) {
            int len = src.remaining();
            write(src.array(), src.arrayOffset() + src.position(), len);
            src.position(src.position() + len);
            return;
        }
        // A direct or read-only buffer: copy through the cached view (MemorySegment.ofBuffer allocates).
        int limit = src.limit();
        try {
            while (src.hasRemaining()) {
                PooledBuffer t = tailWithSpace(1);
                int n = Math.min(src.remaining(), t.writableBytes());
                ByteBuffer view = t.byteBuffer();
                view.limit(t.writeIndex + n).position(t.writeIndex);
                src.limit(src.position() + n);
                view.put(src);
                src.limit(limit);
                t.writeIndex += n;
                pending += n;
            }
        } finally {
            src.limit(limit);
        }
    }

    /**
     * Writable native memory of {@code size} bytes at the end of the chain, valid until the next call
     * on this chain; {@link #commit(int)} what was filled.
     */
    public MemorySegment reserve(int size) {
        if (size < 0 || size > pool.bufferSize()) {
            throw new IllegalArgumentException("reserve size must be 0.." + pool.bufferSize()
                    + " (the buffer size), was " + size);
        }
        PooledBuffer t = tailWithSpace(size);
        reserved = size;
        return t.segment().asSlice(t.writeIndex, size);
    }

    /** Appends the first {@code used} bytes of the last {@link #reserve(int)}. */
    public void commit(int used) {
        if (reserved < 0) {
            throw new IllegalStateException("commit without a reserve (or after another write)");
        }
        if (used < 0 || used > reserved) {
            throw new IllegalArgumentException("commit must be 0.." + reserved + " (the reserved size), was " + used);
        }
        tail.writeIndex += used;
        pending += used;
        reserved = -1;
    }

    /**
     * Hands the unsent pieces, from the sent cursor on, in order, to {@code sink}: at most
     * {@code maxPieces}, skipping empty buffers. Returns the number of pieces given. Allocates nothing.
     */
    public int gather(SegmentSink sink, int maxPieces) {
        PooledBuffer b = unacked == 0 ? head : sentBuffer;
        if (b == null) {
            return 0;
        }
        int off = unacked == 0 ? b.readIndex : sentOffset;
        int i = 0;
        while (i < maxPieces) {
            int len = b.writeIndex - off;
            if (len > 0) {
                sink.piece(i++, b, b.segment(), off, len);
            }
            b = b.next;
            if (b == null) {
                break;
            }
            off = b.readIndex;
        }
        return i;
    }

    /**
     * Fills {@code dst[0..]} with the buffers' cached {@link ByteBuffer} views, position and limit set
     * to the pending bytes, for {@code GatheringByteChannel.write(dst, 0, n)}; returns n.
     */
    public int gather(ByteBuffer[] dst) {
        PooledBuffer b = unacked == 0 ? head : sentBuffer;
        if (b == null) {
            return 0;
        }
        int off = unacked == 0 ? b.readIndex : sentOffset;
        int i = 0;
        while (i < dst.length) {
            if (b.writeIndex - off > 0) {
                ByteBuffer v = b.byteBuffer();
                v.limit(b.writeIndex).position(off);
                dst[i++] = v;
            }
            b = b.next;
            if (b == null) {
                break;
            }
            off = b.readIndex;
        }
        return i;
    }

    /**
     * The kernel took the first {@code n} unsent bytes and keeps them itself until acknowledged: they are
     * sent and released at once (a kernel stack's {@link #sent} plus {@link #acknowledged}). Not for a
     * stack that has bytes {@link #sent} and unacknowledged.
     */
    public void consumed(long n) {
        if (n < 0 || n > pending) {
            throw new IllegalArgumentException("consumed must be 0.." + pending + " (pending), was " + n);
        }
        if (unacked != 0) {
            throw new IllegalStateException("consumed(" + n + ") with " + unacked + " bytes sent and not acknowledged;"
                    + " a stack that keeps bytes for retransmission reports sent() and acknowledged()");
        }
        pending -= n;
        releaseFront(n);
    }

    /**
     * {@code n} unsent bytes, from the sent cursor on, went out (a segment was transmitted): the cursor
     * moves past them; the bytes stay until {@link #acknowledged}.
     */
    public void sent(long n) {
        long unsent = pending - unacked;
        if (n < 0 || n > unsent) {
            throw new IllegalArgumentException("sent must be 0.." + unsent + " (unsent), was " + n);
        }
        if (n == 0) {
            return;
        }
        PooledBuffer b = unacked == 0 ? head : sentBuffer;
        int off = unacked == 0 ? b.readIndex : sentOffset;
        unacked += n;
        while (true) {
            int avail = b.writeIndex - off;
            if (n <= avail) {
                off += (int) n;
                break;
            }
            n -= avail;
            b = b.next;
            off = b.readIndex;
        }
        sentBuffer = b;
        sentOffset = off;
    }

    /** The peer acknowledged the first {@code n} sent bytes: they are released. */
    public void acknowledged(long n) {
        if (n < 0 || n > unacked) {
            throw new IllegalArgumentException("acknowledged must be 0.." + unacked + " (sent, not acknowledged), was " + n);
        }
        pending -= n;
        unacked -= n;
        if (unacked == 0) {
            sentBuffer = null;
        }
        releaseFront(n);
    }

    /**
     * Moves the sent cursor back to the first unacknowledged byte, for a retransmission: the next
     * {@link #gather} starts there again. Returns how many bytes are to be sent again.
     */
    public long rewindToAcknowledged() {
        long n = unacked;
        unacked = 0;
        sentBuffer = null;
        return n;
    }

    /** Releases the first {@code n} bytes (already taken off {@code pending}). */
    private void releaseFront(long n) {
        while (head != null) {
            PooledBuffer b = head;
            int len = b.readableBytes();
            if (n < len) {
                b.readIndex += (int) n;
                return;
            }
            n -= len;
            if (b == tail && reserved >= 0) {
                // An open reservation points into this buffer: keep it, empty.
                b.readIndex = b.writeIndex;
                return;
            }
            head = b.next;
            if (head == null) {
                tail = null;
            }
            b.next = null;
            b.release();
        }
    }

    /** Drops everything pending and releases every buffer; returns how many bytes were dropped. */
    public long discard() {
        long dropped = pending;
        PooledBuffer b = head;
        head = tail = null;
        pending = 0;
        unacked = 0;
        sentBuffer = null;
        reserved = -1;
        while (b != null) {
            PooledBuffer n = b.next;
            b.next = null;
            b.release();
            b = n;
        }
        return dropped;
    }

    private PooledBuffer tailWithSpace(int min) {
        PooledBuffer t = tail;
        if (t == null || t.writableBytes() < min || t.writableBytes() == 0) {
            PooledBuffer b = pool.allocate();
            if (t == null) {
                head = b;
            } else {
                t.next = b;
            }
            tail = b;
            t = b;
        }
        return t;
    }
}
