package dev.isthmus.dpdk.tcp;

import dev.isthmus.dpdk.net.Checksums;
import dev.isthmus.dpdk.net.Wire;

import java.lang.foreign.MemorySegment;

/**
 * A TCP segment header (RFC 9293 section 3.1) read from memory: a flyweight, one per worker, filled by
 * {@link #parse} for each received segment, so receiving allocates nothing. Options read: MSS (RFC 9293
 * 3.7.1), window scale (RFC 7323 section 2), SACK-permitted and SACK blocks (RFC 2018 sections 2 and 3,
 * up to {@value #MAX_SACK_BLOCKS}) and timestamps (RFC 7323 section 3).
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * |          Source Port          |       Destination Port        |  0
 * |                        Sequence Number                        |  4
 * |                    Acknowledgment Number                      |  8
 * |  DOff |  Rsrvd|C|E|U|A|P|R|S|F|            Window             | 12
 * |           Checksum            |         Urgent Pointer        | 16
 * |                    Options                    |    Padding    | 20
 * </pre>
 * {@link #write} builds a header with the options a SYN carries, and {@link #checksum} fills the
 * checksum over the IPv4 pseudo-header (RFC 9293 3.1), in software.
 */
public final class TcpSegment {
    /** The header without options. */
    public static final int HEADER = 20;
    /** The longest header (data offset 15). */
    public static final int MAX_HEADER = 60;
    /** The MSS assumed when the peer's SYN carries none (RFC 9293 3.7.1, RFC 1122 4.2.2.6). */
    public static final int DEFAULT_MSS = 536;
    /** The largest window shift (RFC 7323 2.3: larger values are taken as 14). */
    public static final int MAX_WINDOW_SHIFT = 14;

    private static final int OPT_END = 0;
    private static final int OPT_NOP = 1;
    private static final int OPT_MSS = 2;
    private static final int OPT_WSCALE = 3;
    private static final int OPT_SACK_PERMITTED = 4;
    private static final int OPT_SACK = 5;
    private static final int OPT_TIMESTAMPS = 8;
    /** SACK blocks an option can hold (RFC 2018 3: 4 in 40 bytes of options, 3 beside timestamps). */
    public static final int MAX_SACK_BLOCKS = 4;

    /** Why {@link #parse} refused a segment. */
    public enum Error { NONE, TRUNCATED, BAD_OFFSET, BAD_CHECKSUM }

    private int sourcePort;
    private int destinationPort;
    private int seq;
    private int ack;
    private int headerLength;
    private int flags;
    private int window;
    private int payloadLength;
    private int mss;
    private int windowShift;
    private boolean sackPermitted;
    private boolean timestamps;
    private int tsVal;
    private int tsEcr;
    private final int[] sackStarts = new int[MAX_SACK_BLOCKS];
    private final int[] sackEnds = new int[MAX_SACK_BLOCKS];
    private int sackBlocks;
    private long payloadOffset;

    /**
     * Reads the segment of {@code length} bytes at {@code off} (the IPv4 payload) sent from {@code srcIp}
     * to {@code dstIp}; verifies the checksum when {@code verifyChecksum}. Returns {@link Error#NONE}
     * when the fields can be used.
     */
    public Error parse(MemorySegment s, long off, int length, int srcIp, int dstIp, boolean verifyChecksum) {
        if (length < HEADER) {
            return Error.TRUNCATED;
        }
        int hl = (Wire.u8(s, off + 12) >>> 4) * 4;
        if (hl < HEADER || hl > length) {
            return Error.BAD_OFFSET;
        }
        if (verifyChecksum) {
            long sum = Checksums.add(Checksums.pseudoHeader(srcIp, dstIp, 6, length), s, off, length);
            if (Checksums.finish(sum) != 0) {
                return Error.BAD_CHECKSUM;
            }
        }
        sourcePort = Wire.u16(s, off);
        destinationPort = Wire.u16(s, off + 2);
        seq = Wire.u32(s, off + 4);
        ack = Wire.u32(s, off + 8);
        headerLength = hl;
        flags = Wire.u8(s, off + 13) & 0x3F;
        window = Wire.u16(s, off + 14);
        payloadOffset = off + hl;
        payloadLength = length - hl;
        mss = -1;
        windowShift = -1;
        sackPermitted = false;
        timestamps = false;
        sackBlocks = 0;
        parseOptions(s, off + HEADER, off + hl);
        return Error.NONE;
    }

