package dev.isthmus.stack.nio;

import dev.isthmus.stack.NetworkStack;
import dev.isthmus.stack.StackOptions;
import dev.isthmus.stack.spi.NetworkStackProvider;

import java.io.IOException;

/** Registers the {@code nio} stack: always available, chosen by {@code auto} only when no native stack is. */
public final class NioStackProvider implements NetworkStackProvider {

    @Override
    public String name() {
        return "nio";
    }

    @Override
    public int autoPriority() {
        return 10;
    }

    @Override
    public Availability availability() {
        return Availability.yes("JDK " + Runtime.version() + " selector");
    }

    @Override
    public NetworkStack open(StackOptions options) throws IOException {
        return new NioNetworkStack(options);
    }
}
