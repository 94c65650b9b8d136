package dev.isthmus.stack.cli;

import dev.isthmus.stack.Capability;
import dev.isthmus.stack.ConnectionHandlerFactory;
import dev.isthmus.stack.Listener;
import dev.isthmus.stack.NetworkStack;
import dev.isthmus.stack.NetworkStacks;
import dev.isthmus.stack.examples.EchoServer;
import dev.isthmus.stack.examples.HttpServer;
import dev.isthmus.stack.examples.UdpEchoServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.PrintStream;
import java.net.BindException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;

/**
 * {@code scripts/serve}: runs {@link EchoServer}, {@link HttpServer} or {@link UdpEchoServer} on one stack in the foreground,
 * until SIGINT or SIGTERM closes the stack. Exit status: 0 after {@code --help} or {@code --list-stacks},
 * 2 for a bad command line, 1 when the stack cannot start or the address cannot be listened on.
 * <pre>
 * java --enable-native-access=dev.isthmus.stack,... -p MODULE_PATH --add-modules ALL-MODULE-PATH \
 *      -m dev.isthmus.stack/dev.isthmus.stack.cli.Serve --stack epoll --port 8080
 * </pre>
 */
public final class Serve {
    private static final Logger LOG = LoggerFactory.getLogger(Serve.class);

    /** Exit status for a command line that cannot be run. */
    static final int EXIT_USAGE = 2;
    /** Exit status for a failure to start. */
    static final int EXIT_FAILED = 1;

    private Serve() {
    }

    public static void main(String[] args) throws InterruptedException {
        int status = run(args, System.out, System.err);
        if (status >= 0) {
            System.exit(status);
        }
        new CountDownLatch(1).await(); // serving: the shutdown hook ends the process
    }

