package dev.isthmus.tests.bench.nio;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;

import java.io.IOException;
import java.io.Serial;
import java.nio.channels.spi.AsynchronousChannelProvider;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Tomcat 11's embedded server, unmodified, for {@code scripts/bench --vs nio} ({@code tomcat-nio2}, and
 * {@code tomcat-nio2-isthmus} in a JVM started with our AsynchronousChannelProvider): one connector with the NIO2
 * protocol ({@code Http11Nio2Protocol}: AsynchronousServerSocketChannel and AsynchronousSocketChannel in an
 * AsynchronousChannelGroup over the connector's executor, all from {@link AsynchronousChannelProvider#provider()})
 * and a servlet that answers every GET with {@code 200}, {@code Content-Type: text/plain} and "Hello, World!".
 * Tomcat adds its own {@code Date} header.
 *
 * <p>Threads: the connector's executor, which is also the channel group's pool, keeps {@code --workers} threads
 * (1 by default) and may grow to 4 × that: a servlet's blocking write waits for a completion that another pool
 * thread may have to deliver, so one thread alone could wait for itself. Tomcat's default (10 to 200 threads)
 * would only add idle threads on the one CPU the bench gives a server. Tomcat's base directory
 * ({@code tomcat.PID}) goes in the working directory, which the harness sets to the run's log directory.
 * <pre>
 * java -cp ... dev.isthmus.tests.bench.nio.TomcatNio2Main --app http --host 127.0.0.1 --port 0 --workers 1
 * </pre>
 * Exit status 2 for a bad command line, 1 when it cannot listen; runs until SIGTERM.
 */
public final class TomcatNio2Main {

    static final String NAME = "tomcat-nio2";
    static final String PROTOCOL = "org.apache.coyote.http11.Http11Nio2Protocol";
    private static final byte[] BODY = HelloServerArguments.BODY.getBytes(StandardCharsets.US_ASCII);

    private TomcatNio2Main() {
    }

    public static void main(String[] args) throws IOException {
        HelloServerArguments a = HelloServerArguments.parseOrExit(NAME, args);
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(Files.createDirectories(Path.of("tomcat." + ProcessHandle.current().pid())).toString());
        Connector connector = new Connector(PROTOCOL);
        connector.setPort(a.port());
        connector.setProperty("address", a.host());
        connector.setProperty("acceptCount", "1024");
        connector.setProperty("minSpareThreads", Integer.toString(a.workers()));
        connector.setProperty("maxThreads", Integer.toString(4 * a.workers()));
        tomcat.setConnector(connector);
        Context ctx = tomcat.addContext("", null);
        Tomcat.addServlet(ctx, "hello", new Hello());
        ctx.addServletMappingDecoded("/*", "hello");
        try {
            tomcat.start();
        } catch (LifecycleException e) {
            HelloServerArguments.exitCannotServe(NAME, "cannot start on " + a.host() + ":" + a.port() + ": " + e);
            return;
        }
        if (connector.getLocalPort() <= 0) { // Tomcat logs a failed bind and goes on without the connector
            HelloServerArguments.exitCannotServe(NAME, "cannot listen on " + a.host() + ":" + a.port() + " (see Tomcat's log above)");
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                tomcat.stop();
                tomcat.destroy();
            } catch (LifecycleException e) {
                System.err.println(NAME + ": stopping: " + e);
            }
        }, NAME + "-shutdown"));
        HelloServerArguments.announce(NAME, connector.getProtocolHandler().getClass().getSimpleName() + ", executor of "
                + a.workers() + ".." + 4 * a.workers() + " threads", AsynchronousChannelProvider.provider(), a.host(),
                connector.getLocalPort());
    }

    /** The servlet: the same 13 bytes for every GET. */
    private static final class Hello extends HttpServlet {
        @Serial
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            resp.setContentType("text/plain");
            resp.setContentLength(BODY.length);
            resp.getOutputStream().write(BODY);
        }
    }
}
