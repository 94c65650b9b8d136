package dev.isthmus.nio.channels;

import dev.isthmus.uring.StandaloneRing;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Heap allocation of the read-ahead's hot path, in a JVM of its own (a class per fork, see the pom): the other
 * read-ahead tests push heap buffers through the same call sites, after which C2 compiles them differently.
 */
class ReadAheadAllocationTest {
    /**
     * The hot path allocates nothing: a selection that reads ahead and the read it serves, counted on this thread
     * around those two calls only (the client's write is the write path's business, see AllocationTest). The key
     * stays in the selected set, as in AllocationTest: re-adding it would allocate the HashSet's node.
     */
    @Test
    void readAheadSelectionAndReadAllocateNothing() throws IOException {
        IsthmusSelectorProvider provider = new IsthmusSelectorProvider();
        assertNull(StandaloneRing.unavailability(), "io_uring must run for the read-ahead tests");
        try (ServerSocketChannel server = provider.openServerSocketChannel();
             EpollSelector sel = (EpollSelector) provider.openSelector()) {
            assertNotNull(sel.readAhead());
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            try (SocketChannel c = provider.openSocketChannel()) {
                c.connect(server.getLocalAddress());
                try (SocketChannel a = server.accept()) {
                    a.configureBlocking(false);
                    run(sel, new SocketChannel[] {c, a});
                }
            }
        }
    }

    private static void run(EpollSelector sel, SocketChannel[] p) throws IOException {
        p[0].configureBlocking(false);
        SelectionKey k = p[1].register(sel, SelectionKey.OP_READ);
        ByteBuffer out = ByteBuffer.allocateDirect(64);
        ByteBuffer in = ByteBuffer.allocateDirect(64);
        rounds(p, sel, out, in, 100_000); // until C2 has compiled select, io_uring_enter and read whole
        long before = ((NativeSocketChannel) p[1]).readAheadReads();
        long bytes = rounds(p, sel, out, in, 10_000);
        assertTrue(bytes / 10_000 < 8, "allocated " + bytes / 10_000 + " bytes per selection+read");
        assertTrue(((NativeSocketChannel) p[1]).readAheadReads() - before > 5_000, "most reads were served by the read-ahead");
        assertTrue(k.isValid());
    }

    /** Write 64 bytes, select and read until they are in; returns the bytes allocated by the selections and reads. */
    private static long rounds(SocketChannel[] p, EpollSelector sel, ByteBuffer out, ByteBuffer in, int n) throws IOException {
        long bytes = 0;
        for (int i = 0; i < n; i++) {
            out.clear();
            assertEquals(64, p[0].write(out));
            int got = 0;
            for (int tries = 0; got < 64; tries++) {
                if (tries == 1_000_000) {
                    throw new AssertionError("64 bytes not in after a million selections, round " + i);
                }
                long before = allocated();
                sel.selectNow(); // loopback has delivered when write returns, or a later try finds it
                in.clear();
                int r = p[1].read(in);
                bytes += allocated() - before;
                got += Math.max(r, 0);
            }
        }
        return bytes;
    }

    private static final com.sun.management.ThreadMXBean THREADS = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private static long allocated() {
        return THREADS.getCurrentThreadAllocatedBytes();
    }
}
