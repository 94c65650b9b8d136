package dev.isthmus.nio.channels;

import java.io.IOException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.nio.channels.MembershipKey;
import java.nio.channels.MulticastChannel;
import java.util.HashSet;
import java.util.Set;

/**
 * One membership of a {@link NativeDatagramChannel} in a multicast group on one interface, any-source or for
 * one source. The channel makes the system calls (it owns the descriptor and the lock that keeps a concurrent
 * close from freeing it); the key keeps what {@link MembershipKey} reports and, for an any-source key, the
 * sources it blocks, so that a second {@code block} of one source is a no-op and {@code unblock} of an
 * unblocked source fails, as the interface documents.
 */
final class NativeMembershipKey extends MembershipKey {
    private final NativeDatagramChannel ch;
    private final InetAddress group;
    private final NetworkInterface interf;
    private final InetAddress source;
    private final int ifindex;
    /** Guarded by the channel's state lock. */
    private final Set<InetAddress> blocked = new HashSet<>();
    private volatile boolean valid = true;

    NativeMembershipKey(NativeDatagramChannel ch, InetAddress group, NetworkInterface interf, InetAddress source, int ifindex) {
        this.ch = ch;
        this.group = group;
        this.interf = interf;
        this.source = source;
        this.ifindex = ifindex;
    }

    int ifindex() {
        return ifindex;
    }

    /** The sources this key blocks; the caller holds the channel's state lock. */
    Set<InetAddress> blocked() {
        return blocked;
    }

    void invalidate() {
        valid = false;
    }

    @Override
    public boolean isValid() {
        return valid;
    }

    @Override
    public void drop() {
        ch.drop(this);
    }

    @Override
    public MembershipKey block(InetAddress source) throws IOException {
        if (this.source != null) {
            throw new IllegalStateException("key is source-specific");
        }
        ch.block(this, java.util.Objects.requireNonNull(source, "source"));
        return this;
    }

    @Override
    public MembershipKey unblock(InetAddress source) {
        ch.unblock(this, java.util.Objects.requireNonNull(source, "source"));
        return this;
    }

    @Override
    public MulticastChannel channel() {
        return ch;
    }

    @Override
    public InetAddress group() {
        return group;
    }

    @Override
    public NetworkInterface networkInterface() {
        return interf;
    }

    @Override
    public InetAddress sourceAddress() {
        return source;
    }

    @Override
    public String toString() {
        return "<" + group.getHostAddress() + "," + interf.getName() + (source != null ? "," + source.getHostAddress() : "")
                + (valid ? "" : ", dropped") + ">";
    }
}
