package dev.isthmus.epoll;

import dev.isthmus.stack.StackOptions;

import java.util.Locale;

/**
 * The epoll stack's own switches, read once from {@link StackOptions#property} when the stack opens.
 *
 * <ul>
 *   <li>{@code epoll.trigger}: {@code edge} (default; EPOLLET, registered once with
 *       EPOLLIN|EPOLLRDHUP|EPOLLET) or {@code level} (EPOLLIN while reading, EPOLLOUT only while writes
 *       are pending), see epoll(7) "Level-triggered and edge-triggered".</li>
 *   <li>{@code epoll.maxReadsPerWakeup}: read(2) calls for one connection per readiness event (default
 *       16), so one busy connection cannot starve the others on its worker. In edge-triggered mode a
 *       connection that hit the bound with data left is kept in a ready list and read again on the
 *       next loop turn, since epoll will not report it again (epoll(7), "starvation").</li>
 *   <li>{@code epoll.busyPollUs}: SO_BUSY_POLL in microseconds on every connection (socket(7)); 0 (the
 *       default) leaves it unset.</li>
 *   <li>{@code epoll.maxEvents}: the size of the epoll_event array handed to epoll_wait (default 512).</li>
 * </ul>
 *
 * @param edgeTriggered      true for EPOLLET
 * @param maxReadsPerWakeup  the fairness bound, at least 1
 * @param busyPollUs         SO_BUSY_POLL value, 0 for unset
 * @param maxEvents          epoll_wait maxevents
 */
record EpollConfig(boolean edgeTriggered, int maxReadsPerWakeup, int busyPollUs, int maxEvents) {

    static final String TRIGGER = "epoll.trigger";
    static final String MAX_READS = "epoll.maxReadsPerWakeup";
    static final String BUSY_POLL = "epoll.busyPollUs";
    static final String MAX_EVENTS = "epoll.maxEvents";

    EpollConfig {
        if (maxReadsPerWakeup < 1) {
            throw new IllegalArgumentException(MAX_READS + " must be at least 1, was " + maxReadsPerWakeup);
        }
        if (busyPollUs < 0) {
            throw new IllegalArgumentException(BUSY_POLL + " must not be negative, was " + busyPollUs);
        }
        if (maxEvents < 1 || maxEvents > 65536) {
            throw new IllegalArgumentException(MAX_EVENTS + " must be 1..65536, was " + maxEvents);
        }
    }

    static EpollConfig from(StackOptions o) {
        String trigger = o.property(TRIGGER, "edge").trim().toLowerCase(Locale.ROOT);
        boolean edge = switch (trigger) {
            case "edge", "et" -> true;
            case "level", "lt" -> false;
            default -> throw new IllegalArgumentException(TRIGGER + " must be edge or level, was '" + trigger + "'");
        };
        return new EpollConfig(edge, toInt(MAX_READS, o.longProperty(MAX_READS, 16)),
                toInt(BUSY_POLL, o.longProperty(BUSY_POLL, 0)), toInt(MAX_EVENTS, o.longProperty(MAX_EVENTS, 512)));
    }

    private static int toInt(String key, long v) {
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(key + " is out of range: " + v);
        }
        return (int) v;
    }
}
