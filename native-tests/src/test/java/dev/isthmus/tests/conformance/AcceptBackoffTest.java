package dev.isthmus.tests.conformance;

import dev.isthmus.ffi.CallState;
import dev.isthmus.ffi.posix.resource_h;
import dev.isthmus.ffi.posix.rlimit;
import dev.isthmus.ffi.posix.socket_h;
import dev.isthmus.ffi.posix.unistd_h;
import dev.isthmus.stack.Listener;
import dev.isthmus.stack.NetworkStack;
import dev.isthmus.stack.Worker;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;

import static dev.isthmus.tests.conformance.Fixtures.WAIT;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Out of descriptors, every stack backs off instead of spinning (the SPI's AcceptBackoff: 1 ms doubling to
 * 100 ms), keeps its listener, and accepts what waited once descriptors are back. The test lowers this
 * (forked test) JVM's soft RLIMIT_NOFILE to the lowest free descriptor for a moment, so the next fd anyone
 * allocates fails with EMFILE, and restores it in a finally block. A stack with a direct-descriptor accept
 * (io_uring's fixed files) may not see EMFILE at all; it must still stay calm and serve every client.
 */
@Timeout(120)
class AcceptBackoffTest {
    private static final int CLIENTS = 4;
    /** Syscalls the accepting worker may make in {@link #WINDOW_MS} while accept fails: a spinning one makes thousands. */
    private static final long MAX_SYSCALLS = 200;
    private static final long WINDOW_MS = 300;

    static List<StackUnderTest> stacks() {
        return StackUnderTest.all();
    }

    @ParameterizedTest(name = "[{0}] accept out of descriptors backs off, then accepts what waited")
    @MethodSource("stacks")
    void backsOffOnEmfileAndRecovers(StackUnderTest sut) throws Exception {
        try (NetworkStack stack = sut.open(1); Arena arena = Arena.ofConfined()) {
            Worker w = stack.workers().get(0);
            try (Listener l = Fixtures.listen(stack, sut.ipv4(), Recorder::echo)) {
                InetSocketAddress at = (InetSocketAddress) l.localAddress();
                // One full round first, so every class on the accept path is loaded while files can be opened.
                try (SocketChannel warm = SocketChannel.open(at)) {
                    warm.write(ByteBuffer.wrap(new byte[]{7}));
                    ByteBuffer b = ByteBuffer.allocate(1);
                    while (b.hasRemaining()) {
                        assertTrue(warm.read(b) >= 0);
                    }
                }
                long settle = System.nanoTime() + WAIT.toNanos();
                while (stack.workers().get(0).stats().connections() > 0 && System.nanoTime() < settle) {
                    Thread.sleep(5);
                }
                List<SocketChannel> clients = new ArrayList<>();
                for (int i = 0; i < CLIENTS; i++) {
                    clients.add(SocketChannel.open()); // the fds exist now; connect needs no new one
                }
                MemorySegment st = CallState.allocate(arena).segment();
                MemorySegment saved = rlimit.allocate(arena);
                MemorySegment low = rlimit.allocate(arena);
                assertEquals(0, resource_h.getrlimit(st, resource_h.RLIMIT_NOFILE, saved));
                int lowestFree = socket_h.socket(st, socket_h.AF_INET, socket_h.SOCK_STREAM, 0);
                assertTrue(lowestFree >= 0);
                unistd_h.close(st, lowestFree);
                rlimit.rlim_cur(low, lowestFree);
                rlimit.rlim_max(low, rlimit.rlim_max(saved));
                long syscallsDuring;
                try {
                    assertEquals(0, resource_h.setrlimit(st, resource_h.RLIMIT_NOFILE, low));
                    for (SocketChannel c : clients) {
                        c.connect(at); // completes in the kernel's backlog; accept then fails with EMFILE
                    }
                    Thread.sleep(50); // the first failures and the first pauses
                    long before = w.stats().syscalls();
                    Thread.sleep(WINDOW_MS);
                    syscallsDuring = w.stats().syscalls() - before;
                } finally {
                    resource_h.setrlimit(st, resource_h.RLIMIT_NOFILE, saved);
                }
                assertTrue(syscallsDuring < MAX_SYSCALLS, "the accepting worker made " + syscallsDuring
                        + " system calls in " + WINDOW_MS + " ms while out of descriptors: it spins");
                for (SocketChannel c : clients) {
                    c.write(ByteBuffer.wrap(new byte[]{9}));
                    ByteBuffer b = ByteBuffer.allocate(1);
                    while (b.hasRemaining()) {
                        assertTrue(c.read(b) >= 0, "served after recovery");
                    }
                    assertEquals(9, b.get(0));
                    c.close();
                }
            }
        }
    }
}
