/**
 * FFM bindings for DPDK 22.11 (Debian 12's dpdk, ABI 23), loaded lazily by {@link dev.isthmus.ffi.dpdk.Dpdk}:
 * EAL, ethdev, mempool and mbuf, with the inline fast-path functions (rx/tx burst, mbuf alloc) done in
 * Java through the exported {@code rte_eth_fp_ops} and {@code rte_mempool_ops_table}.
 */
package dev.isthmus.ffi.dpdk;