    /**
     * Starts serving as {@code args} say and returns -1, or returns the exit status when there is
     * nothing to serve (help, a list, an error, reported on {@code err}).
     */
    static int run(String[] args, PrintStream out, PrintStream err) {
        ServeOptions o;
        try {
            o = ServeOptions.parse(args);
        } catch (ServeOptions.UsageException e) {
            err.println("serve: " + e.getMessage());
            err.println("try --help");
            return EXIT_USAGE;
        }
        if (o.help) {
            out.println(ServeOptions.usage());
            return 0;
        }
        List<NetworkStacks.StackInfo> stacks = NetworkStacks.list();
        if (o.listStacks) {
            for (NetworkStacks.StackInfo s : stacks) {
                out.println(s.name() + "\t" + (s.available() ? "available" : "unavailable") + "\t"
                        + s.autoPriority() + "\t" + s.reason());
            }
            return 0;
        }
        if (!o.stack.equals("auto") && stacks.stream().noneMatch(s -> s.name().equals(o.stack))) {
            err.println("serve: unknown stack '" + o.stack + "'; known: auto"
                    + stacks.stream().map(s -> ", " + s.name()).collect(Collectors.joining()));
            return EXIT_USAGE;
        }
        InetAddress address;
        try {
            address = InetAddress.getByName(o.host);
        } catch (UnknownHostException e) {
            err.println("serve: --host: cannot resolve '" + o.host + "'");
            return EXIT_USAGE;
        }
        ConnectionHandlerFactory app = o.app.equals("echo") ? EchoServer::new : HttpServer::new;
        if (!o.udp() && o.port != 0 && inUse(address, o.port)) {
            err.println("serve: port " + o.port + " is in use");
            return EXIT_FAILED;
        }

        NetworkStack stack;
        try {
            stack = NetworkStacks.open(o.stack, o.stackOptions());
        } catch (IOException | RuntimeException e) {
            err.println("serve: cannot open stack '" + o.stack + "': " + e.getMessage());
            return EXIT_FAILED;
        }
        boolean pins = o.pin && stack.capabilities().contains(Capability.WORKER_PINNING);
        boolean spins = o.spinMicros > 0 && stack.capabilities().contains(Capability.SPIN);
        LOG.info("stack {} with {} worker(s){}{}", stack.name(), stack.workers().size(),
                pins ? ", pinned from CPU " + o.firstCpu : o.pin ? ", not pinned (the stack cannot pin)" : "",
                spins ? ", spinning " + o.spinMicros + " us before sleeping"
                        : o.spinMicros > 0 ? ", not spinning (the stack cannot spin)" : "");
        if (o.udp()) {
            return serveUdp(o, stack, address, err, out);
        }
        Listener listener;
        try {
            listener = stack.listen(new InetSocketAddress(address, o.port), o.listenOptions(), app);
        } catch (IOException | RuntimeException e) {
            stack.close(Duration.ZERO);
            if (inUse(e)) {
                err.println("serve: port " + o.port + " is in use");
            } else {
                err.println("serve: cannot listen on " + hostPort(address, o.port) + ": " + e.getMessage());
            }
            return EXIT_FAILED;
        }
        int port = listener.localAddress() instanceof InetSocketAddress a ? a.getPort() : o.port;
        Duration deadline = stack.options().closeDrainTimeout();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            LOG.info("stopping: closing stack {} (pending writes get up to {} ms)", stack.name(), deadline.toMillis());
            listener.close();
            stack.close(deadline);
            LOG.info("closed");
        }, "isthmus-serve-shutdown"));
        LOG.info("{} example on {} ({}, accept {})", o.app, hostPort(address, port), stack.name(),
                o.accept.name().toLowerCase(java.util.Locale.ROOT));
        out.println("listening on " + hostPort(address, port)); // the line scripts wait for
        out.flush();
        return -1;
    }

    /**
     * {@code --app udp-echo}: one echo channel per worker, on ports {@code port..port+workers-1}; prints
     * "listening on HOST:FIRST_PORT" once all are bound, and "udp ports: FIRST..LAST" before it.
     */
    private static int serveUdp(ServeOptions o, NetworkStack stack, InetAddress address, PrintStream err,
                                PrintStream out) {
        UdpEchoServer echo;
        try {
            echo = UdpEchoServer.open(stack, address, o.port, stack.workers().size());
        } catch (IOException | RuntimeException e) {
            stack.close(Duration.ZERO);
            err.println("serve: cannot bind UDP " + hostPort(address, o.port) + (stack.workers().size() > 1
                    ? " (and the next " + (stack.workers().size() - 1) + " port(s))" : "") + ": " + e.getMessage());
            return EXIT_FAILED;
        }
        Duration deadline = stack.options().closeDrainTimeout();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            LOG.info("stopping: {} datagram(s) echoed, {} echo(es) dropped", echo.echoed(), echo.dropped());
            echo.close();
            stack.close(deadline);
            LOG.info("closed");
        }, "isthmus-serve-shutdown"));
        int first = echo.firstPort();
        LOG.info("udp-echo example on {} ({}, {} channel(s), one per worker)", hostPort(address, first), stack.name(),
                echo.channels());
        out.println("udp ports: " + first + ".." + (first + echo.channels() - 1));
        out.println("listening on " + hostPort(address, first)); // the line scripts wait for
        out.flush();
        return -1;
    }

    /** EADDRINUSE, whether the stack reported it as the JDK does or as errno, also as a cause. */
    private static boolean inUse(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = String.valueOf(t.getMessage());
            if (m.contains("Address already in use") || m.contains("EADDRINUSE")) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether something listens on the port already. Asked with a plain bind (no SO_REUSEPORT) before the
     * stack listens, because with SO_REUSEPORT a second server of the same user would bind too and
     * silently share the port with the first (socket(7)); a plain bind fails with EADDRINUSE instead.
     */
    private static boolean inUse(InetAddress address, int port) {
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true); // as the stack does: a port in TIME_WAIT is not "in use"
            probe.bind(new InetSocketAddress(address, port), 1);
            return false;
        } catch (BindException e) {
            return inUse((Throwable) e);
        } catch (IOException e) {
            return false; // not our question: the stack's own listen reports it
        }
    }

    private static String hostPort(InetAddress a, int port) {
        String h = a.getHostAddress();
        return (a instanceof Inet6Address ? "[" + h + "]" : h) + ":" + port;
    }
}
