package dev.isthmus.tests.nioprovider;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousServerSocketChannel;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.CompletionHandler;
import java.nio.channels.spi.AsynchronousChannelProvider;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * Run in a child JVM by {@link AsyncProviderInChildJvmTest}: plain asynchronous-channel code on the default group
 * ({@code AsynchronousServerSocketChannel.open()}, no provider named anywhere), an echo server driven by
 * CompletionHandlers and four clients using Futures, each sending {@code n} messages of up to 100 KB and checking
 * every echoed byte. Prints {@code provider=<class>} and {@code ok <n>}; exits 1 on the first wrong byte.
 */
public final class AsyncRoundTrip {
    private AsyncRoundTrip() {
    }

    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(args[0]);
        System.out.println("provider=" + AsynchronousChannelProvider.provider().getClass().getName());
        AsynchronousServerSocketChannel server = AsynchronousServerSocketChannel.open()
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        server.accept(null, new CompletionHandler<AsynchronousSocketChannel, Object>() {
            @Override
            public void completed(AsynchronousSocketChannel ch, Object a) {
                server.accept(null, this);
                echo(ch, ByteBuffer.allocateDirect(16 * 1024));
            }

            @Override
            public void failed(Throwable t, Object a) {
            }
        });
        AsynchronousSocketChannel[] clients = new AsynchronousSocketChannel[4];
        for (int i = 0; i < clients.length; i++) {
            clients[i] = AsynchronousSocketChannel.open();
            clients[i].connect(server.getLocalAddress()).get(20, TimeUnit.SECONDS);
        }
        for (int m = 0; m < n; m++) {
            for (int i = 0; i < clients.length; i++) {
                byte[] sent = HttpRoundTrip.body(1 + (m * 7919 + i * 104729) % 100_000, m + i);
                ByteBuffer out = ByteBuffer.wrap(sent);
                while (out.hasRemaining()) {
                    clients[i].write(out).get(20, TimeUnit.SECONDS);
                }
                ByteBuffer in = ByteBuffer.allocate(sent.length);
                while (in.hasRemaining()) {
                    if (clients[i].read(in).get(20, TimeUnit.SECONDS) < 0) {
                        throw new IllegalStateException("EOF");
                    }
                }
                if (!Arrays.equals(sent, in.array())) {
                    System.out.println("wrong echo for message " + m + " of client " + i);
                    System.exit(1);
                }
            }
        }
        for (AsynchronousSocketChannel c : clients) {
            c.close();
        }
        server.close();
        System.out.println("ok " + n);
    }

    private static void echo(AsynchronousSocketChannel ch, ByteBuffer buf) {
        ch.read(buf, 30, TimeUnit.SECONDS, buf, new CompletionHandler<Integer, ByteBuffer>() {
            @Override
            public void completed(Integer r, ByteBuffer b) {
                if (r < 0) {
                    closeQuietly(ch);
                    return;
                }
                b.flip();
                CompletionHandler<Integer, ByteBuffer> reader = this;
                ch.write(b, b, new CompletionHandler<Integer, ByteBuffer>() {
                    @Override
                    public void completed(Integer w, ByteBuffer bb) {
                        if (bb.hasRemaining()) {
                            ch.write(bb, bb, this);
                        } else {
                            bb.clear();
                            ch.read(bb, 30, TimeUnit.SECONDS, bb, reader);
                        }
                    }

                    @Override
                    public void failed(Throwable t, ByteBuffer bb) {
                        closeQuietly(ch);
                    }
                });
            }

            @Override
            public void failed(Throwable t, ByteBuffer b) {
                closeQuietly(ch);
            }
        });
    }

    private static void closeQuietly(AsynchronousSocketChannel ch) {
        try {
            ch.close();
        } catch (java.io.IOException ignored) {
            // closing after the peer went away
        }
    }
}
