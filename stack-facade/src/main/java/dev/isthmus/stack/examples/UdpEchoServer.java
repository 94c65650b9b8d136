package dev.isthmus.stack.examples;

import dev.isthmus.stack.DatagramHandler;
import dev.isthmus.stack.NetworkStack;
import dev.isthmus.stack.NetworkStacks;
import dev.isthmus.stack.UdpChannel;
import dev.isthmus.stack.UdpOptions;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.LongAdder;

/**
 * A UDP echo server, the same code on every stack: every datagram goes back to its sender, unchanged.
 * One channel per worker, channel {@code i} on worker {@code i} and port {@code port + i}, so that W
 * workers serve W independent sockets without SO_REUSEPORT (which {@link UdpOptions} does not offer) and
 * without a hand-off between workers; a client spreads its flows over the W ports.
 *
 * <p>Nothing is allocated per datagram here: the datagram is a view into the stack's receive buffer
 * (valid during {@code onDatagram}) and is sent back from that view at once, so no copy is kept. The facade
 * has no "end of burst" callback, so the echo cannot gather a batch itself; the batching is the stack's
 * (the dpdk stack queues the frame into the turn's one tx burst). A refused send (a full socket buffer,
 * {@code ENOBUFS}) drops that echo, as UDP may, and is counted.
 */
public final class UdpEchoServer implements DatagramHandler, AutoCloseable {

    private final List<UdpChannel> channels;
    private final LongAdder echoed = new LongAdder();
    private final LongAdder dropped = new LongAdder();

    private UdpEchoServer(NetworkStack stack, InetAddress address, int port, int channels) throws IOException {
        if (channels < 1 || channels > stack.workers().size()) {
            throw new IllegalArgumentException("channels must be 1.." + stack.workers().size()
                    + " (one per worker), was " + channels);
        }
        List<UdpChannel> open = new ArrayList<>();
        try {
            int first = port;
            for (int i = 0; i < channels; i++) {
                int p = first == 0 ? 0 : first + i;
                if (p > 65535) {
                    throw new IllegalArgumentException("ports " + first + ".." + (first + channels - 1)
                            + " go past 65535");
                }
                UdpChannel c = stack.openUdp(new InetSocketAddress(address, p), UdpOptions.defaults().withWorker(i),
                        this);
                open.add(c);
                if (first == 0) {
                    first = ((InetSocketAddress) c.localAddress()).getPort(); // the next ones follow it
                }
            }
        } catch (IOException | RuntimeException e) {
            open.forEach(UdpChannel::close);
            throw e;
        }
        this.channels = List.copyOf(open);
    }

    /**
     * Opens one echo channel on each of the first {@code channels} workers of {@code stack}, on ports
     * {@code port}, {@code port + 1}, ... ({@code port} 0: the first is any free port, the others follow it).
     *
     * @throws IOException if a port cannot be bound; the channels opened before are closed
     */
    public static UdpEchoServer open(NetworkStack stack, InetAddress address, int port, int channels)
            throws IOException {
        return new UdpEchoServer(stack, address, port, channels);
    }

    /** The port of channel 0; channel {@code i} has this + i. */
    public int firstPort() {
        return ((InetSocketAddress) channels.getFirst().localAddress()).getPort();
    }

    /** The number of channels (= workers serving). */
    public int channels() {
        return channels.size();
    }

    /** Datagrams sent back so far. */
    public long echoed() {
        return echoed.sum();
    }

    /** Echoes the stack refused to send (counted, not retried). */
    public long dropped() {
        return dropped.sum();
    }

    @Override
    public void onDatagram(UdpChannel channel, InetSocketAddress sender, MemorySegment data, boolean truncated) {
        if (truncated) {
            dropped.increment(); // half a datagram echoed would be a wrong reply; none is better
            return;
        }
        try {
            channel.send(sender, data); // from the receive buffer's view: no copy of ours
            echoed.increment();
        } catch (IOException e) {
            dropped.increment();
        }
    }

    /** Closes every channel; the stack stays open. */
    @Override
    public void close() {
        channels.forEach(UdpChannel::close);
    }

    /**
     * Echoes on the port given (default 7007) on every worker, until Ctrl-C, on the stack named by
     * {@code -Disthmus.stack}.
     */
    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 7007;
        NetworkStack stack = NetworkStacks.open();
        UdpEchoServer echo = open(stack, InetAddress.getByName("0.0.0.0"), port, stack.workers().size());
        System.out.println("udp echo on ports " + echo.firstPort() + ".." + (echo.firstPort() + echo.channels() - 1)
                + " over " + stack.name());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            echo.close();
            stack.close();
            stopped.countDown();
        }));
        stopped.await();
    }
}
