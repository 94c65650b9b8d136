package dev.isthmus.nio.channels;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.DatagramSocketImpl;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.AlreadyConnectedException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.IllegalBlockingModeException;
import java.nio.channels.MembershipKey;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;

/**
 * The {@link DatagramSocket} that {@link NativeDatagramChannel#socket()} returns: every method goes to the
 * channel. {@code send} and {@code receive} need the channel in blocking mode, as the JDK's adaptor does;
 * {@code setSoTimeout} bounds {@code receive}, which then throws {@link java.net.SocketTimeoutException}.
 *
 * <p>A packet's buffer length: the JDK's adaptor receives into a packet's whole buffer ({@code bufLength},
 * package-private) and sets only its length, so a packet reused for the next receive still takes a full-size
 * datagram. The public API can only {@link DatagramPacket#setLength}, which sets both; so this adaptor
 * remembers, per packet it filled, the buffer length it had, and uses it again while the packet still holds
 * the same array, offset and the length the adaptor set. An application that calls {@code setLength} with
 * exactly that length is taken to mean the whole buffer, which stays within the region it first offered.
 */
final class DatagramSocketAdaptor extends DatagramSocket {
    private final NativeDatagramChannel ch;
    private final AdaptorOptions options;
    private volatile int timeout;
    /** Packets this adaptor filled: their buffer length before it set the received length. */
    private final Map<DatagramPacket, Filled> filled = new WeakHashMap<>();

    private record Filled(byte[] data, int offset, int length, int bufLength) {
    }

    DatagramSocketAdaptor(NativeDatagramChannel ch) {
        super(NoDatagramSocketImpl.INSTANCE);
        this.ch = ch;
        this.options = new AdaptorOptions(ch);
    }

    @Override
    public DatagramChannel getChannel() {
        return ch;
    }

    @Override
    public void bind(SocketAddress local) throws SocketException {
        try {
            ch.bind(local != null ? local : new InetSocketAddress(0));
        } catch (IOException | RuntimeException e) {
            throw AdaptorOptions.translate(e);
        }
    }

