package dev.isthmus.tests.conformance;

import dev.isthmus.stack.ConnectOptions;
import dev.isthmus.stack.Connection;
import dev.isthmus.stack.NetworkStack;
import dev.isthmus.stack.StackOptions;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.InputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32C;

import static dev.isthmus.tests.conformance.Fixtures.WAIT;
import static dev.isthmus.tests.conformance.Fixtures.get;
import static org.junit.jupiter.api.Assertions.*;

/** A writer that respects isWritable/onWritable against a slow reader keeps its memory bounded. */
@Timeout(60)
class BackpressureTest {

    static List<StackUnderTest> stacks() {
        return StackUnderTest.all();
    }

    @ParameterizedTest(name = "[{0}] backpressure with a slow reader: pending stays under the high watermark + one write")
    @MethodSource("stacks")
    void slowReader(StackUnderTest sut) throws Exception {
        int low = 32 * 1024;
        int high = 64 * 1024;
        int chunk = 16 * 1024;
        long total = 32L << 20;
        try (NetworkStack stack = sut.open(StackOptions.defaults().withWorkers(1).withWriteWatermarks(low, high));
             ServerSocket ss = new ServerSocket()) {
            ss.setReceiveBufferSize(64 * 1024); // accepted sockets inherit it: the kernel buffers fill fast
            ss.bind(new java.net.InetSocketAddress(sut.ipv4(), 0), 10);
            Pattern p = new Pattern(total, chunk, Connection::close);
            Recorder client = Recorder.sink().source(p);
            AtomicLong peakMemory = new AtomicLong();
            long memoryBefore = Fixtures.directMemory();
            CompletableFuture<Connection> f = stack.connect(ss.getLocalSocketAddress(),
                    ConnectOptions.defaults().withTimeout(WAIT), client);
            try (Socket peer = ss.accept()) {
                peer.setSoTimeout((int) WAIT.toMillis());
                InputStream in = peer.getInputStream();
                byte[] buf = new byte[8 * 1024];
                CRC32C crc = new CRC32C();
                long got = 0;
                int n;
                while ((n = in.read(buf)) > 0) {
                    crc.update(buf, 0, n);
                    got += n;
                    if ((got & ((256 << 10) - 1)) < n) {
                        Thread.sleep(2); // a slow reader: the writer must wait for it
                        peakMemory.accumulateAndGet(Fixtures.directMemory() - memoryBefore, Math::max);
                    }
                }
                assertEquals(total, got);
                assertEquals(Pattern.crcOf(total), crc.getValue());
            }
            get(f);
            assertNull(client.awaitClosed(WAIT));
            assertTrue(client.writableCalls.get() > 0, "the reader was slow, so onWritable must have been called");
            assertTrue(p.maxPending() <= high + chunk,
                    "pendingWriteBytes reached " + p.maxPending() + ", above high watermark " + high + " + one write " + chunk);
            assertTrue(peakMemory.get() < total / 2,
                    "native memory grew by " + peakMemory.get() + " while sending " + total + " bytes: not bounded");
            client.assertContract();
        }
    }
}
