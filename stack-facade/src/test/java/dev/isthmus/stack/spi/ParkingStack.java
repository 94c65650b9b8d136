package dev.isthmus.stack.spi;

import dev.isthmus.stack.Capability;
import dev.isthmus.stack.ConnectOptions;
import dev.isthmus.stack.Connection;
import dev.isthmus.stack.ConnectionHandler;
import dev.isthmus.stack.ConnectionHandlerFactory;
import dev.isthmus.stack.DatagramHandler;
import dev.isthmus.stack.ListenOptions;
import dev.isthmus.stack.Listener;
import dev.isthmus.stack.StackOptions;
import dev.isthmus.stack.UdpChannel;
import dev.isthmus.stack.UdpOptions;

import java.io.IOException;
import java.net.SocketAddress;
import java.util.EnumSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.LockSupport;

/** A stack with no I/O: its workers park in poll, so the shared machinery can be tested alone. */
final class ParkingStack extends AbstractNetworkStack {

    ParkingStack(StackOptions options) throws IOException {
        super("parking", options, EnumSet.of(Capability.IPV4));
        start();
    }

    @Override
    protected AbstractWorker newWorker(int index) {
        return new ParkingWorker(this, index);
    }

    @Override
    public Listener listen(SocketAddress local, ListenOptions options, ConnectionHandlerFactory handlers) {
        throw new UnsupportedOperationException();
    }

    @Override
    public CompletableFuture<Connection> connect(SocketAddress remote, ConnectOptions options, ConnectionHandler handler) {
        throw new UnsupportedOperationException();
    }

    @Override
    public UdpChannel openUdp(SocketAddress local, UdpOptions options, DatagramHandler handler) {
        throw new UnsupportedOperationException();
    }

    static final class ParkingWorker extends AbstractWorker {
        private volatile Thread thread;
        volatile int polls;
        /** While set, poll ignores wakeups and timeouts: a worker stuck by a bug. */
        volatile boolean stuck;

        ParkingWorker(AbstractNetworkStack stack, int index) {
            super(stack, index);
        }

        @Override
        protected void onStart() {
            thread = Thread.currentThread();
        }

        @Override
        protected int poll(long timeoutNanos) {
            polls++;
            if (stuck) {
                while (stuck) {
                    LockSupport.parkNanos(this, 1_000_000L);
                }
                return 0; // the wakeups it swallowed: let the loop look again
            }
            if (timeoutNanos < 0) {
                LockSupport.park(this);
            } else if (timeoutNanos > 0) {
                LockSupport.parkNanos(this, timeoutNanos);
            }
            return 0;
        }

        @Override
        protected void wakeup() {
            LockSupport.unpark(thread);
        }
    }

    /**
     * A connection whose "socket" takes at most {@code window} bytes per flush until {@link #drain} opens it
     * again, like a kernel send buffer.
     */
    static final class FakeConnection extends AbstractConnection {
        final java.io.ByteArrayOutputStream sent = new java.io.ByteArrayOutputStream();
        int window;
        boolean outputShut;
        Boolean closedAbortively;

        FakeConnection(AbstractWorker worker, ConnectionHandler handler, int window) {
            super(worker, handler, null, null);
            this.window = window;
        }

        /** The peer read everything: take up to {@code window} more bytes now. */
        void drain(int window) {
            this.window = window;
            doFlush();
        }

        @Override
        protected void doFlush() {
            int[] taken = {0};
            outbound().gather((i, b, seg, off, len) -> {
                int n = Math.min(len, window - taken[0]);
                if (n > 0) {
                    sent.writeBytes(seg.asSlice(off, n).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE));
                    taken[0] += n;
                }
            }, 64);
            window -= taken[0];
            if (taken[0] > 0) {
                written(taken[0]);
            }
        }

        @Override
        protected void doShutdownOutput() {
            outputShut = true;
        }

        @Override
        protected void doShutdownInput() {
        }

        /** Whether the fake "socket" is being read: what pauseReading/resumeReading switch. */
        boolean readInterest = true;

        @Override
        protected void doPauseReading() {
            readInterest = false;
        }

        @Override
        protected void doResumeReading() {
            readInterest = true;
        }

        @Override
        protected void doClose(boolean abortive) {
            closedAbortively = abortive;
        }

        @Override
        protected <T> void doSetOption(java.net.SocketOption<T> option, T value) {
            throw new UnsupportedOperationException(option.name());
        }

        @Override
        protected <T> T doGetOption(java.net.SocketOption<T> option) {
            throw new UnsupportedOperationException(option.name());
        }

        void open() {
            opened();
        }

        void receive(byte[] bytes) {
            dev.isthmus.stack.buffer.PooledBuffer b = abstractWorker().bufferPool().allocate();
            java.lang.foreign.MemorySegment.copy(bytes, 0, b.segment(), java.lang.foreign.ValueLayout.JAVA_BYTE, 0, bytes.length);
            b.advanceWrite(bytes.length);
            received(b);
        }

        void eof() {
            inputEnded();
        }
    }
}
