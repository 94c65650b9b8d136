package dev.isthmus.ffi.posix;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static dev.isthmus.ffi.posix.epoll_h.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** epoll, eventfd and timerfd through the bindings. */
@Timeout(10)
class EventTest {

    @Test
    void epollWaitReturnsTheReadyFdWithItsUserData() throws IOException {
        try (Sys s = new Sys()) {
            int ep = s.fd("epoll_create1", epoll_create1(s.cs, EPOLL_CLOEXEC));
            MemorySegment sv = s.arena.allocate(ValueLayout.JAVA_INT, 2);
            int[] pair = s.pair("socketpair", socket_h.socketpair(s.cs, socket_h.AF_UNIX,
                    socket_h.SOCK_STREAM | socket_h.SOCK_NONBLOCK | socket_h.SOCK_CLOEXEC, 0, sv), sv);
            int efd = s.fd("eventfd", eventfd_h.eventfd(s.cs, 0, eventfd_h.EFD_NONBLOCK | eventfd_h.EFD_CLOEXEC));

            // Tokens use all 64 bits, so a truncation or misplaced data field (packed layout) shows.
            long pairToken = 0xCAFE_BABE_0000_0000L | pair[1];
            long efdToken = 0x8000_0000_0000_0000L | efd;
            MemorySegment ev = epoll_event.allocate(s.arena);
            epoll_event.events(ev, EPOLLIN | EPOLLRDHUP);
            epoll_event.data_u64(ev, pairToken);
            s.check("epoll_ctl", epoll_ctl(s.cs, ep, EPOLL_CTL_ADD, pair[1], ev));
            epoll_event.events(ev, EPOLLIN | EPOLLET);
            epoll_data.u64(epoll_event.data(ev), efdToken);
            s.check("epoll_ctl", epoll_ctl$critical(s.cs, ep, EPOLL_CTL_ADD, efd, ev));

            MemorySegment events = epoll_event.allocateArray(8, s.arena);
            assertEquals(0, s.check("epoll_wait", epoll_wait(s.cs, ep, events, 8, 0)), "nothing ready yet");

            MemorySegment one = s.arena.allocateFrom(ValueLayout.JAVA_BYTE, (byte) 'x');
            assertEquals(1, s.check("write", unistd_h.write$critical(s.cs, pair[0], one, 1)));
            int n = s.check("epoll_wait", epoll_wait(s.cs, ep, events, 8, 5000));
            assertEquals(1, n);
            assertEquals(pairToken, epoll_event.data_u64$at(events, 0));
            assertEquals(EPOLLIN, epoll_event.events$at(events, 0) & (EPOLLIN | EPOLLOUT | EPOLLRDHUP));

            // Peer closes: EPOLLRDHUP is reported along with EPOLLIN.
            s.close(pair[0]);
            n = s.check("epoll_wait", epoll_wait(s.cs, ep, events, 8, 5000));
            assertEquals(1, n);
            MemorySegment first = epoll_event.asSlice(events, 0);
            assertEquals(pairToken, epoll_data.u64(epoll_event.data(first)));
            assertEquals(EPOLLRDHUP, epoll_event.events(first) & EPOLLRDHUP);

            s.check("epoll_ctl", epoll_ctl$critical(s.cs, ep, EPOLL_CTL_DEL, pair[1], MemorySegment.NULL));
            s.check("eventfd_write", eventfd_h.eventfd_write(s.cs, efd, 1));
            n = s.check("epoll_wait", epoll_wait(s.cs, ep, events, 8, 5000));
            assertEquals(1, n);
            assertEquals(efdToken, epoll_event.data_u64$at(events, 0));
            assertEquals(efd, epoll_data.fd(epoll_event.data(epoll_event.asSlice(events, 0))));
        }
    }

