package dev.isthmus.dpdk;

import dev.isthmus.dpdk.net.Ipv4;
import dev.isthmus.dpdk.tcp.TcpFlags;
import dev.isthmus.dpdk.tcp.TcpSegment;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.ByteOrder;
import java.util.Random;

/**
 * A SYN flood from the kernel side of a tap, run in the test's namespace by {@code ip netns exec}:
 * {@code DST_IP PORT COUNT SRC_BASE SOURCES} sends {@code COUNT} SYNs to {@code DST_IP:PORT} through a raw
 * socket ({@code socket(AF_INET, SOCK_RAW, IPPROTO_RAW)}, raw(7): the header is ours, IP_HDRINCL implied),
 * from {@code SOURCES} spoofed addresses counting up from {@code SRC_BASE} that nobody answers for, random
 * ports and ISNs; prints {@code sent N}. Needs CAP_NET_RAW (the test runs as root).
 */
public final class RawSynFlood {
    private static final int AF_INET = 2;
    private static final int SOCK_RAW = 3;
    private static final int IPPROTO_RAW = 255;

    private RawSynFlood() {
    }

    public static void main(String[] args) throws Throwable {
        int dst = ip(args[0]);
        int port = Integer.parseInt(args[1]);
        int count = Integer.parseInt(args[2]);
        int srcBase = ip(args[3]);
        int sources = Integer.parseInt(args[4]);
        Linker linker = Linker.nativeLinker();
        MethodHandle socket = linker.downcallHandle(linker.defaultLookup().find("socket").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
        MethodHandle sendto = linker.downcallHandle(linker.defaultLookup().find("sendto").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG,
                        ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
        MethodHandle close = linker.downcallHandle(linker.defaultLookup().find("close").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
        int fd = (int) socket.invokeExact(AF_INET, SOCK_RAW, IPPROTO_RAW);
        if (fd < 0) {
            throw new IllegalStateException("socket(AF_INET, SOCK_RAW, IPPROTO_RAW) failed: needs CAP_NET_RAW");
        }
        Random r = new Random(23);
        long sent = 0;
        try (Arena arena = Arena.ofConfined()) {
            int tcpLen = TcpSegment.HEADER + 4 + 4;
            MemorySegment packet = arena.allocate(20 + tcpLen);
            MemorySegment to = arena.allocate(16);
            to.set(ValueLayout.JAVA_SHORT, 0, (short) AF_INET);
            to.set(ValueLayout.JAVA_SHORT.withOrder(ByteOrder.BIG_ENDIAN), 2, (short) port);
            to.set(ValueLayout.JAVA_INT.withOrder(ByteOrder.BIG_ENDIAN), 4, dst);
            for (int i = 0; i < count; i++) {
                int src = srcBase + (i % sources);
                Ipv4.writeHeader(packet, 0, src, dst, Ipv4.PROTO_TCP, i & 0xFFFF, tcpLen, 0, false);
                TcpSegment.write(packet, 20, 1024 + r.nextInt(60000), port, r.nextInt(), 0, TcpFlags.SYN, 65535, 1460, 7);
                TcpSegment.checksum(packet, 20, tcpLen, src, dst);
                long n = (long) sendto.invokeExact(fd, packet, packet.byteSize(), 0, to, 16);
                if (n > 0) {
                    sent++;
                } else {
                    Thread.sleep(1); // the socket buffer is full: let the tap drain
                }
            }
        } finally {
            int ignored = (int) close.invokeExact(fd);
        }
        System.out.println("sent " + sent);
    }

    private static int ip(String dotted) {
        String[] p = dotted.split("\\.");
        return (Integer.parseInt(p[0]) << 24) | (Integer.parseInt(p[1]) << 16) | (Integer.parseInt(p[2]) << 8)
                | Integer.parseInt(p[3]);
    }
}
