package dev.isthmus.stack.spi;

import dev.isthmus.stack.Connection;
import dev.isthmus.stack.ConnectionClosedException;
import dev.isthmus.stack.ConnectionHandler;
import dev.isthmus.stack.SocketOptionsCheck;
import dev.isthmus.stack.WritesDiscardedException;
import dev.isthmus.stack.buffer.InboundChain;
import dev.isthmus.stack.buffer.InboundChunk;
import dev.isthmus.stack.buffer.OutboundChain;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * The part of a connection every backend shares: the state machine, thread checks, the inbound and
 * outbound chains, watermarks, handler callbacks and {@code onClose} bookkeeping. A backend does only I/O.
 *
 * <h2>States</h2>
 * open → (output shut: FIN sent after the pending bytes) → (closing: {@link #close()} waits for the pending
 * bytes) → closed. {@link #closeNow} is the single exit: it releases both chains, calls
 * {@link #doClose(boolean)} and the handler's {@code onClose} exactly once.
 *
 * <h2>What the backend calls (worker thread)</h2>
 * <ul>
 *   <li>{@link #opened()} once the socket is connected/accepted and registered with the poller;</li>
 *   <li>{@link #received(InboundChunk)} for each filled buffer or chunk, {@link #inputEnded()} at EOF;</li>
 *   <li>{@link #written(long)} for each byte count the kernel took from {@link #outbound()}; a stack that
 *       keeps unacknowledged bytes itself (a userspace TCP) calls {@link #sent(long)} when it transmits and
 *       {@link #acknowledged(long)} when the peer acknowledges instead;</li>
 *   <li>{@link #failed(Throwable)} when a read or write fails (ECONNRESET, EPIPE, ...).</li>
 * </ul>
 * A handler callback may close the connection, so after each of these the backend checks
 * {@link #isClosed()} before touching the socket again.
 *
 * <h2>What the backend implements</h2>
 * {@link #doFlush()} (start sending {@code outbound()}; write interest while bytes remain),
 * {@link #doShutdownOutput()}, {@link #doShutdownInput()}, {@link #doClose(boolean)} and the socket option
 * hooks.
 */
public abstract class AbstractConnection implements Connection {
    private static final Logger LOG = LoggerFactory.getLogger(AbstractConnection.class);

    private final AbstractWorker worker;
    private final long id;
    private final ConnectionHandler handler;
    private final SocketAddress localAddress;
    private final SocketAddress remoteAddress;
    private final InboundChain inbound = new InboundChain();
    private final OutboundChain outbound;
    private final int highWatermark;
    private final int lowWatermark;
    private volatile boolean open = true;
    private boolean closed;
    private boolean closeRequested;
    private boolean outputShutRequested;
    private boolean outputShut;
    private boolean inputShut;
    private boolean readingPaused;
    private boolean redeliveryQueued;
    /** EOF seen while reading was paused; delivered after the buffered bytes. */
    private boolean eofPending;
    /** Cached so that resuming allocates no task object. */
    private final Runnable redeliver = this::redeliverBuffered;
    private boolean writable = true;
    private boolean flushing;
    private boolean reflush;
    int registryIndex = -1;

    /** Made on the worker thread, once the socket is connected. */
    protected AbstractConnection(AbstractWorker worker, ConnectionHandler handler, SocketAddress localAddress,
                                 SocketAddress remoteAddress) {
        this.worker = Objects.requireNonNull(worker, "worker");
        worker.checkInWorkerThread("a connection");
        this.handler = Objects.requireNonNull(handler, "handler");
        this.id = worker.networkStack().nextConnectionId();
        this.localAddress = localAddress;
        this.remoteAddress = remoteAddress;
        this.outbound = new OutboundChain(worker.bufferPool());
        this.highWatermark = worker.options().writeHighWatermark();
        this.lowWatermark = worker.options().writeLowWatermark();
    }

    // ---- backend hooks -------------------------------------------------------------------------

    /**
     * Sends what {@link #outbound()} holds: synchronous backends write until the kernel refuses (calling
     * {@link #written} for each write) and ask for write readiness while bytes remain; io_uring submits
     * and calls {@link #written} on completion. Not re-entered: a flush asked for meanwhile runs after.
     */
    protected abstract void doFlush() throws IOException;

    /** shutdown(SHUT_WR); called once, when no bytes are pending. */
    protected abstract void doShutdownOutput() throws IOException;

    /**
     * Stop taking bytes from the socket ({@link #pauseReading()}): drop read interest from the poller,
     * or stop re-arming the receive. Bytes that still arrive may be passed to {@link #received}; they
     * are buffered, not delivered, until {@link #doResumeReading()}.
     */
    protected abstract void doPauseReading() throws IOException;

    /** Take bytes from the socket again after {@link #doPauseReading()}. */
    protected abstract void doResumeReading() throws IOException;

    /**
     * Whether the kernel may still read outbound buffers (an io_uring send not yet completed). When this
     * says yes at close, the buffers stay out of the pool until the backend calls
     * {@link #releaseOutbound()} after the last send completion, so no buffer is reused while the kernel
     * reads it. Synchronous backends (epoll, nio) never have a send in flight.
     */
    protected boolean outboundInFlight() {
        return false;
    }

    /** Returns the outbound buffers to the pool once the kernel is done with them; idempotent. */
    protected final void releaseOutbound() {
        outbound.discard();
    }

    /** shutdown(SHUT_RD) and stop reading. */
    protected abstract void doShutdownInput() throws IOException;

    /** Closes the socket (after SO_LINGER 0 when {@code abortive}) and removes it from the poller. Called once. */
    protected abstract void doClose(boolean abortive) throws IOException;

    /** Sets an option whose value was checked; throws UnsupportedOperationException for one the stack lacks. */
    protected abstract <T> void doSetOption(SocketOption<T> option, T value) throws IOException;

    /** Reads an option; throws UnsupportedOperationException for one the stack lacks. */
    protected abstract <T> T doGetOption(SocketOption<T> option) throws IOException;

    /** setsockopt(2) by level and name; only stacks with RAW_SOCKET_OPTIONS override this. */
    protected void doSetRawOption(int level, int name, MemorySegment value) throws IOException {
        throw new UnsupportedOperationException("stack " + worker.networkStack().name()
                + " has no raw socket options (Capability.RAW_SOCKET_OPTIONS)");
    }

    /** getsockopt(2) by level and name into {@code value}, returning the length; only stacks with RAW_SOCKET_OPTIONS override this. */
    protected int doGetRawOption(int level, int name, MemorySegment value) throws IOException {
        throw new UnsupportedOperationException("stack " + worker.networkStack().name()
                + " has no raw socket options (Capability.RAW_SOCKET_OPTIONS)");
    }

    // ---- for the backend -----------------------------------------------------------------------

    /** The received bytes not yet consumed. */
    protected final InboundChain inbound() {
        return inbound;
    }

    /** The bytes accepted for sending and not yet taken by the kernel. */
    protected final OutboundChain outbound() {
        return outbound;
    }

    /** The worker, with its SPI type. */
    protected final AbstractWorker abstractWorker() {
        return worker;
    }

    /** True while the application has paused reading; backends that deliver by completion consult it. */
    protected final boolean isReadingPausedInternal() {
        return readingPaused;
    }

    /** True once {@link #closeNow} ran. Worker thread. */
    protected final boolean isClosed() {
        return closed;
    }

    /** True after {@link #shutdownInput()}: the backend stops reading. */
    protected final boolean isInputShut() {
        return inputShut;
    }

    /** The connection is up: registers it with the worker and calls {@code onOpen}. */
    protected final void opened() {
        worker.register(this);
        try {
            handler.onOpen(this);
        } catch (Throwable t) {
            callbackFailed(t);
        }
    }

    /**
     * A chunk of received bytes (a pool buffer, an mbuf): appended to the inbound chain, then
     * {@code onData}; the chain releases it once its bytes are consumed, or at close.
     */
    protected final void received(InboundChunk b) {
        worker.countRead(b.readableBytes());
        if (closed || inputShut) {
            b.release();
            return;
        }
        inbound.append(b);
        if (inbound.readableBytes() == 0 || readingPaused) {
            return;
        }
        try {
            handler.onData(this, inbound);
        } catch (Throwable t) {
            callbackFailed(t);
        }
    }

    /** The peer shut its output (read returned 0): {@code onInputShutdown}. */
    protected final void inputEnded() {
        if (closed || inputShut) {
            return;
        }
        if (readingPaused || redeliveryQueued) {
            // A completion-based or userspace backend can see EOF after the application paused reading,
            // behind bytes it has buffered but not delivered: the EOF waits for them (see resumeReading).
            // The same once reading resumed but before the redelivery it queued has run (a userspace
            // stack can take the peer's FIN in that very loop turn): that task delivers the bytes, then
            // the EOF. Delivered now, the EOF's close would drop them.
            eofPending = true;
            return;
        }
        deliverInputEnded();
    }

    private void deliverInputEnded() {
        eofPending = false;
        inputShut = true;
        try {
            handler.onInputShutdown(this);
        } catch (Throwable t) {
            callbackFailed(t);
        }
    }

    /** The kernel took {@code n} bytes from the head of the outbound chain. */
    protected final void written(long n) {
        worker.countWrite(n);
        if (closed) {
            return;
        }
        outbound.consumed(n);
        if (!flushing) {
            afterWrite();
        }
    }

    /**
     * A userspace stack transmitted {@code n} bytes from the sent cursor of {@link #outbound()}; they stay
     * there until {@link #acknowledged}, for retransmission.
     */
    protected final void sent(long n) {
        worker.countWrite(n);
        if (closed) {
            return;
        }
        outbound.sent(n);
    }

    /**
     * The peer acknowledged {@code n} more sent bytes: they are released, and the connection may become
     * writable again, or finish a close or shutdown that waited for them.
     */
    protected final void acknowledged(long n) {
        if (closed) {
            return;
        }
        outbound.acknowledged(n);
        if (!flushing) {
            afterWrite();
        }
    }

    /** The socket is writable again (EPOLLOUT, OP_WRITE): sends what is pending. */
    protected final void writeReady() {
        flushNow();
    }

    /** A read or write failed: the connection is closed with {@code cause} (pending bytes are discarded). */
    protected final void failed(Throwable cause) {
        closeNow(cause, false, "the connection failed");
    }

    /**
     * The single way out: releases the chains, closes the socket and calls {@code onClose} once. Pending
     * bytes are dropped and reported as a {@link WritesDiscardedException} (saying {@code why}), with
     * {@code cause} as its cause. Worker thread.
     */
    protected final void closeNow(Throwable cause, boolean abortive, String why) {
        if (closed) {
            return;
        }
        closed = true;
        open = false;
        long dropped = outbound.pendingBytes();
        if (!outboundInFlight()) {
            outbound.discard();
        }
        inbound.releaseAll();
        if (dropped > 0) {
            cause = new WritesDiscardedException(dropped, why, cause);
        }
        try {
            doClose(abortive || dropped > 0);
        } catch (IOException e) {
            if (cause == null) {
                cause = e;
            } else {
                cause.addSuppressed(e);
            }
        } catch (RuntimeException e) {
            LOG.warn("{}: closing the socket failed", this, e);
        }
        worker.unregister(this);
        try {
            handler.onClose(this, cause);
        } catch (Throwable t) {
            if (t instanceof VirtualMachineError vme) {
                throw vme;
            }
            LOG.warn("{}: onClose threw", this, t);
        }
    }

    // ---- Connection ----------------------------------------------------------------------------

    @Override
    public final AbstractWorker worker() {
        return worker;
    }

    @Override
    public final long id() {
        return id;
    }

    @Override
    public final SocketAddress localAddress() {
        return localAddress;
    }

    @Override
    public final SocketAddress remoteAddress() {
        return remoteAddress;
    }

    @Override
    public final boolean isOpen() {
        return open;
    }

    @Override
    public final ConnectionHandler handler() {
        return handler;
    }

    @Override
    public final Connection write(MemorySegment src) {
        checkWritable();
        outbound.write(src);
        afterAppend();
        return this;
    }

    @Override
    public final Connection write(byte[] src, int off, int len) {
        checkWritable();
        outbound.write(src, off, len);
        afterAppend();
        return this;
    }

    @Override
    public final Connection write(ByteBuffer src) {
        checkWritable();
        outbound.write(src);
        afterAppend();
        return this;
    }

    @Override
    public final MemorySegment reserve(int size) {
        checkWritable();
        return outbound.reserve(size);
    }

    @Override
    public final void commit(int used) {
        checkWritable();
        outbound.commit(used);
        afterAppend();
    }

    @Override
    public final void flush() {
        checkOpen("flush");
        flushNow();
    }

    @Override
    public final long pendingWriteBytes() {
        checkThread("pendingWriteBytes");
        return outbound.pendingBytes();
    }

    @Override
    public final boolean isWritable() {
        checkThread("isWritable");
        return writable && !closed;
    }

    @Override
    public final void shutdownOutput() {
        checkOpen("shutdownOutput");
        if (outputShutRequested) {
            return;
        }
        outputShutRequested = true;
        if (outbound.pendingBytes() == 0) {
            shutOutputNow();
        } else {
            flushNow();
        }
    }

    @Override
    public final void shutdownInput() {
        checkOpen("shutdownInput");
        if (inputShut) {
            return;
        }
        inputShut = true;
        inbound.releaseAll();
        try {
            doShutdownInput();
        } catch (IOException e) {
            failed(e);
        }
    }

    @Override
    public final void close() {
        if (!worker.inWorkerThread()) {
            if (open) {
                runOnWorker(this::close);
            }
            return;
        }
        if (closed || closeRequested) {
            return;
        }
        closeRequested = true;
        if (outbound.pendingBytes() == 0) {
            closeNow(null, false, "close");
        } else {
            flushNow();
        }
    }

    @Override
    public final void abort() {
        if (!worker.inWorkerThread()) {
            if (open) {
                runOnWorker(this::abort);
            }
            return;
        }
        closeNow(null, true, "the connection was aborted");
    }

    @Override
    public final <T> Connection setOption(SocketOption<T> option, T value) throws IOException {
        checkOpen("setOption");
        SocketOptionsCheck.checkValue(option, value);
        doSetOption(option, value);
        return this;
    }

    @Override
    public final <T> T getOption(SocketOption<T> option) throws IOException {
        checkOpen("getOption");
        Objects.requireNonNull(option, "socket option");
        return doGetOption(option);
    }

    @Override
    public final void setRawOption(int level, int name, MemorySegment value) throws IOException {
        checkOpen("setRawOption");
        Objects.requireNonNull(value, "value");
        doSetRawOption(level, name, value);
    }

    @Override
    public final int getRawOption(int level, int name, MemorySegment value) throws IOException {
        checkOpen("getRawOption");
        Objects.requireNonNull(value, "value");
        return doGetRawOption(level, name, value);
    }

    @Override
    public String toString() {
        return "connection " + id + " (" + localAddress + " <-> " + remoteAddress + ")";
    }

    @Override
    public final void pauseReading() {
        checkOpen("pauseReading");
        if (readingPaused) {
            return;
        }
        readingPaused = true;
        try {
            doPauseReading();
        } catch (IOException e) {
            failed(e);
        }
    }

    @Override
    public final void resumeReading() {
        checkOpen("resumeReading");
        if (!readingPaused) {
            return;
        }
        readingPaused = false;
        try {
            doResumeReading();
        } catch (IOException e) {
            failed(e);
            return;
        }
        if ((inbound.readableBytes() > 0 || eofPending) && !redeliveryQueued) {
            // Not called from here: resumeReading is typically called inside onWritable or onData, and
            // handlers must never be re-entered.
            redeliveryQueued = true;
            worker.execute(redeliver);
        }
    }

    @Override
    public final boolean isReadingPaused() {
        return readingPaused;
    }

    // ---- internals -----------------------------------------------------------------------------

    private void redeliverBuffered() {
        redeliveryQueued = false;
        if (closed || inputShut || readingPaused) {
            return;
        }
        if (inbound.readableBytes() > 0) {
            try {
                handler.onData(this, inbound);
            } catch (Throwable t) {
                callbackFailed(t);
                return;
            }
            if (closed || readingPaused) {
                return; // paused again: the EOF, if any, waits for the next resume
            }
        }
        if (eofPending) {
            deliverInputEnded();
        }
    }

    private void flushNow() {
        if (closed || outbound.unsentBytes() == 0) {
            return;
        }
        if (flushing) {
            reflush = true;
            return;
        }
        flushing = true;
        try {
            do {
                reflush = false;
                doFlush();
            } while (reflush && !closed && outbound.unsentBytes() > 0);
        } catch (IOException e) {
            flushing = false;
            failed(e);
            return;
        } finally {
            flushing = false;
        }
        afterWrite();
    }

    private void afterWrite() {
        if (closed) {
            return;
        }
        long pending = outbound.pendingBytes();
        if (!writable && pending <= lowWatermark) {
            writable = true;
            try {
                handler.onWritable(this);
            } catch (Throwable t) {
                callbackFailed(t);
                return;
            }
            if (closed) {
                return;
            }
            pending = outbound.pendingBytes();
        }
        if (pending == 0) {
            if (closeRequested) {
                closeNow(null, false, "close");
            } else if (outputShutRequested && !outputShut) {
                shutOutputNow();
            }
        }
    }

    private void shutOutputNow() {
        outputShut = true;
        try {
            doShutdownOutput();
        } catch (IOException e) {
            failed(e);
        }
    }

    private void afterAppend() {
        if (writable && outbound.pendingBytes() > highWatermark) {
            writable = false;
        }
    }

    private void callbackFailed(Throwable t) {
        if (t instanceof VirtualMachineError vme) {
            throw vme;
        }
        closeNow(t, true, "a handler callback threw");
    }

    private void runOnWorker(Runnable r) {
        try {
            worker.execute(r);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // The worker has stopped; it closed every connection on its way out.
        }
    }

    private void checkThread(String what) {
        if (!worker.inWorkerThread()) {
            worker.checkInWorkerThread(this + ": " + what);
        }
    }

    private void checkOpen(String what) {
        checkThread(what);
        if (closed) {
            throw new ConnectionClosedException(this + " is closed; " + what + " is not allowed");
        }
    }

    private void checkWritable() {
        checkOpen("write");
        if (closeRequested) {
            throw new ConnectionClosedException(this + " is closing (close() was called); write is not allowed");
        }
        if (outputShutRequested) {
            throw new ConnectionClosedException(this + ": output was shut down; write is not allowed");
        }
    }
}
