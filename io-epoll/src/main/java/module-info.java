/** The epoll network stack (work in progress: see the open issues). */
module dev.isthmus.epoll {
    requires dev.isthmus.ffi;
    requires dev.isthmus.stack;
}
