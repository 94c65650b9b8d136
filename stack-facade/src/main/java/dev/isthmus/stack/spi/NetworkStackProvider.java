package dev.isthmus.stack.spi;

import dev.isthmus.stack.NetworkStack;
import dev.isthmus.stack.StackOptions;

import java.io.IOException;

/**
 * What a backend registers with {@link java.util.ServiceLoader} (Seastar's
 * {@code network_stack_entry}): a name, whether it can run here and why not, and a factory.
 * Internal to Isthmus: applications use {@link dev.isthmus.stack.NetworkStacks}.
 */
public interface NetworkStackProvider {

    /** The name users select it by: {@code io_uring}, {@code epoll}, {@code dpdk}, {@code nio}. */
    String name();

    /**
     * Preference for {@code auto}: higher wins among available stacks (io_uring 30, epoll 20, nio 10).
     * A negative value means "never chosen by auto" (dpdk, which needs a device).
     */
    int autoPriority();

    /** Whether the stack can run on this machine, with the reason when not. Probed once, cheaply. */
    Availability availability();

    /** Opens the stack; its workers are running when this returns. */
    NetworkStack open(StackOptions options) throws IOException;

    /**
     * Extra option sets the conformance suite runs this stack with, beside the defaults: e.g. io_uring
     * with every optimisation switched off, as on an old kernel. Each map is applied with
     * {@link StackOptions#withProperty}; the suite names the variant after its entries.
     */
    default java.util.List<java.util.Map<String, String>> conformanceVariants() {
        return java.util.List.of();
    }

    /**
     * Whether a stack can run on this machine, and why (not).
     *
     * @param available whether the stack can run here
     * @param reason    why not (or what it found, when available), for logs and errors
     */
    record Availability(boolean available, String reason) {
        /** The stack can run here; {@code what} says what was found (a kernel version, a device). */
        public static Availability yes(String what) {
            return new Availability(true, what);
        }

        /** The stack cannot run here, because of {@code why}. */
        public static Availability no(String why) {
            return new Availability(false, why);
        }
    }
}
