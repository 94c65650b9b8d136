package dev.isthmus.dpdk.net;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * IPv4 reassembly (RFC 791 section 3.2, "fragmentation and reassembly"), bounded in time and memory.
 *
 * <p>A datagram is keyed by source, destination, protocol and identification. Its fragments are copied
 * into one growing buffer (fragments are the slow path; whole datagrams reach UDP without a copy). The
 * policy follows Linux's (net/ipv4/ip_fragment.c and inet_fragment.c):
 * <ul>
 *   <li>a fragment that overlaps another drops the whole datagram, an exact duplicate only itself
 *       (Linux since 4.19, after the FragmentSmack CVE-2018-5391; RFC 5722 asks the same for IPv6);</li>
 *   <li>datagrams not complete {@code timeoutNanos} after their first fragment are dropped
 *       (ipfrag_time, 30 s by default);</li>
 *   <li>the buffers of all datagrams in progress stay under {@code maxBytes} (ipfrag_high_thresh,
 *       4 MiB): a fragment that would pass the bound is dropped; a datagram may not have more than
 *       {@link #MAX_FRAGMENTS} fragments nor end beyond 65535 bytes.</li>
 * </ul>
 */
public final class Reassembly {
    /** Fragments per datagram: 65535 / 8-byte steps would allow 8192; real senders use a few dozen. */
    public static final int MAX_FRAGMENTS = 128;

    private final long timeoutNanos;
    private final long maxBytes;
    private final NetStats stats;
    /** In arrival order: every datagram has the same timeout, so the first one expires first. */
    private final Map<Key, Datagram> inProgress = new LinkedHashMap<>();
    private long bytesHeld;

    record Key(int src, int dst, int protocol, int id) {
    }

    private static final class Datagram {
        final long expiresAt;
        byte[] buf = new byte[0];
        /** Received ranges [start, end), sorted by start, non-overlapping. */
        int[] starts = new int[8];
        int[] ends = new int[8];
        int count;
        int total = -1;
        byte[] firstHeader;

        Datagram(long expiresAt) {
            this.expiresAt = expiresAt;
        }
    }

    /** Reassembly that drops datagrams after {@code timeoutNanos} and holds at most {@code maxBytes}. */
    public Reassembly(long timeoutNanos, long maxBytes, NetStats stats) {
        if (timeoutNanos <= 0 || maxBytes < 65535) {
            throw new IllegalArgumentException("reassembly needs a positive timeout and at least 65535 bytes, was "
                    + timeoutNanos + " ns and " + maxBytes + " bytes");
        }
        this.timeoutNanos = timeoutNanos;
        this.maxBytes = maxBytes;
        this.stats = stats;
    }

    /** What {@link #add} returns for a complete datagram. */
    public record Complete(MemorySegment header, MemorySegment payload) {
    }

    /**
     * Adds one fragment: {@code payload} at byte {@code offset} of the datagram's payload, the last one
     * unless {@code more}. Returns the whole datagram (the first fragment's IP header and the payload) once
     * every byte is there, else null. Drops are counted in the stats.
     */
    public Complete add(int src, int dst, int protocol, int id, MemorySegment header, int offset, boolean more,
                        MemorySegment payload, long now) {
        int len = (int) payload.byteSize();
        int end = offset + len;
        if (end > 65535 - header.byteSize() || (more && (len % 8 != 0 || len == 0))) {
            // RFC 791: every fragment but the last carries a multiple of 8 bytes; nothing ends past 65535.
            stats.drop(DropReason.FRAG_BAD);
            return null;
        }
        Key key = new Key(src, dst, protocol, id);
        Datagram d = inProgress.get(key);
        if (d == null) {
            d = new Datagram(now + timeoutNanos);
            inProgress.put(key, d);
        }
        if (!more) {
            if (d.total >= 0 && d.total != end) {
                discard(key, d, DropReason.FRAG_BAD);
                return null;
            }
            d.total = end;
        } else if (d.total >= 0 && end > d.total) {
            discard(key, d, DropReason.FRAG_BAD);
            return null;
        }
        // Where the range goes among the sorted received ranges, and whether it collides.
        int i = 0;
        while (i < d.count && d.starts[i] < offset) {
            i++;
        }
        if (i < d.count && d.starts[i] == offset && d.ends[i] == end) {
            stats.drop(DropReason.FRAG_OVERLAP); // an exact duplicate: only this copy goes
            return null;
        }
        if ((i > 0 && d.ends[i - 1] > offset) || (i < d.count && d.starts[i] < end)) {
            discard(key, d, DropReason.FRAG_OVERLAP);
            return null;
        }
        if (d.count == MAX_FRAGMENTS) {
            discard(key, d, DropReason.FRAG_BAD);
            return null;
        }
        if (end > d.buf.length) {
            int grown = Math.max(end, Math.min(65535, d.buf.length * 2));
            if (bytesHeld + grown - d.buf.length > maxBytes) {
                stats.drop(DropReason.FRAG_NO_MEMORY);
                if (d.count == 0) {
                    inProgress.remove(key);
                }
                return null;
            }
            bytesHeld += grown - d.buf.length;
            d.buf = Arrays.copyOf(d.buf, grown);
        }
        MemorySegment.copy(payload, 0, MemorySegment.ofArray(d.buf), offset, len);
        if (d.count == d.starts.length) {
            d.starts = Arrays.copyOf(d.starts, d.count * 2);
            d.ends = Arrays.copyOf(d.ends, d.count * 2);
        }
        System.arraycopy(d.starts, i, d.starts, i + 1, d.count - i);
        System.arraycopy(d.ends, i, d.ends, i + 1, d.count - i);
        d.starts[i] = offset;
        d.ends[i] = end;
        d.count++;
        if (offset == 0) {
            d.firstHeader = header.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
        }
        if (d.total < 0 || d.starts[0] != 0) {
            return null;
        }
        for (int k = 1; k < d.count; k++) {
            if (d.starts[k] != d.ends[k - 1]) {
                return null;
            }
        }
        if (d.ends[d.count - 1] != d.total) {
            return null;
        }
        inProgress.remove(key);
        bytesHeld -= d.buf.length;
        return new Complete(MemorySegment.ofArray(d.firstHeader), MemorySegment.ofArray(d.buf).asSlice(0, d.total));
    }

    private void discard(Key key, Datagram d, DropReason why) {
        inProgress.remove(key);
        bytesHeld -= d.buf.length;
        stats.drop(why);
    }

    /** Drops the datagrams whose time is up; returns how many. */
    public int expire(long now) {
        int n = 0;
        Iterator<Datagram> it = inProgress.values().iterator();
        while (it.hasNext()) {
            Datagram d = it.next();
            if (now - d.expiresAt >= 0) {
                it.remove();
                bytesHeld -= d.buf.length;
                stats.drop(DropReason.FRAG_TIMEOUT);
                n++;
            }
        }
        return n;
    }

    /** When the oldest datagram in progress times out; only while {@link #inProgress()} &gt; 0. */
    public long nextExpiry() {
        Iterator<Datagram> it = inProgress.values().iterator();
        if (!it.hasNext()) {
            throw new IllegalStateException("no datagram in reassembly");
        }
        return it.next().expiresAt;
    }

    /** Datagrams in progress. */
    public int inProgress() {
        return inProgress.size();
    }

    /** Buffer bytes held by datagrams in progress. */
    public long bytesHeld() {
        return bytesHeld;
    }
}
