package dev.isthmus.stack.spi;

import dev.isthmus.stack.Connection;
import dev.isthmus.stack.ConnectionClosedException;
import dev.isthmus.stack.ConnectionHandler;
import dev.isthmus.stack.Inbound;
import dev.isthmus.stack.StackOptions;
import dev.isthmus.stack.WritesDiscardedException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(20)
class AbstractConnectionTest {
    private final ParkingStack stack;
    private final AbstractWorker worker;

    AbstractConnectionTest() throws IOException {
        stack = new ParkingStack(StackOptions.defaults().withWorkers(1).withBufferSize(512).withWriteWatermarks(100, 1000));
        worker = stack.worker(0);
    }

    @AfterEach
    void close() {
        stack.close(Duration.ZERO);
    }

    /** Records callbacks as strings. */
    static final class Recorder implements ConnectionHandler {
        final List<String> events = new CopyOnWriteArrayList<>();
        final AtomicReference<Throwable> closeCause = new AtomicReference<>();

        @Override
        public void onOpen(Connection c) {
            events.add("open");
        }

        @Override
        public void onData(Connection c, Inbound in) {
            events.add("data " + in.readableBytes());
        }

        @Override
        public void onWritable(Connection c) {
            events.add("writable");
        }

        @Override
        public void onClose(Connection c, Throwable cause) {
            events.add("close");
            closeCause.set(cause);
        }
    }