    @Override
    public void connect(InetAddress address, int port) {
        if (address == null) {
            throw new IllegalArgumentException("Address can't be null");
        }
        try {
            connect(new InetSocketAddress(address, port));
        } catch (SocketException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void connect(SocketAddress remote) throws SocketException {
        if (remote == null) {
            throw new IllegalArgumentException("Address can't be null");
        }
        if (!(remote instanceof InetSocketAddress)) {
            throw new IllegalArgumentException("Unsupported address type");
        }
        try {
            if (ch.isConnected()) {
                ch.disconnect(); // DatagramSocket.connect replaces an association; the channel would refuse
            }
            ch.connect(remote);
        } catch (ClosedChannelException e) {
            // as the JDK's adaptor: connecting a closed socket does nothing
        } catch (IOException | RuntimeException e) {
            throw AdaptorOptions.translate(e);
        }
    }

    @Override
    public void disconnect() {
        try {
            ch.disconnect();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public boolean isBound() {
        return ch.localAddressOrNull() != null;
    }

    @Override
    public boolean isConnected() {
        return ch.isConnected();
    }

    @Override
    public InetAddress getInetAddress() {
        return ch.remoteAddressOrNull() instanceof InetSocketAddress isa ? isa.getAddress() : null;
    }

    @Override
    public int getPort() {
        return ch.remoteAddressOrNull() instanceof InetSocketAddress isa ? isa.getPort() : -1;
    }

    @Override
    public SocketAddress getRemoteSocketAddress() {
        return ch.remoteAddressOrNull();
    }

    @Override
    public SocketAddress getLocalSocketAddress() {
        return isClosed() ? null : ch.localAddressOrNull();
    }

    @Override
    public InetAddress getLocalAddress() {
        if (isClosed()) {
            return null;
        }
        return ch.localAddressOrNull() instanceof InetSocketAddress isa ? isa.getAddress()
                : new InetSocketAddress(0).getAddress();
    }

    @Override
    public int getLocalPort() {
        if (isClosed()) {
            return -1;
        }
        return ch.localAddressOrNull() instanceof InetSocketAddress isa ? isa.getPort() : 0;
    }

    @Override
    public void send(DatagramPacket p) throws IOException {
        synchronized (p) {
            if (!ch.isOpen()) {
                throw new SocketException("Socket closed");
            }
            if (!ch.isBlocking()) {
                throw new IllegalBlockingModeException();
            }
            SocketAddress target;
            if (p.getAddress() == null) {
                if (!(ch.remoteAddressOrNull() instanceof InetSocketAddress remote)) {
                    throw new IllegalArgumentException("Address not set");
                }
                p.setAddress(remote.getAddress());
                p.setPort(remote.getPort());
                target = remote;
            } else {
                target = p.getSocketAddress();
            }
            try {
                ch.send(ByteBuffer.wrap(p.getData(), p.getOffset(), p.getLength()), target);
            } catch (AlreadyConnectedException e) {
                throw new IllegalArgumentException("Connected and packet address differ");
            } catch (ClosedChannelException e) {
                throw new SocketException("Socket closed", e);
            }
        }
    }

    @Override
    public void receive(DatagramPacket p) throws IOException {
        synchronized (p) {
            if (!ch.isOpen()) {
                throw new SocketException("Socket closed");
            }
            if (!ch.isBlocking()) {
                throw new IllegalBlockingModeException();
            }
            int bufLength = bufLength(p);
            ByteBuffer dst = ByteBuffer.wrap(p.getData(), p.getOffset(), bufLength);
            SocketAddress from;
            try {
                int t = timeout;
                from = ch.receive(dst, t == 0 ? -1 : t);
            } catch (ClosedChannelException e) {
                if (e instanceof java.nio.channels.ClosedByInterruptException) {
                    throw e;
                }
                throw new SocketException("Socket closed", e);
            }
            int n = dst.position() - p.getOffset();
            p.setLength(n);
            p.setSocketAddress(from);
            synchronized (filled) {
                filled.put(p, new Filled(p.getData(), p.getOffset(), n, bufLength));
            }
        }
    }

    /** The buffer length to receive into: the one before this adaptor last set the packet's length, if it still applies. */
    private int bufLength(DatagramPacket p) {
        synchronized (filled) {
            Filled f = filled.get(p);
            if (f != null && f.data() == p.getData() && f.offset() == p.getOffset() && f.length() == p.getLength()) {
                return Math.min(f.bufLength(), p.getData().length - p.getOffset());
            }
        }
        return p.getLength();
    }

    @Override
    public void setSoTimeout(int timeout) throws SocketException {
        options.checkOpen();
        if (timeout < 0) {
            throw new IllegalArgumentException("timeout < 0");
        }
        this.timeout = timeout;
    }

    @Override
    public int getSoTimeout() throws SocketException {
        options.checkOpen();
        return timeout;
    }

    @Override
    public void setSendBufferSize(int size) throws SocketException {
        if (size <= 0) {
            throw new IllegalArgumentException("Invalid send size");
        }
        options.set(StandardSocketOptions.SO_SNDBUF, size);
    }

    @Override
    public int getSendBufferSize() throws SocketException {
        return options.get(StandardSocketOptions.SO_SNDBUF);
    }

    @Override
    public void setReceiveBufferSize(int size) throws SocketException {
        if (size <= 0) {
            throw new IllegalArgumentException("Invalid receive size");
        }
        options.set(StandardSocketOptions.SO_RCVBUF, size);
    }

    @Override
    public int getReceiveBufferSize() throws SocketException {
        return options.get(StandardSocketOptions.SO_RCVBUF);
    }

    @Override
    public void setReuseAddress(boolean on) throws SocketException {
        options.set(StandardSocketOptions.SO_REUSEADDR, on);
    }

    @Override
    public boolean getReuseAddress() throws SocketException {
        return options.get(StandardSocketOptions.SO_REUSEADDR);
    }

    @Override
    public void setBroadcast(boolean on) throws SocketException {
        options.set(StandardSocketOptions.SO_BROADCAST, on);
    }

    @Override
    public boolean getBroadcast() throws SocketException {
        return options.get(StandardSocketOptions.SO_BROADCAST);
    }

    @Override
    public void setTrafficClass(int tc) throws SocketException {
        options.set(StandardSocketOptions.IP_TOS, tc);
    }

    @Override
    public int getTrafficClass() throws SocketException {
        return options.get(StandardSocketOptions.IP_TOS);
    }

    @Override
    public <T> DatagramSocket setOption(SocketOption<T> name, T value) throws IOException {
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
    public void joinGroup(SocketAddress mcastaddr, NetworkInterface netIf) throws IOException {
        InetAddress group = checkGroup(mcastaddr);
        NetworkInterface ni = netIf != null ? netIf : defaultInterface();
        options.checkOpen();
        synchronized (this) {
            if (ch.findMembership(group, ni) != null) {
                throw new SocketException("Already a member of group");
            }
            ch.join(group, ni);
        }
    }

    @Override
    public void leaveGroup(SocketAddress mcastaddr, NetworkInterface netIf) throws IOException {
        InetAddress group = checkGroup(mcastaddr);
        NetworkInterface ni = netIf != null ? netIf : defaultInterface();
        options.checkOpen();
        synchronized (this) {
            MembershipKey key = ch.findMembership(group, ni);
            if (key == null) {
                throw new SocketException("Not a member of group");
            }
            key.drop();
        }
    }

    private static InetAddress checkGroup(SocketAddress mcastaddr) throws SocketException {
        if (!(mcastaddr instanceof InetSocketAddress isa)) {
            throw new IllegalArgumentException("Unsupported address type");
        }
        InetAddress group = isa.getAddress();
        if (group == null) {
            throw new IllegalArgumentException("Unresolved address");
        }
        if (!group.isMulticastAddress()) {
            throw new SocketException("Not a multicast address");
        }
        return group;
    }

    /**
     * The interface a join without one uses: IP_MULTICAST_IF if set, else the first interface that is up,
     * not loopback and supports multicast (the JDK picks a default interface much the same way).
     */
    private NetworkInterface defaultInterface() throws IOException {
        NetworkInterface ni = ch.getOption(StandardSocketOptions.IP_MULTICAST_IF);
        if (ni != null) {
            return ni;
        }
        for (NetworkInterface i : NetworkInterface.networkInterfaces().toList()) {
            if (i.isUp() && !i.isLoopback() && i.supportsMulticast()) {
                return i;
            }
        }
        throw new SocketException("No network interface to join a multicast group on; name one");
    }

    @Override
    public void close() {
        try {
            ch.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public boolean isClosed() {
        return !ch.isOpen();
    }

    @Override
    public String toString() {
        return "DatagramSocketAdaptor[" + ch + "]";
    }

    /**
     * The DatagramSocketImpl handed to DatagramSocket's protected constructor (which wraps it but calls none of
     * it until a method the adaptor does not override): each method fails loudly.
     */
    private static final class NoDatagramSocketImpl extends DatagramSocketImpl {
        static final NoDatagramSocketImpl INSTANCE = new NoDatagramSocketImpl();

        private static SocketException unused() {
            return new SocketException("the DatagramSocket adaptor of " + IsthmusSelectorProvider.class.getName()
                    + " has no DatagramSocketImpl; this call is not supported");
        }

        @Override
        protected void create() throws SocketException {
            throw unused();
        }

        @Override
        protected void bind(int lport, InetAddress laddr) throws SocketException {
            throw unused();
        }

        @Override
        protected void send(DatagramPacket p) throws IOException {
            throw unused();
        }

        @Override
        protected int peek(InetAddress i) throws IOException {
            throw unused();
        }

        @Override
        protected int peekData(DatagramPacket p) throws IOException {
            throw unused();
        }

        @Override
        protected void receive(DatagramPacket p) throws IOException {
            throw unused();
        }

        @Override
        @SuppressWarnings("deprecation")
        protected void setTTL(byte ttl) throws IOException {
            throw unused();
        }

        @Override
        @SuppressWarnings("deprecation")
        protected byte getTTL() throws IOException {
            throw unused();
        }

        @Override
        protected void setTimeToLive(int ttl) throws IOException {
            throw unused();
        }

        @Override
        protected int getTimeToLive() throws IOException {
            throw unused();
        }

        @Override
        protected void join(InetAddress inetaddr) throws IOException {
            throw unused();
        }

        @Override
        protected void leave(InetAddress inetaddr) throws IOException {
            throw unused();
        }

        @Override
        protected void joinGroup(SocketAddress mcastaddr, NetworkInterface netIf) throws IOException {
            throw unused();
        }

        @Override
        protected void leaveGroup(SocketAddress mcastaddr, NetworkInterface netIf) throws IOException {
            throw unused();
        }

        @Override
        protected void close() {
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
}