    private void parseOptions(MemorySegment s, long p, long end) {
        while (p < end) {
            int kind = Wire.u8(s, p);
            if (kind == OPT_END) {
                return;
            }
            if (kind == OPT_NOP) {
                p++;
                continue;
            }
            if (p + 1 >= end) {
                return; // a kind without its length: ignore the rest (RFC 9293 3.2, be liberal)
            }
            int len = Wire.u8(s, p + 1);
            if (len < 2 || p + len > end) {
                return;
            }
            switch (kind) {
                case OPT_MSS -> {
                    if (len == 4) mss = Wire.u16(s, p + 2);
                }
                case OPT_WSCALE -> {
                    if (len == 3) windowShift = Math.min(Wire.u8(s, p + 2), MAX_WINDOW_SHIFT);
                }
                case OPT_SACK_PERMITTED -> sackPermitted = len == 2;
                case OPT_TIMESTAMPS -> {
                    timestamps = len == 10;
                    if (timestamps) {
                        tsVal = Wire.u32(s, p + 2);
                        tsEcr = Wire.u32(s, p + 6);
                    }
                }
                case OPT_SACK -> {
                    // RFC 2018 3: 8 bytes per block, left edge then right edge (exclusive).
                    if (len >= 10 && (len - 2) % 8 == 0) {
                        int n = Math.min((len - 2) / 8, MAX_SACK_BLOCKS);
                        for (int i = 0; i < n; i++) {
                            sackStarts[i] = Wire.u32(s, p + 2 + 8L * i);
                            sackEnds[i] = Wire.u32(s, p + 6 + 8L * i);
                        }
                        sackBlocks = n;
                    }
                }
                default -> { }
            }
            p += len;
        }
    }

    /**
     * Writes a header at {@code off}: ports, numbers, flags and window; with {@code mss >= 0} an MSS
     * option and with {@code windowShift >= 0} a window-scale option (a SYN's). The checksum is left 0
     * for {@link #checksum}. Returns the header length.
     */
    public static int write(MemorySegment s, long off, int srcPort, int dstPort, int seq, int ack, int flags,
                            int window, int mss, int windowShift) {
        int hl = HEADER;
        long p = off + HEADER;
        if (mss >= 0) {
            Wire.set8(s, p, OPT_MSS);
            Wire.set8(s, p + 1, 4);
            Wire.set16(s, p + 2, mss);
            p += 4;
            hl += 4;
        }
        if (windowShift >= 0) {
            // NOP first, so the 3-byte option ends the header on a 4-byte boundary (RFC 7323 2.2).
            Wire.set8(s, p, OPT_NOP);
            Wire.set8(s, p + 1, OPT_WSCALE);
            Wire.set8(s, p + 2, 3);
            Wire.set8(s, p + 3, windowShift);
            hl += 4;
        }
        Wire.set16(s, off, srcPort);
        Wire.set16(s, off + 2, dstPort);
        Wire.set32(s, off + 4, seq);
        Wire.set32(s, off + 8, ack);
        Wire.set8(s, off + 12, (hl / 4) << 4);
        Wire.set8(s, off + 13, flags);
        Wire.set16(s, off + 14, window);
        Wire.set16(s, off + 16, 0);
        Wire.set16(s, off + 18, 0);
        return hl;
    }

    /**
     * The length of the options {@link #writeOptions} writes: on a SYN, MSS, SACK-permitted, timestamps
     * and window scale as asked; on any segment, timestamps and {@code sackBlocks} SACK blocks; a multiple
     * of 4 (NOPs pad, as Linux lays them out).
     */
    public static int optionsLength(boolean mss, boolean sackPermitted, boolean timestamps, int windowShift,
                                    int sackBlocks) {
        int n = 0;
        if (mss) n += 4;
        if (sackPermitted && timestamps) n += 12; // SACK-permitted(2) + timestamps(10)
        else if (sackPermitted) n += 4;          // NOP NOP SACK-permitted
        else if (timestamps) n += 12;            // NOP NOP timestamps
        if (windowShift >= 0) n += 4;            // NOP window-scale
        if (sackBlocks > 0) n += 4 + 8 * sackBlocks; // NOP NOP SACK
        return n;
    }

