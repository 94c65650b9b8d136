/**
 * The public API of Isthmus: {@link dev.isthmus.stack.NetworkStack} and its handles. Open a stack with
 * {@link dev.isthmus.stack.NetworkStacks}; every backend (io_uring, epoll, dpdk, nio) presents the
 * same interfaces.
 */
package dev.isthmus.stack;
