package dev.isthmus.tests.bench.netty;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;

import java.net.InetSocketAddress;
import java.util.concurrent.CountDownLatch;

/**
 * The Netty 4.2 peer of the Serve launcher, for {@code scripts/bench --vs netty}: serves
 * {@link HelloHandler} (the same canned "Hello, World!" reply as our HTTP example, found by the end of
 * each request head, no HTTP codec) or {@link EchoHandler} on Netty's nio, epoll or io_uring transport,
 * with one event loop group of {@code --workers} threads that accepts and serves (our servers run their
 * acceptor on their workers too). Prints {@code listening on HOST:PORT} once bound, runs until SIGTERM.
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -cp ... dev.isthmus.tests.bench.netty.NettyServer \
 *      --transport epoll --app http --host 127.0.0.1 --port 8080 --workers 1
 * </pre>
 * Exit status: 2 for a bad command line, 3 when the transport is not available here, 1 when it cannot bind.
 */
public final class NettyServer {

    private NettyServer() {
    }

    public static void main(String[] args) throws Exception {
        String transport = "nio";
        String app = "http";
        String host = "127.0.0.1";
        int port = 8080;
        int workers = 1;
        try {
            for (int i = 0; i < args.length; i += 2) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(args[i] + " needs a value");
                }
                String v = args[i + 1];
                switch (args[i]) {
                    case "--transport" -> transport = v;
                    case "--app" -> app = v;
                    case "--host" -> host = v;
                    case "--port" -> port = Integer.parseInt(v);
                    case "--workers" -> workers = Integer.parseInt(v);
                    default -> throw new IllegalArgumentException("unknown option '" + args[i] + "'");
                }
            }
            if (!app.equals("http") && !app.equals("echo")) {
                throw new IllegalArgumentException("--app must be http or echo, was '" + app + "'");
            }
            if (port < 0 || port > 65535 || workers < 1) {
                throw new IllegalArgumentException("need 0 <= port <= 65535 and workers >= 1");
            }
        } catch (IllegalArgumentException e) {
            System.err.println("netty-server: " + e.getMessage());
            System.exit(2);
            return;
        }

        IoHandlerFactory io;
        Class<? extends ServerChannel> channel;
        switch (transport) {
            case "nio" -> {
                io = NioIoHandler.newFactory();
                channel = NioServerSocketChannel.class;
            }
            case "epoll" -> {
                if (!Epoll.isAvailable()) {
                    unavailable(transport, Epoll.unavailabilityCause());
                }
                io = EpollIoHandler.newFactory();
                channel = EpollServerSocketChannel.class;
            }
            case "io_uring" -> {
                if (!IoUring.isAvailable()) {
                    unavailable(transport, IoUring.unavailabilityCause());
                }
                io = IoUringIoHandler.newFactory();
                channel = IoUringServerSocketChannel.class;
            }
            default -> {
                System.err.println("netty-server: --transport must be nio, epoll or io_uring, was '" + transport + "'");
                System.exit(2);
                return;
            }
        }

        boolean http = app.equals("http");
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(workers, io);
        Channel server;
        try {
            server = new ServerBootstrap()
                    .group(group)
                    .channel(channel)
                    .option(ChannelOption.SO_BACKLOG, 1024)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(http ? new HelloHandler() : new EchoHandler());
                        }
                    })
                    .bind(host, port).sync().channel();
        } catch (Exception e) {
            System.err.println("netty-server: cannot listen on " + host + ":" + port + ": " + e);
            group.shutdownGracefully().syncUninterruptibly();
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close().syncUninterruptibly();
            group.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
            stopped.countDown();
        }, "netty-server-shutdown"));
        InetSocketAddress bound = (InetSocketAddress) server.localAddress();
        System.err.println("netty-server: " + app + " on netty " + transport + ", " + workers + " worker(s)");
        System.out.println("listening on " + bound.getAddress().getHostAddress() + ":" + bound.getPort());
        System.out.flush();
        stopped.await();
    }

    private static void unavailable(String transport, Throwable cause) {
        System.err.println("netty-server: Netty's " + transport + " transport is not available here: " + cause);
        System.exit(3);
    }
}
