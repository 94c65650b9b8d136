/** Bindings for POSIX and Linux headers: sockets, epoll, eventfd, timerfd, mman, sched, resource. */
package dev.isthmus.ffi.posix;
