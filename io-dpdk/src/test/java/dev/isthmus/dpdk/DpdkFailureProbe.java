package dev.isthmus.dpdk;

import dev.isthmus.stack.NetworkStack;
import dev.isthmus.stack.NetworkStacks;
import dev.isthmus.stack.StackOptions;

/**
 * Run in a fresh JVM by {@link DpdkUnavailableTest}: opens dpdk with the properties given as KEY=VALUE
 * arguments, twice, printing each failure, then what {@code NetworkStacks.list()} says of dpdk.
 */
public final class DpdkFailureProbe {
    private DpdkFailureProbe() {
    }

    public static void main(String[] args) {
        StackOptions o = StackOptions.defaults().withWorkers(1);
        for (String kv : args) {
            int eq = kv.indexOf('=');
            o = o.withProperty(kv.substring(0, eq), kv.substring(eq + 1));
        }
        for (int i = 1; i <= 2; i++) {
            try (NetworkStack s = NetworkStacks.open("dpdk", o)) {
                System.out.println("open " + i + ": opened " + s.name());
            } catch (Exception e) {
                System.out.println("open " + i + ": " + e.getClass().getSimpleName() + ": " + e.getMessage());
            }
        }
        for (NetworkStacks.StackInfo s : NetworkStacks.list()) {
            if (s.name().equals("dpdk")) {
                System.out.println("list: dpdk " + s.available() + " " + s.reason());
            }
        }
        System.exit(0);
    }
}
