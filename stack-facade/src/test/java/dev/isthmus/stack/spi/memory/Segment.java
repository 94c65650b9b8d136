package dev.isthmus.stack.spi.memory;

/**
 * One segment on the in-memory link: TCP's header fields that the test backend uses, and a payload.
 * Every flow runs between ports of the one address {@link MemoryNetworkStack#ADDRESS}.
 */
record Segment(int srcPort, int dstPort, int flags, long seq, long ack, byte[] data) {
    static final int SYN = 1;
    static final int ACK = 2;
    static final int FIN = 4;
    static final int RST = 8;
    static final byte[] NO_DATA = new byte[0];

    boolean has(int flag) {
        return (flags & flag) != 0;
    }

    @Override
    public String toString() {
        return srcPort + "->" + dstPort + " flags=" + flags + " seq=" + seq + " ack=" + ack + " len=" + data.length;
    }
}
