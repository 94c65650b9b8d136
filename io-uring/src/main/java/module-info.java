/** The uring network stack (work in progress: see the open issues). */
module dev.isthmus.uring {
    requires dev.isthmus.ffi;
    requires dev.isthmus.stack;
}
