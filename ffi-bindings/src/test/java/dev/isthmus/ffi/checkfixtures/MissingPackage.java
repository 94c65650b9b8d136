package dev.isthmus.ffi.checkfixtures;

import dev.isthmus.ffi.CHeader;

/** Needs a pkg-config package no machine has, like a DPDK binding on a machine without libdpdk-dev. */
@CHeader(value = "stdio.h", pkgConfig = "isthmus-no-such-package")
public final class MissingPackage {
    private MissingPackage() {
    }

    public static final int EOF = -1;
}
