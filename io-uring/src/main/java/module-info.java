/** The io_uring network stack, driven through FFM (no liburing). */
module dev.isthmus.uring {
    requires dev.isthmus.ffi;
    requires dev.isthmus.stack;
    requires dev.isthmus.linux;
    requires jdk.net;
    requires org.slf4j;

    exports dev.isthmus.uring;

    provides dev.isthmus.stack.spi.NetworkStackProvider with dev.isthmus.uring.UringStackProvider;
}
