package dev.isthmus.tests.conformance;

import dev.isthmus.stack.BlockingConnection;
import dev.isthmus.stack.BlockingListener;
import dev.isthmus.stack.ConnectOptions;
import dev.isthmus.stack.ListenOptions;
import dev.isthmus.stack.Listener;
import dev.isthmus.stack.NetworkStack;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;

import static dev.isthmus.tests.conformance.Fixtures.WAIT;
import static org.junit.jupiter.api.Assertions.*;

/** The blocking view ({@link BlockingConnection}, {@link BlockingListener}) on virtual threads, on every stack. */
@ExtendWith(LeakCheck.class)
@Timeout(60)
class BlockingConnectionTest {

    static List<StackUnderTest> stacks() {
        return StackUnderTest.all();
    }

    private static <T> T within(Future<T> f) throws Exception {
        return f.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    @ParameterizedTest(name = "[{0}] virtual-thread client against an event-driven echo server: 32 MiB, CRC32C")
    @MethodSource("stacks")
    void virtualThreadEchoClient(StackUnderTest sut) throws Exception {
        long total = 32L << 20;
        try (NetworkStack stack = sut.open(2);
             Listener l = Fixtures.listen(stack, sut.ipv4(), Recorder::echo);
             ExecutorService vt = Executors.newVirtualThreadPerTaskExecutor()) {
            BlockingConnection c = within(vt.submit(() ->
                    BlockingConnection.connect(stack, l.localAddress(), ConnectOptions.defaults().withTimeout(WAIT))));
            assertEquals(l.localAddress(), c.remoteAddress());
            // Writer and reader on two virtual threads: the writer blocks whenever the connection is not writable.
            Future<Long> writer = vt.submit(() -> {
                OutputStream out = c.out();
                byte[] buf = new byte[48 * 1024 + 3];
                long sent = 0;
                while (sent < total) {
                    int n = (int) Math.min(buf.length, total - sent);
                    for (int i = 0; i < n; i++) {
                        buf[i] = Pattern.at(sent + i);
                    }
                    out.write(buf, 0, n);
                    sent += n;
                }
                out.flush();
                c.shutdownOutput();
                return sent;
            });
            Future<long[]> reader = vt.submit(() -> {
                InputStream in = c.in();
                CRC32C crc = new CRC32C();
                byte[] buf = new byte[7000];
                long got = 0;
                int n;
                while ((n = in.read(buf)) >= 0) {
                    crc.update(buf, 0, n);
                    got += n;
                }
                return new long[]{got, crc.getValue()};
            });
            assertEquals(total, within(writer));
            long[] r = within(reader);
            assertEquals(total, r[0], "bytes echoed back before EOF");
            assertEquals(Pattern.crcOf(total), r[1], "CRC32C of the echo");
            within(vt.submit(() -> {
                c.close();
                return null;
            }));
            assertFalse(c.isOpen());
            assertThrows(SocketException.class, () -> c.read(new byte[1], 0, 1), "read after close");
        }
    }

    @ParameterizedTest(name = "[{0}] BlockingListener: a virtual thread per connection serves 16 clients")
    @MethodSource("stacks")
    void virtualThreadServer(StackUnderTest sut) throws Exception {
        try (NetworkStack stack = sut.open(2);
             BlockingListener bl = BlockingListener.listen(stack, new InetSocketAddress(sut.ipv4(), 0), ListenOptions.defaults());
             ExecutorService vt = Executors.newVirtualThreadPerTaskExecutor()) {
            // The server: upper-cases what it reads until EOF, then answers and closes.
            Future<?> acceptor = vt.submit(() -> {
                while (true) {
                    BlockingConnection c;
                    try {
                        c = bl.accept();
                    } catch (SocketException closed) {
                        return null;
                    }
                    vt.submit(() -> {
                        try (c) {
                            byte[] all = c.in().readAllBytes();
                            c.out().write(new String(all, StandardCharsets.US_ASCII).toUpperCase().getBytes(StandardCharsets.US_ASCII));
                        }
                        return null;
                    });
                }
            });
            List<Future<String>> clients = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                String msg = "hello from client " + i;
                boolean plainSocket = i % 2 == 0;
                clients.add(vt.submit(() -> {
                    if (plainSocket) {
                        try (Socket s = new Socket()) {
                            s.connect(bl.localAddress(), (int) WAIT.toMillis());
                            s.setSoTimeout((int) WAIT.toMillis());
                            s.getOutputStream().write(msg.getBytes(StandardCharsets.US_ASCII));
                            s.shutdownOutput();
                            return new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
                        }
                    }
                    try (BlockingConnection c = BlockingConnection.connect(stack, bl.localAddress(),
                            ConnectOptions.defaults().withTimeout(WAIT))) {
                        c.out().write(msg.getBytes(StandardCharsets.US_ASCII));
                        c.shutdownOutput();
                        return new String(c.in().readAllBytes(), StandardCharsets.US_ASCII);
                    }
                }));
            }
            for (int i = 0; i < 16; i++) {
                assertEquals(("hello from client " + i).toUpperCase(), within(clients.get(i)));
            }
            bl.close();
            assertNull(within(acceptor), "accept after close throws SocketException");
            assertThrows(SocketException.class, bl::accept);
        }
    }

