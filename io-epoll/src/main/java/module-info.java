/** The epoll network stack, registered as the {@code epoll} NetworkStackProvider. */
module dev.isthmus.epoll {
    requires dev.isthmus.ffi;
    requires dev.isthmus.stack;
    requires dev.isthmus.linux;
    requires jdk.net;

    provides dev.isthmus.stack.spi.NetworkStackProvider with dev.isthmus.epoll.EpollStackProvider;
}
