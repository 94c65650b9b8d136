/**
 * The Linux socket layer that the kernel stacks (epoll, io_uring) share: the fd calls, the one table
 * that maps the API's socket options onto setsockopt(2) levels and names, and CPU pinning. Not an API:
 * exported only to the stack modules and the tests.
 */
module dev.isthmus.linux {
    requires transitive dev.isthmus.ffi;
    requires transitive dev.isthmus.stack;
    requires jdk.net;

    exports dev.isthmus.linux.socket to dev.isthmus.epoll, dev.isthmus.uring, dev.isthmus.tests;
}