    @ParameterizedTest(name = "[{0}] blocking view: refused connect, reset, accept timeout")
    @MethodSource("stacks")
    void errors(StackUnderTest sut) throws Exception {
        try (NetworkStack stack = sut.open(1);
             ExecutorService vt = Executors.newVirtualThreadPerTaskExecutor()) {
            try (Socket bound = new Socket()) {
                bound.bind(new InetSocketAddress(sut.peerIpv4(), 0));
                Future<?> f = vt.submit(() -> BlockingConnection.connect(stack, bound.getLocalSocketAddress(),
                        ConnectOptions.defaults().withTimeout(WAIT)));
                Exception e = assertThrows(Exception.class, () -> within(f));
                assertInstanceOf(ConnectException.class, e.getCause());
            }
            try (BlockingListener bl = BlockingListener.listen(stack, new InetSocketAddress(sut.ipv4(), 0), ListenOptions.defaults())) {
                assertThrows(SocketTimeoutException.class, () -> bl.accept(Duration.ofMillis(50)));
                CompletableFuture<Socket> peer = CompletableFuture.supplyAsync(() -> {
                    try {
                        Socket s = new Socket();
                        s.connect(bl.localAddress(), (int) WAIT.toMillis());
                        s.getOutputStream().write(new byte[]{1, 2});
                        return s;
                    } catch (IOException x) {
                        throw new RuntimeException(x);
                    }
                });
                BlockingConnection c = within(vt.submit(() -> bl.accept(WAIT)));
                Socket s = Fixtures.get(peer);
                byte[] two = new byte[2];
                assertEquals(2, within(vt.submit(() -> c.in().readNBytes(two, 0, 2))));
                assertArrayEquals(new byte[]{1, 2}, two);
                s.setSoLinger(true, 0);
                s.close(); // RST: the blocked reader must get an IOException, not -1
                Exception e = assertThrows(Exception.class, () -> within(vt.submit(() -> c.read(new byte[1], 0, 1))));
                assertInstanceOf(IOException.class, e.getCause(), "read after a reset");
                Exception w = assertThrows(Exception.class, () -> within(vt.submit(() -> {
                    c.write(new byte[1], 0, 1);
                    return null;
                })));
                assertInstanceOf(IOException.class, w.getCause(), "write after a reset");
                c.abort();
            }
        }
    }

    @ParameterizedTest(name = "[{0}] blocking view with a 4 KiB inbound ring: pauses, resumes, loses nothing")
    @MethodSource("stacks")
    void smallInboundRing(StackUnderTest sut) throws Exception {
        long total = 8L << 20;
        try (NetworkStack stack = sut.open(2);
             Listener l = Fixtures.listen(stack, sut.ipv4(),
                     () -> Recorder.sink().source(new Pattern(total, 64 * 1024, dev.isthmus.stack.Connection::close)));
             ExecutorService vt = Executors.newVirtualThreadPerTaskExecutor()) {
            long[] r = within(vt.submit(() -> {
                try (BlockingConnection c = BlockingConnection.connect(stack, l.localAddress(),
                        ConnectOptions.defaults().withTimeout(WAIT), 4096)) {
                    InputStream in = c.in();
                    CRC32C crc = new CRC32C();
                    byte[] buf = new byte[1000];
                    long got = 0;
                    int n;
                    int maxAvailable = 0;
                    while ((n = in.read(buf)) >= 0) {
                        crc.update(buf, 0, n);
                        got += n;
                        maxAvailable = Math.max(maxAvailable, in.available());
                    }
                    return new long[]{got, crc.getValue(), maxAvailable};
                }
            }));
            assertEquals(total, r[0], "bytes before EOF");
            assertEquals(Pattern.crcOf(total), r[1], "CRC32C, i.e. order kept across pauses");
            assertTrue(r[2] <= 4096, "the ring held " + r[2] + " bytes, above its 4096");
        }
    }
}