    @Test
    void eventfdAddsAndReadResets() throws IOException {
        try (Sys s = new Sys()) {
            int efd = s.fd("eventfd", eventfd_h.eventfd(s.cs, 2, eventfd_h.EFD_NONBLOCK | eventfd_h.EFD_CLOEXEC));
            s.check("eventfd_write", eventfd_h.eventfd_write(s.cs, efd, 3));
            s.check("eventfd_write", eventfd_h.eventfd_write$critical(s.cs, efd, 4));
            MemorySegment v = s.arena.allocate(ValueLayout.JAVA_LONG);
            s.check("eventfd_read", eventfd_h.eventfd_read(s.cs, efd, v));
            assertEquals(9, v.get(ValueLayout.JAVA_LONG, 0));
            assertEquals(-1, eventfd_h.eventfd_read$critical(s.cs, efd, v));
            assertEquals(errno_h.EAGAIN, s.state.errno());

            // The same counter through plain read/write of 8 bytes, as eventfd(2) defines it.
            v.set(ValueLayout.JAVA_LONG, 0, 5);
            assertEquals(8, s.check("write", unistd_h.write(s.cs, efd, v, 8)));
            v.set(ValueLayout.JAVA_LONG, 0, 0);
            assertEquals(8, s.check("read", unistd_h.read(s.cs, efd, v, 8)));
            assertEquals(5, v.get(ValueLayout.JAVA_LONG, 0));
        }
    }

    @Test
    void semaphoreEventfdCountsDown() throws IOException {
        try (Sys s = new Sys()) {
            int efd = s.fd("eventfd", eventfd_h.eventfd(s.cs, 2, eventfd_h.EFD_SEMAPHORE | eventfd_h.EFD_NONBLOCK));
            MemorySegment v = s.arena.allocate(ValueLayout.JAVA_LONG);
            s.check("eventfd_read", eventfd_h.eventfd_read(s.cs, efd, v));
            assertEquals(1, v.get(ValueLayout.JAVA_LONG, 0));
            s.check("eventfd_read", eventfd_h.eventfd_read(s.cs, efd, v));
            assertEquals(-1, eventfd_h.eventfd_read(s.cs, efd, v));
            assertEquals(errno_h.EAGAIN, s.state.errno());
        }
    }

    @Test
    void timerfdFires() throws IOException {
        try (Sys s = new Sys()) {
            int tfd = s.fd("timerfd_create", timerfd_h.timerfd_create(s.cs, time_h.CLOCK_MONOTONIC, timerfd_h.TFD_CLOEXEC));
            MemorySegment spec = itimerspec.allocate(s.arena);
            timespec.tv_nsec(itimerspec.it_value(spec), 20_000_000L); // 20 ms, one shot
            s.check("timerfd_settime", timerfd_h.timerfd_settime(s.cs, tfd, 0, spec, MemorySegment.NULL));

            MemorySegment left = itimerspec.allocate(s.arena);
            s.check("timerfd_gettime", timerfd_h.timerfd_gettime(s.cs, tfd, left));
            MemorySegment value = itimerspec.it_value(left);
            assertTrue(timespec.tv_sec(value) == 0 && timespec.tv_nsec(value) <= 20_000_000L, "time left is at most what was set");

            // Blocking read: returns once the timer has expired, with the expiration count.
            MemorySegment count = s.arena.allocate(ValueLayout.JAVA_LONG);
            assertEquals(8, s.check("read", unistd_h.read(s.cs, tfd, count, 8)));
            assertEquals(1, count.get(ValueLayout.JAVA_LONG, 0));

            MemorySegment now = timespec.allocate(s.arena);
            s.check("clock_gettime", time_h.clock_gettime(s.cs, time_h.CLOCK_MONOTONIC, now));
            assertTrue(timespec.tv_sec(now) > 0 || timespec.tv_nsec(now) > 0);
        }
    }

    @Test
    void timerfdAbsoluteTimeInThePastFiresAtOnce() throws IOException {
        try (Sys s = new Sys()) {
            int tfd = s.fd("timerfd_create", timerfd_h.timerfd_create(s.cs, time_h.CLOCK_MONOTONIC,
                    timerfd_h.TFD_CLOEXEC | timerfd_h.TFD_NONBLOCK));
            MemorySegment spec = itimerspec.allocate(s.arena);
            timespec.tv_nsec(itimerspec.it_value(spec), 1); // 1 ns after boot: long past
            s.check("timerfd_settime", timerfd_h.timerfd_settime(s.cs, tfd, timerfd_h.TFD_TIMER_ABSTIME, spec, MemorySegment.NULL));
            MemorySegment count = s.arena.allocate(ValueLayout.JAVA_LONG);
            assertEquals(8, s.check("read", unistd_h.read(s.cs, tfd, count, 8)));
            assertEquals(1, count.get(ValueLayout.JAVA_LONG, 0));
        }
    }
}
