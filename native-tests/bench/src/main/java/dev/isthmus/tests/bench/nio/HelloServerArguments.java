package dev.isthmus.tests.bench.nio;

/**
 * The command line the unmodified java.nio servers of {@code scripts/bench --vs nio} share with the Serve
 * launcher and the Netty bench server: {@code --app http --host H --port P --workers N}. They serve HTTP only,
 * so {@code --app} must be {@code http}. A bad command line ends the process with status 2 and a message
 * that names the server and the option.
 *
 * @param host    the address to listen on
 * @param port    the port, 0 for one the kernel picks
 * @param workers how many threads serve requests (each server says in its javadoc what that means for it)
 */
record HelloServerArguments(String host, int port, int workers) {

    /** The body every server sends: the same 13 bytes as {@code Workload.HTTP_REPLY}'s. */
    static final String BODY = "Hello, World!";

    /** Parses {@code args}; on a bad one prints {@code server: message} and exits with status 2. */
    static HelloServerArguments parseOrExit(String server, String[] args) {
        try {
            return parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(server + ": " + e.getMessage());
            System.exit(2);
            throw new AssertionError("unreachable");
        }
    }

    /** Parses {@code args}; throws with a message naming the bad option. */
    static HelloServerArguments parse(String[] args) {
        String host = "127.0.0.1";
        int port = 8080;
        int workers = 1;
        for (int i = 0; i < args.length; i += 2) {
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(args[i] + " needs a value");
            }
            String v = args[i + 1];
            switch (args[i]) {
                case "--app" -> {
                    if (!v.equals("http")) {
                        throw new IllegalArgumentException("serves HTTP only: --app must be http, was '" + v + "'");
                    }
                }
                case "--host" -> host = v;
                case "--port" -> port = number("--port", v, 0, 65535);
                case "--workers" -> workers = number("--workers", v, 1, 1024);
                default -> throw new IllegalArgumentException("unknown option '" + args[i] + "'");
            }
        }
        return new HelloServerArguments(host, port, workers);
    }

    private static int number(String option, String v, int min, int max) {
        int n;
        try {
            n = Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " must be a whole number, was '" + v + "'");
        }
        if (n < min || n > max) {
            throw new IllegalArgumentException(option + " must be from " + min + " to " + max + ", was " + n);
        }
        return n;
    }

    /** Ends a server that cannot serve: prints {@code server: why} and exits with status 1. */
    static void exitCannotServe(String server, String why) {
        System.err.println(server + ": " + why);
        System.exit(1);
    }

    /**
     * Prints the line the harness waits for ({@code listening on HOST:PORT}, standard output) and, for the
     * log, the java.nio provider the server runs on ({@code provider}: the proof that the system property
     * took effect; each server names only the provider it uses, so that none is instantiated for nothing).
     */
    static void announce(String server, String detail, Object provider, String host, int port) {
        System.err.println(server + ": " + detail + "; provider " + provider.getClass().getName());
        System.out.println("listening on " + host + ":" + port);
        System.out.flush();
    }
}
