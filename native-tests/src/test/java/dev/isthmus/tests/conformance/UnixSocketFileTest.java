package dev.isthmus.tests.conformance;

import dev.isthmus.stack.Capability;
import dev.isthmus.stack.ListenOptions;
import dev.isthmus.stack.Listener;
import dev.isthmus.stack.NetworkStack;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.UnixDomainSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static dev.isthmus.tests.conformance.Fixtures.onWorker;
import static org.junit.jupiter.api.Assertions.*;

/**
 * A Unix-domain listener's socket file is gone when close returns, on every stack, whether close is called
 * from a thread outside the stack or from a worker; the same path can then be listened on again.
 */
@Timeout(60)
class UnixSocketFileTest {

    static List<StackUnderTest> stacks() {
        return StackUnderTest.all();
    }

    @ParameterizedTest(name = "[{0}] the Unix socket file is removed when the listener closes")
    @MethodSource("stacks")
    void socketFileGoneAfterClose(StackUnderTest sut) throws Exception {
        try (NetworkStack stack = sut.open(2)) {
            Assumptions.assumeTrue(stack.capabilities().contains(Capability.UNIX_SOCKETS),
                    () -> sut.label() + " has no UNIX_SOCKETS capability");
            Path dir = Files.createTempDirectory("isthmus-unix");
            try {
                Path path = dir.resolve("s");
                UnixDomainSocketAddress at = UnixDomainSocketAddress.of(path);

                Listener l = stack.listen(at, ListenOptions.defaults(), Recorder::sink);
                assertTrue(Files.exists(path), "bind created " + path);
                l.close();
                assertFalse(Files.exists(path), "closed from outside the stack: " + path + " removed");

                // From a worker thread, close does not wait for other workers, and still removes the file.
                Listener again = stack.listen(at, ListenOptions.defaults(), Recorder::sink);
                assertTrue(Files.exists(path), "the path can be listened on again");
                onWorker(stack.workers().get(1), () -> {
                    again.close();
                    return null;
                });
                assertFalse(Files.exists(path), "closed from a worker: " + path + " removed");

                stack.listen(at, ListenOptions.defaults(), Recorder::sink).close();
                assertFalse(Files.exists(path));
            } finally {
                Files.deleteIfExists(dir.resolve("s"));
                Files.delete(dir);
            }
        }
    }
}
