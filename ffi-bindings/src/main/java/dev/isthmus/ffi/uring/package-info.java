/**
 * FFM bindings for io_uring ({@code <linux/io_uring.h>}): constants, struct layouts, the three system
 * calls, and {@link dev.isthmus.ffi.uring.Barriers} for the shared ring indices.
 */
package dev.isthmus.ffi.uring;
