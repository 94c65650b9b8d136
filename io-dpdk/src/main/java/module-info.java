/** The dpdk network stack (work in progress: see the open issues). */
module dev.isthmus.dpdk {
    requires dev.isthmus.ffi;
    requires dev.isthmus.stack;
}
