package dev.isthmus.dpdk.tcp;

/**
 * The SACK blocks a receiver reports (RFC 2018 section 4) from its {@link OutOfOrderQueue}: the first block
 * holds the segment that arrived last, so that the sender learns of every arrival even when more ranges
 * exist than an option can carry; the others follow from the highest range down (the most recent data,
 * usually, and what a sender in recovery needs to tell loss from delay). Reused for every ACK: no
 * allocation. Worker thread only.
 */
final class SackBlocks {
    final int[] starts = new int[TcpSegment.MAX_SACK_BLOCKS];
    final int[] ends = new int[TcpSegment.MAX_SACK_BLOCKS];

    /**
     * Fills up to {@code max} blocks from {@code queue}, {@code latest} (a sequence number) first; returns
     * how many. Ranges at or below {@code rcvNxt} are left out: while the queue hands them to the
     * application, an ACK (a window update) may go before they leave it.
     */
    int fill(OutOfOrderQueue queue, int latest, int max, int rcvNxt) {
        return fillFrom(0, queue, latest, max, rcvNxt);
    }

    /**
     * A D-SACK block (RFC 2883 4) {@code [start, end)} first, data received twice below RCV.NXT, then up to
     * {@code max - 1} blocks as {@link #fill} from {@code queue} (null or empty: none); returns how many.
     */
    int fillWithDuplicate(int start, int end, OutOfOrderQueue queue, int latest, int max, int rcvNxt) {
        starts[0] = start;
        ends[0] = end;
        if (queue == null || queue.isEmpty()) {
            return 1;
        }
        return fillFrom(1, queue, latest, max, rcvNxt);
    }

    private int fillFrom(int n, OutOfOrderQueue queue, int latest, int max, int rcvNxt) {
        int ranges = queue.ranges();
        int first = -1;
        for (int i = 0; i < ranges; i++) {
            if (SequenceNumbers.le(queue.end(i), rcvNxt)) {
                continue;
            }
            if (n < max && SequenceNumbers.le(queue.start(i), latest) && SequenceNumbers.lt(latest, queue.end(i))) {
                first = i;
                starts[n] = queue.start(i);
                ends[n] = queue.end(i);
                n++;
                break;
            }
        }
        for (int i = ranges - 1; i >= 0 && n < max; i--) {
            if (i != first && SequenceNumbers.gt(queue.end(i), rcvNxt)) {
                starts[n] = queue.start(i);
                ends[n] = queue.end(i);
                n++;
            }
        }
        return n;
    }
}
