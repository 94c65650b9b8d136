package dev.isthmus.nio.channels;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.nio.channels.IllegalBlockingModeException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Set;

/**
 * The {@link ServerSocket} that {@link NativeServerSocketChannel#socket()} returns; the JDK's own HTTP server
 * binds through it ({@code schan.socket().bind(addr, backlog)}). {@code setSoTimeout} bounds accept.
 */
final class ServerSocketAdaptor extends ServerSocket {
    private final NativeServerSocketChannel ch;
    private volatile int timeout;

    ServerSocketAdaptor(NativeServerSocketChannel ch) throws IOException {
        super(new NoSocketImpl());
        this.ch = ch;
    }

    @Override
    public void bind(SocketAddress local) throws IOException {
        bind(local, 50);
    }

    @Override
    public void bind(SocketAddress local, int backlog) throws IOException {
        ch.bind(local, backlog);
    }

    @Override
    public InetAddress getInetAddress() {
        return getLocalSocketAddress() instanceof InetSocketAddress isa ? isa.getAddress() : null;
    }

    @Override
    public int getLocalPort() {
        return getLocalSocketAddress() instanceof InetSocketAddress isa ? isa.getPort() : -1;
    }

    @Override
    public SocketAddress getLocalSocketAddress() {
        try {
            return ch.isOpen() ? ch.getLocalAddress() : null;
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public Socket accept() throws IOException {
        if (!ch.isBlocking()) {
            throw new IllegalBlockingModeException();
        }
        int t = timeout;
        SocketChannel sc = ch.accept(t == 0 ? -1 : t);
        return sc.socket();
    }

    @Override
    public void close() throws IOException {
        ch.close();
    }

    @Override
    public ServerSocketChannel getChannel() {
        return ch;
    }

    @Override
    public boolean isBound() {
        return getLocalSocketAddress() != null;
    }

    @Override
    public boolean isClosed() {
        return !ch.isOpen();
    }

    @Override
    public void setSoTimeout(int timeout) throws SocketException {
        if (!ch.isOpen()) {
            throw new SocketException("Socket is closed");
        }
        if (timeout < 0) {
            throw new IllegalArgumentException("timeout < 0");
        }
        this.timeout = timeout;
    }

    @Override
    public int getSoTimeout() throws IOException {
        if (!ch.isOpen()) {
            throw new SocketException("Socket is closed");
        }
        return timeout;
    }

    @Override
    public void setReuseAddress(boolean on) throws SocketException {
        try {
            ch.setOption(StandardSocketOptions.SO_REUSEADDR, on);
        } catch (IOException e) {
            throw e instanceof SocketException se ? se : new SocketException(e.getMessage());
        }
    }

    @Override
    public boolean getReuseAddress() throws SocketException {
        try {
            return ch.getOption(StandardSocketOptions.SO_REUSEADDR);
        } catch (IOException e) {
            throw e instanceof SocketException se ? se : new SocketException(e.getMessage());
        }
    }

    @Override
    public void setReceiveBufferSize(int size) throws SocketException {
        if (size <= 0) {
            throw new IllegalArgumentException("negative receive size");
        }
        try {
            ch.setOption(StandardSocketOptions.SO_RCVBUF, size);
        } catch (IOException e) {
            throw e instanceof SocketException se ? se : new SocketException(e.getMessage());
        }
    }

    @Override
    public int getReceiveBufferSize() throws SocketException {
        try {
            return ch.getOption(StandardSocketOptions.SO_RCVBUF);
        } catch (IOException e) {
            throw e instanceof SocketException se ? se : new SocketException(e.getMessage());
        }
    }

    @Override
    public <T> ServerSocket setOption(SocketOption<T> name, T value) throws IOException {
        ch.setOption(name, value);
        return this;
    }

    @Override
    public <T> T getOption(SocketOption<T> name) throws IOException {
        return ch.getOption(name);
    }

    @Override
    public Set<SocketOption<?>> supportedOptions() {
        return ch.supportedOptions();
    }

    @Override
    public void setPerformancePreferences(int connectionTime, int latency, int bandwidth) {
        // as in the JDK: no effect
    }

    @Override
    public String toString() {
        return isBound() ? "ServerSocket[addr=" + getInetAddress() + ",localport=" + getLocalPort() + "]" : "ServerSocket[unbound]";
    }
}
