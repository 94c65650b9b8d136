package dev.isthmus.nio.channels;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketImpl;

/**
 * The SocketImpl handed to {@link java.net.ServerSocket}'s protected constructor, which refuses null: the
 * adaptor overrides every public method, so none of these is ever reached; each fails loudly if one is.
 */
final class NoSocketImpl extends SocketImpl {
    private static SocketException unused() {
        return new SocketException("the socket adaptor of " + IsthmusSelectorProvider.class.getName()
                + " has no SocketImpl; this call is not supported");
    }

    @Override
    protected void create(boolean stream) throws SocketException {
        throw unused();
    }

    @Override
    protected void connect(String host, int port) throws SocketException {
        throw unused();
    }

    @Override
    protected void connect(InetAddress address, int port) throws SocketException {
        throw unused();
    }

    @Override
    protected void connect(SocketAddress address, int timeout) throws SocketException {
        throw unused();
    }

    @Override
    protected void bind(InetAddress host, int port) throws SocketException {
        throw unused();
    }

    @Override
    protected void listen(int backlog) throws SocketException {
        throw unused();
    }

    @Override
    protected void accept(SocketImpl s) throws SocketException {
        throw unused();
    }

    @Override
    protected InputStream getInputStream() throws SocketException {
        throw unused();
    }

    @Override
    protected OutputStream getOutputStream() throws SocketException {
        throw unused();
    }

    @Override
    protected int available() throws SocketException {
        throw unused();
    }

    @Override
    protected void close() {
        // nothing was opened
    }

    @Override
    protected void sendUrgentData(int data) throws SocketException {
        throw unused();
    }

    @Override
    public void setOption(int optID, Object value) throws SocketException {
        throw unused();
    }

    @Override
    public Object getOption(int optID) throws SocketException {
        throw unused();
    }
}
