package dev.isthmus.stack.spi;

import dev.isthmus.stack.UdpChannel;
import dev.isthmus.stack.Worker;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.net.SocketAddress;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What every stack's {@link UdpChannel} repeats: a close that may be called from any thread and never
 * makes one worker wait for another ({@link CloseOnWorker}). Two workers closing each other's channels at
 * the same time would otherwise each wait for a task queued behind the other's wait, forever. From a
 * foreign worker the close is handed over and {@link #close()} returns at once; from a thread outside
 * the stack it waits until the socket is closed, so the port can be bound again when it returns.
 *
 * <p>A stack writes its receive and send paths and {@link #closeOnWorker()}, which runs once on the
 * channel's worker. {@link #isCloseRequested()} turns true as soon as close is called, on any thread, so
 * a send after close fails even before the worker has run the close.
 */
public abstract class AbstractUdpChannel implements UdpChannel {
    private final AbstractWorker owner;
    private final AtomicBoolean closeRequested = new AtomicBoolean();

    protected AbstractUdpChannel(AbstractWorker owner) {
        this.owner = owner;
    }

    @Override
    public Worker worker() {
        return owner;
    }

    /** True once {@link #close()} was called, on any thread. */
    protected final boolean isCloseRequested() {
        return closeRequested.get();
    }

    /**
     * {@link UdpChannel#send(SocketAddress[], MemorySegment[], int)}'s default, one {@link #send} per
     * datagram, for a stack whose batched send cannot take some input (a subclass cannot reach the
     * interface's default itself).
     */
    protected final int sendEach(SocketAddress[] to, MemorySegment[] data, int count) throws IOException {
        return UdpChannel.super.send(to, data, count);
    }

    /** Closes the socket and frees the channel's memory; on the channel's worker, once. */
    protected abstract void closeOnWorker();

    /** After {@link #closeOnWorker()}, when the closing thread waits for it; nothing by default. */
    protected void afterCloseWaited() {
    }

    /**
     * Closes the channel: at once on its worker, handed over (not waited for) from another worker of the
     * stack, waited for from any other thread. Idempotent.
     */
    @Override
    public final void close() {
        if (!closeRequested.compareAndSet(false, true)) {
            return;
        }
        CloseOnWorker.run(owner, this::closeOnWorker, this::afterCloseWaited);
    }
}
