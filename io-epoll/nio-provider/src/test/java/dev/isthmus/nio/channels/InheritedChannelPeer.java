package dev.isthmus.nio.channels;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channel;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/**
 * The child JVM of {@link InheritedChannelTest}: prints what {@link System#inheritedChannel()} returned, then
 * serves one request over it: a line read from a stream (through a selector, to show the channel registers),
 * one datagram; the reply is "pong" and the kind of channel.
 */
public final class InheritedChannelPeer {
    private InheritedChannelPeer() {
    }

    public static void main(String[] args) throws IOException {
        Channel ch = System.inheritedChannel();
        String kind = switch (ch) {
            case null -> "null";
            case SocketChannel s -> "SocketChannel";
            case ServerSocketChannel s -> "ServerSocketChannel";
            case DatagramChannel d -> "DatagramChannel";
            default -> "other:" + ch.getClass().getName();
        };
        System.out.println("kind=" + kind);
        System.out.println("class=" + (ch == null ? "null" : ch.getClass().getName()));
        System.out.println("provider=" + (ch instanceof SelectableChannel sc ? sc.provider().getClass().getName() : "-"));
        System.out.println("same=" + (ch == System.inheritedChannel()));
        System.out.flush();
        switch (ch) {
            case SocketChannel s -> {
                System.out.println("remote=" + (s.getRemoteAddress() != null));
                serve(s, kind);
            }
            case ServerSocketChannel ss -> {
                System.out.println("local=" + ss.getLocalAddress());
                try (SocketChannel c = ss.accept()) {
                    serve(c, kind);
                }
                ss.close();
            }
            case DatagramChannel d -> {
                ByteBuffer b = ByteBuffer.allocate(100);
                SocketAddress from = d.receive(b);
                d.send(ByteBuffer.wrap(("pong " + new String(b.array(), 0, b.position()) + " " + kind).getBytes()), from);
                d.close();
            }
            case null, default -> {
            }
        }
        System.out.println("done");
    }

    /** Reads "ping\n" through a selector, answers, closes: the peer then sees the end of the stream. */
    private static void serve(SocketChannel s, String kind) throws IOException {
        s.configureBlocking(false);
        ByteBuffer b = ByteBuffer.allocate(100);
        try (Selector sel = s.provider().openSelector()) {
            s.register(sel, SelectionKey.OP_READ);
            while (b.position() == 0 || b.get(b.position() - 1) != '\n') {
                if (sel.select(30_000) == 0) {
                    throw new IOException("no request in 30 s");
                }
                sel.selectedKeys().clear();
                if (s.read(b) < 0) {
                    throw new IOException("end of stream before the request");
                }
            }
        }
        String line = new String(b.array(), 0, b.position() - 1);
        s.configureBlocking(true);
        s.write(ByteBuffer.wrap(("pong " + line + " " + kind + "\n").getBytes()));
        s.close();
    }
}
