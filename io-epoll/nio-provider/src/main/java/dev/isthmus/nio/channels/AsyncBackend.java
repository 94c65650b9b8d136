package dev.isthmus.nio.channels;

import dev.isthmus.uring.StandaloneRing;

import java.io.IOException;
import java.nio.channels.spi.AsynchronousChannelProvider;
import java.util.concurrent.ExecutorService;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The kernel interface the asynchronous channels of {@link IsthmusAsynchronousChannelProvider} run on: io_uring
 * where it can run (io_uring_setup succeeds and the kernel has every opcode the group submits, as the io-uring
 * module probes them), else epoll, with one logged line that says why. The system property {@value #PROPERTY}
 * ({@code io_uring} or {@code epoll}) forces one; forcing io_uring where it cannot run, or any other value, fails
 * with a message that says so.
 */
enum AsyncBackend {
    EPOLL("epoll") {
        @Override
        AsyncGroup open(AsynchronousChannelProvider provider, ExecutorService executor) throws IOException {
            return new EpollChannelGroup(provider, executor);
        }
    },
    IO_URING("io_uring") {
        @Override
        AsyncGroup open(AsynchronousChannelProvider provider, ExecutorService executor) throws IOException {
            return new UringChannelGroup(provider, executor);
        }
    };

    static final String PROPERTY = "isthmus.nio.async.backend";

    private final String value;

    AsyncBackend(String value) {
        this.value = value;
    }

    /** A channel group of this backend whose handlers {@code executor} runs. */
    abstract AsyncGroup open(AsynchronousChannelProvider provider, ExecutorService executor) throws IOException;

    /** The property's value that forces this backend. */
    String value() {
        return value;
    }

    /** The backend the property and this machine give; logs the fall-back to epoll. */
    static AsyncBackend configured() {
        return choose(System.getProperty(PROPERTY), StandaloneRing::unavailability,
                line -> System.getLogger(AsyncBackend.class.getName()).log(System.Logger.Level.INFO, line));
    }

    /**
     * The backend for property value {@code forced} (null: none) when {@code uringUnavailability} gives why io_uring
     * cannot run (null: it can); {@code log} gets the one line that explains a fall-back to epoll.
     *
     * @throws IllegalArgumentException for an unknown value, or io_uring forced where it cannot run
     */
    static AsyncBackend choose(String forced, Supplier<String> uringUnavailability, Consumer<String> log) {
        if (forced != null && forced.equals(EPOLL.value)) {
            return EPOLL;
        }
        if (forced != null && !forced.equals(IO_URING.value)) {
            throw new IllegalArgumentException("-D" + PROPERTY + "=" + forced + ": expected " + IO_URING.value
                    + " or " + EPOLL.value + " (or no value: io_uring where it can run, else epoll)");
        }
        String why = uringUnavailability.get();
        if (why == null) {
            return IO_URING;
        }
        if (forced != null) {
            throw new IllegalArgumentException("-D" + PROPERTY + "=" + IO_URING.value + ", but io_uring cannot run here: " + why);
        }
        log.accept("Isthmus asynchronous channels run on epoll: io_uring cannot run here (" + why + ")");
        return EPOLL;
    }
}
