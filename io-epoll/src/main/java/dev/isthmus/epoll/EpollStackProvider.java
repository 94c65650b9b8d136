package dev.isthmus.epoll;

import dev.isthmus.ffi.CallState;
import dev.isthmus.ffi.Errno;
import dev.isthmus.ffi.posix.epoll_h;
import dev.isthmus.ffi.posix.socket_h;
import dev.isthmus.linux.socket.LinuxSocket;
import dev.isthmus.stack.Capability;
import dev.isthmus.stack.NetworkStack;
import dev.isthmus.stack.StackOptions;
import dev.isthmus.stack.spi.NetworkStackProvider;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Registers the epoll stack: name {@code epoll}, auto priority 20 (after io_uring, before nio), available
 * where epoll_create1(2) works. Its switches are described in {@link EpollConfig}.
 */
public final class EpollStackProvider implements NetworkStackProvider {
    private static volatile Probe probe;

    /** What the one probe found: whether epoll works, and which address families. */
    private record Probe(Availability availability, boolean ipv6) {
    }

    /** For ServiceLoader. */
    public EpollStackProvider() {
    }

    @Override
    public String name() {
        return "epoll";
    }

    @Override
    public int autoPriority() {
        return 20;
    }

    @Override
    public Availability availability() {
        return probe().availability;
    }

    @Override
    public NetworkStack open(StackOptions options) throws IOException {
        Probe p = probe();
        if (!p.availability.available()) {
            throw new IOException("stack 'epoll' is not available here: " + p.availability.reason());
        }
        Set<Capability> caps = EnumSet.of(Capability.IPV4, Capability.UNIX_SOCKETS, Capability.UDP,
                Capability.REUSEPORT, Capability.RAW_SOCKET_OPTIONS, Capability.WORKER_PINNING, Capability.SPIN);
        if (p.ipv6) {
            caps.add(Capability.IPV6);
        }
        return new EpollNetworkStack(options, caps, EpollConfig.from(options));
    }

    /** Level-triggered, and a read bound of 1 (the fairness path on every read), beside the defaults. */
    @Override
    public List<Map<String, String>> conformanceVariants() {
        return List.of(Map.of(EpollConfig.TRIGGER, "level"), Map.of(EpollConfig.MAX_READS, "1"));
    }

    private static Probe probe() {
        Probe p = probe;
        if (p == null) {
            synchronized (EpollStackProvider.class) {
                p = probe;
                if (p == null) {
                    p = probe = runProbe();
                }
            }
        }
        return p;
    }

    private static Probe runProbe() {
        if (!System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux")) {
            return new Probe(Availability.no("epoll is Linux only; this is " + System.getProperty("os.name")), false);
        }
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = CallState.allocate(a).segment();
            int ep = epoll_h.epoll_create1(st, epoll_h.EPOLL_CLOEXEC);
            if (ep < 0) {
                return new Probe(Availability.no(Errno.exception("epoll_create1", CallState.errno(st)).getMessage()), false);
            }
            LinuxSocket.closeQuietly(st, ep);
            int s6 = socket_h.socket(st, socket_h.AF_INET6, socket_h.SOCK_STREAM | socket_h.SOCK_CLOEXEC, 0);
            boolean ipv6 = s6 >= 0;
            LinuxSocket.closeQuietly(st, s6);
            return new Probe(Availability.yes("epoll_create1 works" + (ipv6 ? "" : "; no IPv6")), ipv6);
        } catch (Throwable t) {
            return new Probe(Availability.no("the epoll bindings could not be linked: " + t), false);
        }
    }
}
