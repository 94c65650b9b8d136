package dev.isthmus.tests.nioprovider;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty 12's server, unmodified, for {@link NioProviderInChildJvmTest}: one ServerConnector on 127.0.0.1 and
 * a port the kernel picks, answering {@code hello <path>} to every request. Prints
 * {@code listening on 127.0.0.1:PORT} once started; runs until killed.
 */
public final class JettyHello {
    private JettyHello() {
    }

    public static void main(String[] args) throws Exception {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain");
                Content.Sink.write(response, true, "hello " + Request.getPathInContext(request), callback);
                return true;
            }
        });
        server.start();
        System.out.println("listening on 127.0.0.1:" + connector.getLocalPort());
        server.join();
    }
}
