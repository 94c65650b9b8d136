package dev.isthmus.nio.channels;

import java.io.IOException;
import java.net.ProtocolFamily;
import java.nio.channels.Channel;
import java.nio.channels.DatagramChannel;
import java.nio.channels.Pipe;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.AbstractSelector;
import java.nio.channels.spi.SelectorProvider;

/**
 * The java.nio {@link SelectorProvider} on Isthmus' Linux layer: an epoll {@link java.nio.channels.Selector}
 * that changes interest sets without a system call, and socket, server-socket and pipe channels on
 * non-blocking descriptors. Install it for a whole JVM with
 * <pre>{@code -Djava.nio.channels.spi.SelectorProvider=dev.isthmus.nio.channels.IsthmusSelectorProvider}</pre>
 * (and {@code --enable-native-access} for this module or ALL-UNNAMED). Having the jar on the class or module
 * path alone changes nothing: the module declares no service.
 *
 * <p>{@link #inheritedChannel()} wraps a socket on file descriptor 0 as the JDK's provider does.
 */
public final class IsthmusSelectorProvider extends SelectorProvider {
    /** The JDK instantiates the class named by the system property through this constructor. */
    public IsthmusSelectorProvider() {
    }

    @Override
    public AbstractSelector openSelector() throws IOException {
        return new EpollSelector(this);
    }

    @Override
    public ServerSocketChannel openServerSocketChannel() throws IOException {
        return new NativeServerSocketChannel(this, Sockets.family(null));
    }

    @Override
    public ServerSocketChannel openServerSocketChannel(ProtocolFamily family) throws IOException {
        java.util.Objects.requireNonNull(family, "family");
        return new NativeServerSocketChannel(this, Sockets.family(family));
    }

    @Override
    public SocketChannel openSocketChannel() throws IOException {
        return new NativeSocketChannel(this, Sockets.family(null));
    }

    @Override
    public SocketChannel openSocketChannel(ProtocolFamily family) throws IOException {
        java.util.Objects.requireNonNull(family, "family");
        return new NativeSocketChannel(this, Sockets.family(family));
    }

    @Override
    public Pipe openPipe() throws IOException {
        return new NativePipe(this);
    }

    @Override
    public DatagramChannel openDatagramChannel() throws IOException {
        return new NativeDatagramChannel(this, Sockets.family(null));
    }

    /** The socket this process was started with on fd 0 as a channel, or null; see {@link InheritedChannels}. */
    @Override
    public Channel inheritedChannel() throws IOException {
        return InheritedChannels.get(this);
    }

    @Override
    public DatagramChannel openDatagramChannel(ProtocolFamily family) throws IOException {
        java.util.Objects.requireNonNull(family, "family");
        return new NativeDatagramChannel(this, Sockets.family(family));
    }
}