    private void on(ThrowingRunnable r) {
        AbstractNetworkStack.runAndWait(worker, () -> {
            try {
                r.run();
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    private ParkingStack.FakeConnection open(ConnectionHandler h, int window) {
        AtomicReference<ParkingStack.FakeConnection> ref = new AtomicReference<>();
        on(() -> {
            ParkingStack.FakeConnection c = new ParkingStack.FakeConnection(worker, h, window);
            c.open();
            ref.set(c);
        });
        return ref.get();
    }

    @Test
    void pausedReadingBuffersAndResumeRedeliversWhatIsLeft() throws Exception {
        Recorder r = new Recorder();
        ParkingStack.FakeConnection c = open(r, 0);
        on(() -> {
            c.pauseReading();
            assertTrue(c.isReadingPaused());
            assertFalse(c.readInterest, "the backend was told to stop reading");
            c.receive(new byte[10]); // already in flight when reading paused: buffered, not delivered
        });
        assertEquals(List.of("open"), r.events);
        on(() -> {
            c.resumeReading();
            assertTrue(c.readInterest);
            assertEquals(List.of("open"), r.events, "redelivery waits until the current callback returned");
        });
        on(() -> { }); // the redelivery task ran before this one
        assertEquals(List.of("open", "data 10"), r.events);
        on(() -> {
            c.resumeReading(); // idempotent: nothing new to deliver beyond what is buffered
            c.pauseReading();
            c.pauseReading();
        });
        on(() -> { });
        assertEquals(List.of("open", "data 10"), r.events);
        on(c::close);
        on(() -> assertThrows(ConnectionClosedException.class, c::resumeReading));
    }

    @Test
    void eofSeenWhilePausedWaitsBehindTheBufferedBytes() {
        List<String> events = new CopyOnWriteArrayList<>();
        ParkingStack.FakeConnection c = open(dataAndEof(events, false), 0);
        on(() -> {
            c.pauseReading();
            c.receive(new byte[7]); // a completion-based backend: bytes and EOF were already in flight
            c.eof();
        });
        assertEquals(List.of(), events, "nothing may be delivered while reading is paused");
        on(c::resumeReading);
        on(() -> { });
        assertEquals(List.of("data 7", "eof"), events, "the EOF must come after the buffered bytes");
    }

    @Test
    void eofSeenAfterResumeButBeforeTheRedeliveryWaitsBehindTheBufferedBytes() {
        // A userspace stack (dpdk) sees the peer's FIN in the same loop turn in which the application
        // resumed reading: the buffered bytes are only handed over by the redelivery that resumeReading
        // queued, so the EOF must wait for it, or those bytes are dropped when onInputShutdown closes.
        List<String> events = new CopyOnWriteArrayList<>();
        ParkingStack.FakeConnection c = open(dataAndEof(events, true), 0);
        on(() -> {
            c.pauseReading();
            c.receive(new byte[7]);
            c.resumeReading(); // queues the redelivery of the 7 bytes
            c.eof();           // before that task runs
        });
        on(() -> { });
        assertEquals(List.of("data 7", "eof"), events, "the EOF must come after the buffered bytes");
    }

    /** A handler that consumes and records every onData ("data N") and the EOF ("eof"), closing then if asked. */
    private static ConnectionHandler dataAndEof(List<String> events, boolean closeAtEof) {
        return new ConnectionHandler() {
            @Override
            public void onData(Connection c, Inbound in) {
                events.add("data " + in.readableBytes());
                in.skip(in.readableBytes());
            }

            @Override
            public void onInputShutdown(Connection c) {
                events.add("eof");
                if (closeAtEof) {
                    c.close();
                }
            }
        };
    }

    @Test
    void watermarksAndGracefulCloseDrain() {
        Recorder r = new Recorder();
        ParkingStack.FakeConnection c = open(r, 0);
        on(() -> {
            c.write(new byte[1500]);
            c.flush();
            assertFalse(c.isWritable());
            assertEquals(1500, c.pendingWriteBytes());
            c.drain(1450);
            assertTrue(c.isWritable());
            assertEquals(List.of("open", "writable"), r.events);
            c.close();
            assertTrue(c.isOpen(), "close waits for the pending bytes");
            assertThrows(ConnectionClosedException.class, () -> c.write(new byte[1]));
            c.drain(100);
            assertFalse(c.isOpen());
            assertEquals(1500, c.sent.size());
            assertEquals(Boolean.FALSE, c.closedAbortively);
        });
        assertEquals(List.of("open", "writable", "close"), r.events);
        assertNull(r.closeCause.get());
        assertEquals(0, worker.connectionCount());
    }

    @Test
    void abortReportsDiscardedBytesAndOnCloseRunsOnce() {
        Recorder r = new Recorder();
        ParkingStack.FakeConnection c = open(r, 10);
        on(() -> {
            c.write(new byte[100]);
            c.flush();
            c.abort();
            c.abort();
            c.close();
            assertEquals(Boolean.TRUE, c.closedAbortively);
            assertThrows(ConnectionClosedException.class, c::flush);
        });
        assertEquals(List.of("open", "close"), r.events);
        WritesDiscardedException e = assertInstanceOf(WritesDiscardedException.class, r.closeCause.get());
        assertEquals(90, e.discardedBytes());
        on(() -> assertEquals(0, worker.bufferPool().inUse()));
    }

    @Test
    void callbackThatThrowsAbortsWithItsException() {
        AtomicReference<Throwable> cause = new AtomicReference<>();
        ParkingStack.FakeConnection c = open(new ConnectionHandler() {
            @Override
            public void onData(Connection connection, Inbound in) {
                throw new IllegalArgumentException("bad request");
            }

            @Override
            public void onClose(Connection connection, Throwable t) {
                cause.set(t);
            }
        }, 1000);
        on(() -> c.receive(new byte[]{1, 2, 3}));
        assertInstanceOf(IllegalArgumentException.class, cause.get());
        assertFalse(c.isOpen());
        on(() -> assertEquals(0, worker.bufferPool().inUse()));
    }

    @Test
    void unconsumedBytesStayAndShutdownOutputWaitsForPending() {
        Recorder r = new Recorder();
        ParkingStack.FakeConnection c = open(r, 0);
        on(() -> {
            c.receive(new byte[]{1, 2});
            c.receive(new byte[]{3});
            c.write(new byte[10]);
            c.shutdownOutput();
            assertFalse(c.outputShut);
            c.drain(10);
            assertTrue(c.outputShut);
            assertThrows(ConnectionClosedException.class, () -> c.write(new byte[1]));
            c.eof();
        });
        // Unconsumed bytes are shown again with the new ones; the default onInputShutdown closes.
        assertEquals(List.of("open", "data 2", "data 3", "close"), r.events);
        assertNull(r.closeCause.get());
    }

    @Test
    void wrongThreadAndBadOptionValues() {
        ParkingStack.FakeConnection c = open(new Recorder(), 10);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> c.write(new byte[1]));
        assertTrue(e.getMessage().contains("worker 0's thread"), e.getMessage());
        on(() -> {
            @SuppressWarnings({"unchecked", "rawtypes"})
            java.net.SocketOption<Object> raw = (java.net.SocketOption) java.net.StandardSocketOptions.TCP_NODELAY;
            assertThrows(IllegalArgumentException.class, () -> c.setOption(raw, 5));
            assertThrows(UnsupportedOperationException.class,
                    () -> c.setRawOption(6, 1, java.lang.foreign.MemorySegment.ofArray(new byte[4])));
        });
        c.close(); // from another thread: goes through execute
        on(() -> { });
        assertFalse(c.isOpen());
    }

    @Test
    void stackCloseAbortsWhatCannotDrain() {
        Recorder r = new Recorder();
        ParkingStack.FakeConnection c = open(r, 0);
        on(() -> {
            c.write(new byte[300]);
            c.flush();
        });
        stack.close(Duration.ofMillis(20));
        assertFalse(c.isOpen());
        WritesDiscardedException e = assertInstanceOf(WritesDiscardedException.class, r.closeCause.get());
        assertEquals(300, e.discardedBytes());
        assertTrue(e.getMessage().contains("deadline"), e.getMessage());
    }
}
