package dev.isthmus.tests.bench;

import dev.isthmus.stack.StackOptions;

import java.nio.file.Path;
import java.util.List;

/**
 * The net_memif link of a dpdk UDP run: the server process opens the dpdk stack on the server side of a
 * memif socket, the load generator (a dpdk stack in the harness's JVM: another process, so another EAL)
 * on the client side. memif is shared memory between two processes over a Unix socket (DPDK's
 * "Memif Poll Mode Driver" guide), so no namespace and no kernel network device is involved. The
 * addresses come from 198.18.0.0/15, set aside for benchmarks (RFC 2544), and never leave the link.
 *
 * @param socket the memif control socket, unique per run
 * @param run    the run's number: the client's vdev name, so a new stack never meets the last one's name
 */
record MemifPair(Path socket, int run) {

    /** The dpdk stack's properties (io-dpdk's PORT and .IP; this module does not read that one). */
    static final String PORT = "dpdk.port";
    static final String IP = "dpdk.ip";
    static final String SERVER_IP = "198.18.0.2";
    static final String CLIENT_IP = "198.18.0.1";

    /**
     * Both dpdk workers poll without backing off for this long after their last work (the facade's spin,
     * {@code --spin-us}): a worker that parks on a loaded CPU may not run again for milliseconds, while
     * the link keeps delivering; DESIGN's DPDK worker busy-polls.
     */
    static final java.time.Duration SPIN = java.time.Duration.ofSeconds(1);
    /**
     * memif descriptors per ring, as log2 ({@code rsize}; the driver's default is 10): 4096 frames, about
     * 4 ms of the load at 1 M datagrams/s, for a worker that is scheduled out now and then.
     */
    static final int RING_LOG2 = 12;

    /** The pair for run {@code run} of this harness process. */
    static MemifPair forRun(int run) {
        return new MemifPair(Path.of("/tmp", "isthmus-bench-memif-" + ProcessHandle.current().pid() + "-" + run
                + ".sock"), run);
    }

    /** Serve's arguments: the dpdk stack on the server side of the socket, with the server's address. */
    List<String> serverArguments() {
        return List.of("--property", PORT + "=net_memif0,role=server,id=0,rsize=" + RING_LOG2 + ",socket="
                + socket, "--property", IP + "=" + SERVER_IP, "--spin-us", Long.toString(SPIN.toNanos() / 1000));
    }

    /**
     * The load generator's dpdk stack on the client side of the socket, with as many workers (queue pairs)
     * as the server: memif joins client tx queue i to server rx queue i, so each server worker gets its
     * flows on its own queue, none copied between workers.
     */
    StackOptions clientOptions(int workers) {
        return StackOptions.defaults().withWorkers(workers).withSpin(SPIN)
                .withProperty(PORT, "net_memif" + run + ",role=client,id=0,rsize=" + RING_LOG2 + ",socket=" + socket)
                .withProperty(IP, CLIENT_IP);
    }

    /** Removes the control socket's file, if one is left (an abstract socket has none; a leftover is harmless). */
    void deleteSocket() {
        try {
            java.nio.file.Files.deleteIfExists(socket);
        } catch (java.io.IOException ignored) {
            // harmless: the next run uses another name
        }
    }
}
