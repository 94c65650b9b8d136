package dev.isthmus.stack;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Opening stacks by name, by {@code -Disthmus.stack}, and with {@code auto}. Besides {@code nio}, the test
 * class path registers {@link UnavailableTestProvider} (META-INF/services in src/test/resources), a stack
 * that ranks above every real one for {@code auto} but can never run, so that {@code auto} has one to skip.
 */
class NetworkStacksTest {
    private final String savedProperty = System.getProperty(NetworkStacks.STACK_PROPERTY);

    @AfterEach
    void restoreProperty() {
        if (savedProperty == null) {
            System.clearProperty(NetworkStacks.STACK_PROPERTY);
        } else {
            System.setProperty(NetworkStacks.STACK_PROPERTY, savedProperty);
        }
    }

    /** Runs {@code action} and returns what slf4j-simple (which writes to System.err) logged meanwhile. */
    private static String logOf(IoAction action) throws IOException {
        PrintStream saved = System.err;
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
        try {
            action.run();
        } finally {
            System.setErr(saved);
        }
        String s = log.toString(StandardCharsets.UTF_8);
        saved.print(s);
        return s;
    }

    private interface IoAction {
        void run() throws IOException;
    }

    @Test
    void openWithoutNameReadsTheSystemProperty() throws IOException {
        System.setProperty(NetworkStacks.STACK_PROPERTY, "nio");
        try (NetworkStack s = NetworkStacks.open(StackOptions.defaults().withWorkers(1))) {
            assertEquals("nio", s.name());
        }
        System.setProperty(NetworkStacks.STACK_PROPERTY, "no-such-stack");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, NetworkStacks::open,
                "open() must use the stack the property names");
        assertTrue(e.getMessage().contains("'no-such-stack'") && e.getMessage().contains("nio"), e.getMessage());
        System.setProperty(NetworkStacks.STACK_PROPERTY, UnavailableTestProvider.NAME);
        IOException u = assertThrows(IOException.class, NetworkStacks::open);
        assertTrue(u.getMessage().contains(UnavailableTestProvider.REASON), "the provider's reason: " + u.getMessage());
    }

    @Test
    void autoByDefaultLogsItsChoiceAndWhatItSkipped() throws IOException {
        System.clearProperty(NetworkStacks.STACK_PROPERTY);
        String[] name = new String[1];
        String log = logOf(() -> {
            try (NetworkStack s = NetworkStacks.open(StackOptions.defaults().withWorkers(1))) {
                name[0] = s.name();
            }
        });
        assertEquals("nio", name[0], "auto takes the best available stack");
        assertTrue(log.contains("auto: chose stack nio"), "the choice is logged: " + log);
        assertTrue(log.contains(UnavailableTestProvider.NAME) && log.contains(UnavailableTestProvider.REASON),
                "the skipped stack and why are logged: " + log);
    }

    @Test
    void listShowsEveryProviderHighestPriorityFirst() {
        var list = NetworkStacks.list();
        assertEquals(UnavailableTestProvider.NAME, list.getFirst().name());
        assertFalse(list.getFirst().available());
        assertEquals(UnavailableTestProvider.REASON, list.getFirst().reason());
        assertTrue(list.stream().anyMatch(i -> i.name().equals("nio") && i.available()), list.toString());
    }
}
