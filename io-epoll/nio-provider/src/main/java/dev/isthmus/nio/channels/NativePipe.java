package dev.isthmus.nio.channels;

import dev.isthmus.ffi.Errno;
import dev.isthmus.ffi.posix.fcntl_h;
import dev.isthmus.ffi.posix.poll_h;
import dev.isthmus.ffi.posix.unistd_h;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.Pipe;
import java.nio.channels.SelectionKey;
import java.nio.channels.spi.AbstractSelectableChannel;
import java.nio.channels.spi.SelectorProvider;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;

/** A {@link Pipe} on pipe2(2) with O_NONBLOCK|O_CLOEXEC; each end is selectable with this provider's selector. */
final class NativePipe extends Pipe {
    private final Source source;
    private final Sink sink;

    NativePipe(SelectorProvider provider) throws IOException {
        ThreadIo io = ThreadIo.current();
        int r;
        int w;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment fds = a.allocate(ValueLayout.JAVA_INT, 2);
            if (unistd_h.pipe2(io.state(), fds, fcntl_h.O_NONBLOCK | fcntl_h.O_CLOEXEC) != 0) {
                throw Errno.exception("pipe2", io.errno());
            }
            r = fds.getAtIndex(ValueLayout.JAVA_INT, 0);
            w = fds.getAtIndex(ValueLayout.JAVA_INT, 1);
        }
        source = new Source(provider, r);
        sink = new Sink(provider, w);
    }

    @Override
    public SourceChannel source() {
        return source;
    }

    @Override
    public SinkChannel sink() {
        return sink;
    }

    /** What both ends share: the descriptor, its readiness, the lock, the waiting thread and the close. */
    private static final class End {
        final int fd;
        final Readiness readiness = new Readiness();
        final Object stateLock = new Object();
        final FdUse use;
        final ReentrantLock lock = new ReentrantLock();
        volatile ThreadIo waiter;

        End(int fd) {
            this.fd = fd;
            this.use = new FdUse(fd, stateLock);
        }

        void wakeWaiter() {
            ThreadIo w = waiter;
            if (w != null) {
                w.wake();
            }
        }

        /** Waits until no read or write is under way on this end (the mode is a flag of the channel itself). */
        void awaitTransfer() {
            lock.lock();
            lock.unlock();
        }

        /**
         * The close of {@code ch}, the channel of this end: wakes a blocked transfer, then closes the descriptor
         * now unless a selector still holds it (its deregistration closes it then).
         */
        void close(AbstractSelectableChannel ch) throws IOException {
            wakeWaiter();
            synchronized (stateLock) {
                if (!ch.isRegistered()) {
                    use.closeIfIdle();
                }
            }
        }
    }

    static final class Source extends SourceChannel implements NativeChannel {
        private final End end;

        Source(SelectorProvider provider, int fd) {
            super(provider);
            end = new End(fd);
        }

        @Override
        public int fd() {
            return end.fd;
        }

        @Override
        public Readiness readiness() {
            return end.readiness;
        }

        @Override
        public int readyOps(int interest, int bits) {
            return (bits & Readiness.READABLE) != 0 ? interest & SelectionKey.OP_READ : 0;
        }

        @Override
        public void kill() throws IOException {
            end.use.closeIfIdle();
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            Objects.requireNonNull(dst, "dst");
            if (dst.isReadOnly()) {
                throw new IllegalArgumentException("Read-only buffer");
            }
            return (int) transfer(dst, null, 0, 0);
        }

        @Override
        public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
            Objects.checkFromIndexSize(offset, length, dsts.length);
            return transfer(null, dsts, offset, length);
        }

        @Override
        public long read(ByteBuffer[] dsts) throws IOException {
            return read(dsts, 0, dsts.length);
        }

        private long transfer(ByteBuffer dst, ByteBuffer[] dsts, int offset, int length) throws IOException {
            end.use.enter(this);
            try {
                return transfer0(dst, dsts, offset, length);
            } finally {
                end.use.exit(this);
            }
        }

        private long transfer0(ByteBuffer dst, ByteBuffer[] dsts, int offset, int length) throws IOException {
            end.lock.lock();
            try {
                boolean blocking = isBlocking();
                long n = 0;
                if (blocking) {
                    begin();
                }
                try {
                    if (!isOpen()) {
                        throw new ClosedChannelException();
                    }
                    if (dst != null ? !dst.hasRemaining() : !Sink.anyRemaining(null, dsts, offset, length)) {
                        return 0;
                    }
                    ThreadIo io = ThreadIo.current();
                    while (true) {
                        long snap = end.readiness.snapshot();
                        n = dst != null ? FdIo.read(io, end.fd, dst) : FdIo.readv(io, end.fd, dsts, offset, length);
                        if (n > 0) {
                            if (n < io.offered) {
                                end.readiness.clear(snap, Readiness.READABLE); // drained: see NativeSocketChannel
                            }
                            return n;
                        }
                        if (n == 0) {
                            n = -1;
                            return -1; // every write end closed: end of stream
                        }
                        if (n != FdIo.EAGAIN) {
                            throw Errno.exception("read", (int) -n);
                        }
                        end.readiness.clear(snap, Readiness.READABLE);
                        if (!blocking) {
                            n = 0;
                            return 0;
                        }
                        end.waiter = io;
                        if (!isOpen()) {
                            break;
                        }
                        io.await(end.fd, poll_h.POLLIN, -1);
                        end.waiter = null;
                        if (!isOpen()) {
                            break;
                        }
                    }
                    n = 0;
                    return 0;
                } finally {
                    end.waiter = null;
                    if (blocking) {
                        end(n != 0 || isOpen());
                    }
                }
            } finally {
                end.lock.unlock();
            }
        }

        @Override
        protected void implConfigureBlocking(boolean block) {
            end.awaitTransfer();
        }

        @Override
        protected void implCloseSelectableChannel() throws IOException {
            end.close(this);
        }
    }

    static final class Sink extends SinkChannel implements NativeChannel {
        private final End end;

        Sink(SelectorProvider provider, int fd) {
            super(provider);
            end = new End(fd);
        }

        @Override
        public int fd() {
            return end.fd;
        }

        @Override
        public Readiness readiness() {
            return end.readiness;
        }

        @Override
        public int readyOps(int interest, int bits) {
            return (bits & Readiness.WRITABLE) != 0 ? interest & SelectionKey.OP_WRITE : 0;
        }

        @Override
        public void kill() throws IOException {
            end.use.closeIfIdle();
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            Objects.requireNonNull(src, "src");
            return (int) transfer(src, null, 0, 0);
        }

        @Override
        public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
            Objects.checkFromIndexSize(offset, length, srcs.length);
            return transfer(null, srcs, offset, length);
        }

        @Override
        public long write(ByteBuffer[] srcs) throws IOException {
            return write(srcs, 0, srcs.length);
        }

        private static boolean anyRemaining(ByteBuffer src, ByteBuffer[] srcs, int offset, int length) {
            if (src != null) {
                return src.hasRemaining();
            }
            for (int i = offset; i < offset + length; i++) {
                if (srcs[i].hasRemaining()) {
                    return true;
                }
            }
            return false;
        }

        private long transfer(ByteBuffer src, ByteBuffer[] srcs, int offset, int length) throws IOException {
            end.use.enter(this);
            try {
                return transfer0(src, srcs, offset, length);
            } finally {
                end.use.exit(this);
            }
        }

        private long transfer0(ByteBuffer src, ByteBuffer[] srcs, int offset, int length) throws IOException {
            end.lock.lock();
            try {
                boolean blocking = isBlocking();
                long total = 0;
                boolean completed = false;
                if (blocking) {
                    begin();
                }
                try {
                    if (!isOpen()) {
                        throw new ClosedChannelException();
                    }
                    ThreadIo io = ThreadIo.current();
                    while (anyRemaining(src, srcs, offset, length)) {
                        long snap = end.readiness.snapshot();
                        long n = src != null ? FdIo.write(io, end.fd, src) : FdIo.writev(io, end.fd, srcs, offset, length);
                        if (n >= 0) {
                            total += n;
                            if (n < io.offered) {
                                end.readiness.clear(snap, Readiness.WRITABLE); // the pipe is full
                                if (!blocking) {
                                    break;
                                }
                            }
                            continue;
                        }
                        if (n != FdIo.EAGAIN) {
                            throw Errno.exception("write", (int) -n);
                        }
                        end.readiness.clear(snap, Readiness.WRITABLE);
                        if (!blocking) {
                            break;
                        }
                        end.waiter = io;
                        if (!isOpen()) {
                            break;
                        }
                        io.await(end.fd, poll_h.POLLOUT, -1);
                        end.waiter = null;
                        if (!isOpen()) {
                            break;
                        }
                    }
                    completed = true;
                    return total;
                } finally {
                    end.waiter = null;
                    if (blocking) {
                        end(completed && isOpen());
                    }
                }
            } finally {
                end.lock.unlock();
            }
        }

        @Override
        protected void implConfigureBlocking(boolean block) {
            end.awaitTransfer();
        }

        @Override
        protected void implCloseSelectableChannel() throws IOException {
            end.close(this);
        }
    }
}