    /**
     * Writes a header at {@code off} with the options {@link #optionsLength} counts: MSS when {@code mss
     * >= 0}, SACK-permitted, timestamps {@code tsVal}/{@code tsEcr}, window scale when {@code windowShift
     * >= 0}, and {@code sackBlocks} blocks from {@code starts}/{@code ends}. Returns the header length.
     */
    public static int write(MemorySegment s, long off, int srcPort, int dstPort, int seq, int ack, int flags,
                            int window, int mss, int windowShift, boolean sackPermitted, boolean timestamps,
                            int tsVal, int tsEcr, int[] starts, int[] ends, int sackBlocks) {
        int hl = HEADER + optionsLength(mss >= 0, sackPermitted, timestamps, windowShift, sackBlocks);
        long p = off + HEADER;
        if (mss >= 0) {
            Wire.set8(s, p, OPT_MSS);
            Wire.set8(s, p + 1, 4);
            Wire.set16(s, p + 2, mss);
            p += 4;
        }
        if (sackPermitted) {
            if (!timestamps) {
                Wire.set8(s, p++, OPT_NOP);
                Wire.set8(s, p++, OPT_NOP);
            }
            Wire.set8(s, p, OPT_SACK_PERMITTED);
            Wire.set8(s, p + 1, 2);
            p += 2;
        } else if (timestamps) {
            Wire.set8(s, p++, OPT_NOP);
            Wire.set8(s, p++, OPT_NOP);
        }
        if (timestamps) {
            Wire.set8(s, p, OPT_TIMESTAMPS);
            Wire.set8(s, p + 1, 10);
            Wire.set32(s, p + 2, tsVal);
            Wire.set32(s, p + 6, tsEcr);
            p += 10;
        }
        if (windowShift >= 0) {
            Wire.set8(s, p, OPT_NOP);
            Wire.set8(s, p + 1, OPT_WSCALE);
            Wire.set8(s, p + 2, 3);
            Wire.set8(s, p + 3, windowShift);
            p += 4;
        }
        if (sackBlocks > 0) {
            Wire.set8(s, p, OPT_NOP);
            Wire.set8(s, p + 1, OPT_NOP);
            Wire.set8(s, p + 2, OPT_SACK);
            Wire.set8(s, p + 3, 2 + 8 * sackBlocks);
            p += 4;
            for (int i = 0; i < sackBlocks; i++) {
                Wire.set32(s, p, starts[i]);
                Wire.set32(s, p + 4, ends[i]);
                p += 8;
            }
        }
        Wire.set16(s, off, srcPort);
        Wire.set16(s, off + 2, dstPort);
        Wire.set32(s, off + 4, seq);
        Wire.set32(s, off + 8, ack);
        Wire.set8(s, off + 12, (hl / 4) << 4);
        Wire.set8(s, off + 13, flags);
        Wire.set16(s, off + 14, window);
        Wire.set16(s, off + 16, 0);
        Wire.set16(s, off + 18, 0);
        return hl;
    }

    /** Fills the checksum of the {@code length}-byte segment (header and data) at {@code off}. */
    public static void checksum(MemorySegment s, long off, int length, int srcIp, int dstIp) {
        Wire.set16(s, off + 16, 0);
        long sum = Checksums.add(Checksums.pseudoHeader(srcIp, dstIp, 6, length), s, off, length);
        Wire.set16(s, off + 16, Checksums.finish(sum));
    }

    public int sourcePort() { return sourcePort; }
    public int destinationPort() { return destinationPort; }
    public int seq() { return seq; }
    public int ack() { return ack; }
    public int headerLength() { return headerLength; }
    public int flags() { return flags; }
    public boolean has(int flag) { return (flags & flag) != 0; }
    /** The window field as sent (not yet scaled). */
    public int window() { return window; }
    /** Where the data starts in the segment given to {@link #parse}. */
    public long payloadOffset() { return payloadOffset; }
    public int payloadLength() { return payloadLength; }
    /** The MSS option's value, or -1 if absent. */
    public int mss() { return mss; }
    /** The window-scale option's shift (at most 14), or -1 if absent. */
    public int windowShift() { return windowShift; }
    public boolean sackPermitted() { return sackPermitted; }
    public boolean timestamps() { return timestamps; }
    /** The timestamps option's TSval (when {@link #timestamps()}). */
    public int tsVal() { return tsVal; }
    /** The timestamps option's TSecr (when {@link #timestamps()}). */
    public int tsEcr() { return tsEcr; }
    /** SACK blocks in the segment, 0..{@value #MAX_SACK_BLOCKS}. */
    public int sackBlocks() { return sackBlocks; }
    /** Block {@code i}'s left edge: the first sequence number it covers. */
    public int sackStart(int i) { return sackStarts[i]; }
    /** Block {@code i}'s right edge: the sequence number after its last. */
    public int sackEnd(int i) { return sackEnds[i]; }

    /** The sequence space the segment occupies: data, plus one for SYN and one for FIN. */
    public int segmentLength() {
        return payloadLength + ((flags & TcpFlags.SYN) != 0 ? 1 : 0) + ((flags & TcpFlags.FIN) != 0 ? 1 : 0);
    }

    @Override
    public String toString() {
        return sourcePort + " > " + destinationPort + " [" + TcpFlags.toString(flags) + "] seq "
                + Integer.toUnsignedString(seq) + " ack " + Integer.toUnsignedString(ack) + " win " + window
                + " len " + payloadLength + (mss >= 0 ? " mss " + mss : "") + (windowShift >= 0 ? " ws " + windowShift : "")
                + (sackPermitted ? " sackOK" : "") + (timestamps ? " ts " + Integer.toUnsignedString(tsVal) + "/"
                + Integer.toUnsignedString(tsEcr) : "") + (sackBlocks > 0 ? " sack " + sackBlocks : "");
    }
}
