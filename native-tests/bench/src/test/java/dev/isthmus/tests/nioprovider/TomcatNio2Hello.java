package dev.isthmus.tests.nioprovider;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.spi.AsynchronousChannelProvider;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;

/**
 * Tomcat 11's embedded server, unmodified, for {@link AsyncProviderInChildJvmTest}: one connector with the NIO2
 * protocol ({@code Http11Nio2Protocol}, built on AsynchronousServerSocketChannel and AsynchronousSocketChannel in
 * an AsynchronousChannelGroup over Tomcat's executor) on 127.0.0.1 and a port the kernel picks. A GET is answered
 * with {@code hello <path>}, a POST with its own body. Prints {@code provider=<class>} and
 * {@code listening on 127.0.0.1:PORT} once started; on a {@code stop} line on its standard input stops and destroys
 * Tomcat (which shuts the connector's AsynchronousChannelGroup down with shutdownNow and awaits its termination),
 * prints {@code stopped} and exits.
 */
public final class TomcatNio2Hello {
    private TomcatNio2Hello() {
    }

    public static void main(String[] args) throws Exception {
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(Files.createTempDirectory("tomcat-nio2").toString());
        Connector connector = new Connector("org.apache.coyote.http11.Http11Nio2Protocol");
        connector.setPort(0);
        connector.setProperty("address", "127.0.0.1");
        tomcat.setConnector(connector);
        Context ctx = tomcat.addContext("", null);
        Tomcat.addServlet(ctx, "hello", new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                resp.setContentType("text/plain");
                resp.getOutputStream().write(("hello " + req.getRequestURI()).getBytes(StandardCharsets.UTF_8));
            }

            @Override
            protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                resp.setContentType("application/octet-stream");
                try (InputStream in = req.getInputStream(); OutputStream out = resp.getOutputStream()) {
                    in.transferTo(out);
                }
            }
        });
        ctx.addServletMappingDecoded("/*", "hello");
        tomcat.start();
        System.out.println("provider=" + AsynchronousChannelProvider.provider().getClass().getName());
        System.out.println("protocol=" + connector.getProtocolHandler().getClass().getName());
        System.out.println("listening on 127.0.0.1:" + connector.getLocalPort());
        java.io.BufferedReader stdin = new java.io.BufferedReader(new java.io.InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = stdin.readLine()) != null && !line.equals("stop")) {
            // wait for the test to ask
        }
        tomcat.stop();
        tomcat.destroy();
        System.out.println("stopped");
        System.exit(0);
    }
}
