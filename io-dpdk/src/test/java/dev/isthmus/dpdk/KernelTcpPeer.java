package dev.isthmus.dpdk;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Random;
import java.util.zip.CRC32;

/**
 * The kernel's TCP, run in the test's namespace by {@code ip netns exec}: {@code echo-server IP PORT SECONDS}
 * echoes every connection until EOF; {@code client IP PORT BYTES SEED} sends pseudo-random bytes, shuts
 * its output, reads until EOF, and prints {@code sent CRC received CRC BYTES}. One way, for goodput:
 * {@code sink-server IP PORT SECONDS} takes one connection, reads it to EOF, closes, and prints
 * {@code received CRC BYTES}; {@code source IP PORT BYTES SEED} sends, shuts its output, waits for the
 * peer's EOF, and prints {@code sent CRC BYTES}.
 */
public final class KernelTcpPeer {
    private KernelTcpPeer() {
    }

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "echo-server" -> echoServer(args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]));
            case "client" -> client(args[1], Integer.parseInt(args[2]), Long.parseLong(args[3]), Long.parseLong(args[4]));
            case "sink-server" -> sinkServer(args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]));
            case "source" -> source(args[1], Integer.parseInt(args[2]), Long.parseLong(args[3]), Long.parseLong(args[4]));
            default -> throw new IllegalArgumentException(args[0]);
        }
    }

    private static void echoServer(String ip, int port, int seconds) throws Exception {
        exitAfter(seconds);
        try (ServerSocket ss = new ServerSocket()) {
            ss.bind(new InetSocketAddress(InetAddress.getByName(ip), port));
            System.out.println("ready");
            System.out.flush();
            while (true) {
                Socket s = ss.accept();
                Thread t = new Thread(() -> {
                    try (s) {
                        InputStream in = s.getInputStream();
                        OutputStream out = s.getOutputStream();
                        byte[] b = new byte[65536];
                        int n;
                        while ((n = in.read(b)) > 0) {
                            out.write(b, 0, n);
                        }
                        s.shutdownOutput();
                    } catch (Exception e) {
                        System.out.println("echo failed: " + e);
                    }
                });
                t.start();
            }
        }
    }

    private static void client(String ip, int port, long bytes, long seed) throws Exception {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getByName(ip), port), 10_000);
            s.setSoTimeout(30_000);
            CRC32 sent = new CRC32();
            // Up to 16 MiB both directions are also kept, so that a mismatch can say where it is.
            boolean diagnosed = bytes <= DIAGNOSED_BYTES;
            java.io.ByteArrayOutputStream sentCopy = diagnosed ? new java.io.ByteArrayOutputStream((int) bytes) : null;
            java.io.ByteArrayOutputStream receivedCopy = diagnosed ? new java.io.ByteArrayOutputStream((int) bytes) : null;
            Thread writer = new Thread(() -> {
                try {
                    OutputStream out = s.getOutputStream();
                    Random r = new Random(seed);
                    byte[] b = new byte[16384];
                    long left = bytes;
                    while (left > 0) {
                        int n = (int) Math.min(b.length, left);
                        r.nextBytes(b);
                        sent.update(b, 0, n);
                        if (sentCopy != null) {
                            sentCopy.write(b, 0, n);
                        }
                        out.write(b, 0, n);
                        left -= n;
                    }
                    s.shutdownOutput();
                } catch (Exception e) {
                    System.out.println("write failed: " + e);
                }
            });
            writer.start();
            CRC32 received = new CRC32();
            long count = readToEof(s.getInputStream(), received, receivedCopy);
            writer.join();
            if (diagnosed && (count != bytes || sent.getValue() != received.getValue())) {
                System.out.println(where(receivedCopy.toByteArray(), sentCopy.toByteArray()));
            }
            System.out.println("sent " + sent.getValue() + " received " + received.getValue() + " " + count);
        }
    }

    private static void sinkServer(String ip, int port, int seconds) throws Exception {
        exitAfter(seconds);
        try (ServerSocket ss = new ServerSocket()) {
            ss.bind(new InetSocketAddress(InetAddress.getByName(ip), port));
            System.out.println("ready");
            System.out.flush();
            try (Socket s = ss.accept()) {
                CRC32 received = new CRC32();
                long count = readToEof(s.getInputStream(), received);
                System.out.println("received " + received.getValue() + " " + count);
            }
        }
    }

    private static void source(String ip, int port, long bytes, long seed) throws Exception {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getByName(ip), port), 10_000);
            s.setSoTimeout(120_000);
            CRC32 sent = new CRC32();
            OutputStream out = s.getOutputStream();
            Random r = new Random(seed);
            byte[] b = new byte[16384];
            long left = bytes;
            while (left > 0) {
                int n = (int) Math.min(b.length, left);
                r.nextBytes(b);
                sent.update(b, 0, n);
                out.write(b, 0, n);
                left -= n;
            }
            s.shutdownOutput();
            InputStream in = s.getInputStream();
            while (in.read(b) > 0) {
                // the peer sends nothing; its EOF says it has read everything
            }
            System.out.println("sent " + sent.getValue() + " " + bytes);
        }
    }

    /** Ends this process after {@code seconds}: a bounded life even if the test forgets it. */
    private static void exitAfter(int seconds) {
        Thread killer = new Thread(() -> {
            try {
                Thread.sleep(seconds * 1000L);
            } catch (InterruptedException e) {
                return;
            }
            System.exit(3);
        });
        killer.setDaemon(true);
        killer.start();
    }

    /** Reads {@code in} to its end into {@code crc}; returns the bytes read. */
    private static long readToEof(InputStream in, CRC32 crc) throws java.io.IOException {
        return readToEof(in, crc, null);
    }

    /** Reads {@code in} to its end into {@code crc} and, unless null, {@code copy}; returns the bytes read. */
    private static long readToEof(InputStream in, CRC32 crc, java.io.ByteArrayOutputStream copy) throws java.io.IOException {
        long count = 0;
        byte[] b = new byte[65536];
        int n;
        while ((n = in.read(b)) > 0) {
            crc.update(b, 0, n);
            if (copy != null) {
                copy.write(b, 0, n);
            }
            count += n;
        }
        return count;
    }

    /** Transfers up to this size are kept for {@link #where}. */
    static final long DIAGNOSED_BYTES = 16 << 20;

    /**
     * Where an echo {@code got} that came back wrong departs from what was sent, {@code want}: the first
     * differing offset, and the offset of the sent stream that the next 64 bytes received match (bytes lost,
     * or repeated, in between), or that they match nothing.
     */
    static String where(byte[] got, byte[] want) {
        int first = java.util.Arrays.mismatch(got, want);
        if (first < 0) {
            return "diagnosis: identical";
        }
        if (first >= got.length) {
            return "diagnosis: the echo ends early, at " + got.length + " of " + want.length;
        }
        int probe = Math.min(64, got.length - first);
        byte[] next = java.util.Arrays.copyOfRange(got, first, first + probe);
        for (int at = 0; at + probe <= want.length; at++) {
            if (java.util.Arrays.equals(want, at, at + probe, next, 0, probe)) {
                return "diagnosis: first difference at byte " + first + " of " + got.length + " received; what follows is"
                        + " the sent stream from byte " + at + " (" + (at - first) + " bytes " + (at > first ? "lost" : "repeated")
                        + " there)";
            }
        }
        return "diagnosis: first difference at byte " + first + " of " + got.length + " received; the next " + probe
                + " bytes are nowhere in what was sent";
    }
}
