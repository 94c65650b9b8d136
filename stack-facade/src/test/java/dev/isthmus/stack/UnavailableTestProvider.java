package dev.isthmus.stack;

import dev.isthmus.stack.spi.NetworkStackProvider;

/** A provider that {@code auto} ranks first but that can never run, for {@link NetworkStacksTest}. */
public final class UnavailableTestProvider implements NetworkStackProvider {
    static final String NAME = "test-unavailable";
    static final String REASON = "a test provider that never runs";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int autoPriority() {
        return 1_000;
    }

    @Override
    public Availability availability() {
        return Availability.no(REASON);
    }

    @Override
    public NetworkStack open(StackOptions options) {
        throw new AssertionError("open() of an unavailable provider");
    }
}
