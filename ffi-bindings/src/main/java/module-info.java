/**
 * FFM bindings in the shape jextract generates, one class per C header, checked against the C headers
 * by the layout checker in the tests.
 */
module dev.isthmus.ffi {
    exports dev.isthmus.ffi;
    exports dev.isthmus.ffi.posix;
    exports dev.isthmus.ffi.uring;
    exports dev.isthmus.ffi.dpdk;
}
