package dev.isthmus.epoll;

/**
 * An fd other than a connection that a worker's epoll watches: a listening socket, a connect in
 * progress, a UDP socket. Connections are dispatched through their own table so the hot path makes a
 * monomorphic call; these are rarer.
 */
interface EpollSource {
    /** The events epoll_wait reported (EPOLLIN, EPOLLOUT, EPOLLERR, ...); on the owning worker's thread. */
    void onEvents(int events);
}
