package dev.isthmus.tests.bench;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NioServersTest {

    private static final String SELECTOR = "-Djava.nio.channels.spi.SelectorProvider=dev.isthmus.nio.channels.IsthmusSelectorProvider";
    private static final String ASYNC =
            "-Djava.nio.channels.spi.AsynchronousChannelProvider=dev.isthmus.nio.channels.IsthmusAsynchronousChannelProvider";

    @Test
    void vsNioRunsEachServerOnTheJdksProvidersThenOnOursAndNettyEpollLast() {
        assertEquals(List.of("jdk-httpserver", "jdk-httpserver-isthmus", "jetty", "jetty-isthmus", "netty-nio",
                "netty-nio-isthmus", "tomcat-nio2", "tomcat-nio2-isthmus", "netty-epoll"), NioServers.vsNio());
        assertEquals(List.of("jdk-httpserver", "jdk-httpserver-isthmus", "jetty", "jetty-isthmus", "tomcat-nio2",
                "tomcat-nio2-isthmus"), NioServers.names());
    }

    @Test
    void namesAndPeers() {
        assertTrue(NioServers.isNio("jetty") && NioServers.isNio("tomcat-nio2-isthmus"));
        assertFalse(NioServers.isNio("netty-nio") || NioServers.isNio("epoll") || NioServers.isNio("jetty-isthmus-isthmus"));
        assertEquals("jetty", NioServers.jdkPeer("jetty-isthmus"));
        assertEquals("netty-nio", NioServers.jdkPeer("netty-nio-isthmus"));
        assertEquals("jetty", NioServers.jdkPeer("jetty"));
        assertTrue(NioServers.onIsthmus("netty-nio-isthmus") && !NioServers.onIsthmus("netty-nio"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> NioServers.mainClass("undertow"))
                .getMessage().contains("jdk-httpserver"));
    }

    @Test
    void everyMainClassIsThere() throws Exception {
        for (String s : NioServers.names()) {
            Class<?> main = Class.forName(NioServers.mainClass(s));
            assertEquals(void.class, main.getMethod("main", String[].class).getReturnType(), s);
        }
    }

    private static List<String> command(String server) {
        return new ServerCommand(null, 0, null, "", Map.of()).command(server, Workload.App.HTTP, 8080, 1, Path.of("x.jfr"));
    }

    @Test
    void theIsthmusOnesGetOurProvidersAndTheOthersNone() {
        List<String> jdk = command("tomcat-nio2");
        List<String> ours = command("tomcat-nio2-isthmus");
        assertEquals(List.of("taskset", "-c", "0"), jdk.subList(0, 3));
        assertFalse(jdk.contains(SELECTOR) || jdk.contains(ASYNC), jdk.toString());
        assertTrue(ours.contains(SELECTOR) && ours.contains(ASYNC), ours.toString());
        String tail = "dev.isthmus.tests.bench.nio.TomcatNio2Main --app http --host 127.0.0.1 --port 8080 --workers 1";
        assertTrue(String.join(" ", jdk).endsWith(tail), jdk.toString());
        assertTrue(String.join(" ", ours).endsWith(tail), ours.toString());
        assertTrue(String.join(" ", command("jdk-httpserver-isthmus")).endsWith("nio.JdkHttpServerMain --app http --host"
                + " 127.0.0.1 --port 8080 --workers 1"));
        List<String> netty = command("netty-nio-isthmus");
        assertTrue(netty.contains(SELECTOR), netty.toString());
        assertTrue(String.join(" ", netty).contains("netty.NettyServer --transport nio --app http"), netty.toString());
        assertFalse(command("netty-nio").contains(SELECTOR));
    }
}
