package dev.isthmus.tests.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The unmodified java.nio servers that {@code --vs nio} runs, each on the JDK's providers and on ours (issue 16's
 * benchmark): the JDK's HTTP server ({@code jdk-httpserver}), Jetty ({@code jetty}) and Tomcat's NIO2 connector
 * ({@code tomcat-nio2}), started from {@code dev.isthmus.tests.bench.nio}; a name with {@link #ISTHMUS_SUFFIX}
 * ({@code jetty-isthmus}) is the same server in a JVM started with our providers' system properties, the one-line
 * switch a user makes ({@link #providerProperties()}). They serve HTTP only and send headers of their own
 * ({@code Date}, {@code Server}), so wrk drives them. {@code --vs nio} runs them beside Netty's nio transport on
 * both providers and Netty's epoll transport, the reference for the CPU per request.
 */
final class NioServers {

    /** What turns a server's name into the same server on our providers: {@code jetty-isthmus}. */
    static final String ISTHMUS_SUFFIX = "-isthmus";
    /** The AsynchronousChannelProvider of io-epoll/nio-provider, installed by its system property only. */
    static final String ISTHMUS_ASYNC_PROVIDER = "dev.isthmus.nio.channels.IsthmusAsynchronousChannelProvider";

    /** Each server on the JDK's providers, by name, and the main class that starts it. */
    private static final Map<String, String> MAINS = mains();

    private NioServers() {
    }

    private static Map<String, String> mains() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("jdk-httpserver", "dev.isthmus.tests.bench.nio.JdkHttpServerMain");
        m.put("jetty", "dev.isthmus.tests.bench.nio.JettyMain");
        m.put("tomcat-nio2", "dev.isthmus.tests.bench.nio.TomcatNio2Main");
        return Collections.unmodifiableMap(m); // in this order: names() lists them so
    }

    /** Whether {@code name} is one of these servers, on either provider. */
    static boolean isNio(String name) {
        return MAINS.containsKey(jdkPeer(name));
    }

    /** Whether {@code name} runs on our providers: {@code jetty-isthmus}, {@code netty-nio-isthmus}. */
    static boolean onIsthmus(String name) {
        return name.endsWith(ISTHMUS_SUFFIX);
    }

    /** The same server on the JDK's providers: {@code jetty} for {@code jetty-isthmus}; a JDK one's own name. */
    static String jdkPeer(String name) {
        return onIsthmus(name) ? name.substring(0, name.length() - ISTHMUS_SUFFIX.length()) : name;
    }

    /** The main class of one of these servers. */
    static String mainClass(String name) {
        String main = MAINS.get(jdkPeer(name));
        if (main == null) {
            throw new IllegalArgumentException("not one of the java.nio servers: " + name + "; they are " + names());
        }
        return main;
    }

    /** Every one of these servers' names, each on the JDK's providers followed by the same on ours. */
    static List<String> names() {
        List<String> names = new ArrayList<>();
        for (String s : MAINS.keySet()) {
            names.add(s);
            names.add(s + ISTHMUS_SUFFIX);
        }
        return names;
    }

    /**
     * What {@code --vs nio} adds, in the order they run within a round: each server on the JDK's providers right
     * before the same on ours (A B A B), Netty's nio transport among them, and Netty's epoll transport last, the
     * reference the moonshot measures Netty's nio transport on our provider against.
     */
    static List<String> vsNio() {
        List<String> all = new ArrayList<>(names());
        int tomcat = all.indexOf("tomcat-nio2");
        all.addAll(tomcat, List.of(BenchOptions.NETTY_PREFIX + "nio", BenchOptions.NETTY_PREFIX + "nio" + ISTHMUS_SUFFIX));
        all.add(BenchOptions.NETTY_PREFIX + "epoll");
        return List.copyOf(all);
    }

    /**
     * The JVM options that put a java.nio program on our providers: the whole of the switch, beside the jars and
     * {@code --enable-native-access}. Both are set whatever the server uses: the JDK instantiates a provider only
     * when a channel of its kind is first opened, so the other one costs nothing.
     */
    static List<String> providerProperties() {
        return List.of("-Djava.nio.channels.spi.SelectorProvider=" + BenchOptions.ISTHMUS_SELECTOR_PROVIDER,
                "-Djava.nio.channels.spi.AsynchronousChannelProvider=" + ISTHMUS_ASYNC_PROVIDER);
    }
}
