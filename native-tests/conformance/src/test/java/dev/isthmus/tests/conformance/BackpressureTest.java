package dev.isthmus.tests.conformance;

import dev.isthmus.stack.ConnectOptions;
import dev.isthmus.stack.ListenOptions;
import dev.isthmus.stack.Listener;
import dev.isthmus.stack.examples.EchoServer;
import dev.isthmus.stack.Connection;
import dev.isthmus.stack.NetworkStack;
import dev.isthmus.stack.StackOptions;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
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
@ExtendWith(LeakCheck.class)
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
            ss.bind(new java.net.InetSocketAddress(sut.peerIpv4(), 0), 10);
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

    @ParameterizedTest(name = "[{0}] echo to a peer that does not read: reading pauses, memory stays bounded, nothing lost")
    @MethodSource("stacks")
    void echoPausesReadingForAPeerThatDoesNotRead(StackUnderTest sut) throws Exception {
        long total = 48L << 20;
        try (NetworkStack stack = sut.open(StackOptions.defaults().withWorkers(1).withWriteWatermarks(32 * 1024, 64 * 1024))) {
            Listener l = stack.listen(new InetSocketAddress(sut.ipv4(), 0), ListenOptions.defaults(), EchoServer::new);
            long memoryBefore = Fixtures.directMemory();
            try (Socket peer = new Socket()) {
                peer.setReceiveBufferSize(64 * 1024);
                peer.setSendBufferSize(64 * 1024);
                peer.connect(l.localAddress(), (int) WAIT.toMillis());
                peer.setSoTimeout((int) WAIT.toMillis());
                AtomicLong sent = new AtomicLong();
                Thread writer = Thread.ofPlatform().daemon().start(() -> {
                    try {
                        OutputStream out = peer.getOutputStream();
                        byte[] buf = new byte[64 * 1024];
                        for (long off = 0; off < total; off += buf.length) {
                            for (int i = 0; i < buf.length; i++) {
                                buf[i] = Pattern.at(off + i);
                            }
                            out.write(buf);
                            sent.addAndGet(buf.length);
                        }
                        peer.shutdownOutput();
                    } catch (java.io.IOException e) {
                        // the reader below reports what went missing
                    }
                });
                // The peer reads nothing yet: the writer must stall once the echo stops reading and the
                // kernel buffers are full, far short of the total.
                long last = -1;
                while (sent.get() != last) {
                    last = sent.get();
                    Thread.sleep(300);
                }
                long stalledAt = sent.get();
                long grown = Fixtures.directMemory() - memoryBefore;
                assertTrue(stalledAt < total / 2, "the writer was never held back: " + stalledAt + " of " + total
                        + " bytes went out while nobody read the echo, so the server kept reading");
                assertTrue(grown < 8L << 20, "the server buffered " + grown + " bytes for a peer that does not read");
                // Now read everything back: nothing may be lost or reordered.
                InputStream in = peer.getInputStream();
                byte[] buf = new byte[64 * 1024];
                CRC32C crc = new CRC32C();
                long got = 0;
                int n;
                while (got < total && (n = in.read(buf)) > 0) {
                    crc.update(buf, 0, n);
                    got += n;
                }
                writer.join(WAIT.toMillis());
                assertEquals(total, got);
                assertEquals(Pattern.crcOf(total), crc.getValue());
            }
        }
    }
}
