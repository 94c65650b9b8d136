package dev.isthmus.ffi.checkfixtures;

import dev.isthmus.ffi.CHeader;

/** Deliberately wrong: fails to initialise, as an eagerly linking DPDK binding would without DPDK. */
@CHeader("stdio.h")
public final class BrokenInit {
    private BrokenInit() {
    }

    public static final int EOF = load();

    private static int load() {
        throw new IllegalStateException("librte_eal.so: cannot open shared object file");
    }
}
