package dev.isthmus.nio.channels;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.util.ArrayList;
import java.util.List;

/**
 * The multicast memberships of one datagram channel, for the rules of {@link java.nio.channels.MulticastChannel#join}:
 * joining a group on an interface again returns the same key, and any-source and source-specific membership of
 * one group on one interface exclude each other ({@code IllegalStateException}). A channel has a handful of
 * memberships at most, so a list is searched. The caller holds the channel's state lock.
 */
final class Memberships {
    private final List<NativeMembershipKey> keys = new ArrayList<>();

    /** The existing key for this membership, null if there is none; throws if it conflicts with one. */
    NativeMembershipKey find(InetAddress group, NetworkInterface interf, InetAddress source) {
        for (NativeMembershipKey k : keys) {
            if (!k.group().equals(group) || !k.networkInterface().equals(interf)) {
                continue;
            }
            if (source == null) {
                if (k.sourceAddress() == null) {
                    return k;
                }
                throw new IllegalStateException("Already a source-specific member of " + group + " on " + interf.getName()
                        + "; cannot receive from all sources too");
            }
            if (k.sourceAddress() == null) {
                throw new IllegalStateException("Already a member of " + group + " on " + interf.getName()
                        + " for all sources; cannot join for one source");
            }
            if (k.sourceAddress().equals(source)) {
                return k;
            }
        }
        return null;
    }

    void add(NativeMembershipKey k) {
        keys.add(k);
    }

    void remove(NativeMembershipKey k) {
        keys.remove(k);
    }

    /** On close: the kernel drops the memberships with the socket; the keys only become invalid. */
    void invalidateAll() {
        for (NativeMembershipKey k : keys) {
            k.invalidate();
        }
        keys.clear();
    }
}
