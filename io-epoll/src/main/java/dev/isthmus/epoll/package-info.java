/**
 * The epoll network stack: {@link dev.isthmus.epoll.EpollStackProvider}, found by ServiceLoader under the
 * name {@code epoll}. Workers are edge-triggered epoll loops by default ({@code epoll.trigger=level} for
 * level-triggered); the switches are listed in {@code EpollConfig}.
 */
package dev.isthmus.epoll;
