package dev.isthmus.tests.conformance;

import dev.isthmus.stack.Capability;
import dev.isthmus.stack.NetworkStack;
import dev.isthmus.stack.NetworkStacks;
import dev.isthmus.stack.StackOptions;
import dev.isthmus.stack.spi.NetworkStackProvider;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * One stack (and one of its option variants) the conformance suite runs against: its name, how to open
 * it, and which addresses to use. Kernel stacks (nio, epoll, io_uring) use loopback for themselves and
 * their peers. dpdk needs a fixture ({@link DpdkTapFixture}: a net_tap device in the network namespace
 * the suite's JVM runs in) and is left out unless {@code -D}{@value #DPDK_FIXTURE_PROPERTY} names one (the
 * module's {@code dpdk} surefire execution does): it then uses its own address, and the tests' JDK
 * sockets, its kernel peers, bind {@link #peerIpv4()} and reach it over the tap.
 *
 * <p>The list comes from {@link ServiceLoader} (every {@link NetworkStackProvider} on the class path),
 * one entry for the defaults plus one per {@link NetworkStackProvider#conformanceVariants()} map.
 * {@code -Disthmus.conformance.stacks=nio,epoll} restricts the run to those names (a variant is selected
 * by its stack name, or by its label, e.g. {@code "io_uring no-opt"}). A stack found but unavailable
 * stays in the list, so that every test shows it as skipped with the provider's reason.
 *
 * @param name        the stack name for {@link NetworkStacks#open(String, StackOptions)}
 * @param variant     the backend properties of this variant (empty for the defaults)
 * @param label       what test names show, e.g. {@code nio} or {@code io_uring no-opt}
 * @param skipReason  null when the suite can run it; otherwise why not
 */
record StackUnderTest(String name, Map<String, String> variant, String label, String skipReason) {

    /** Restricts the run: a comma-separated list of stack names or labels. */
    static final String STACKS_PROPERTY = "isthmus.conformance.stacks";
    /** Set when the dpdk fixture exists: the namespace src/test/netns/bin/java made for this JVM. */
    static final String DPDK_FIXTURE_PROPERTY = "isthmus.conformance.dpdk";

    /** Makes a dpdk fixture that cannot run fail the suite instead of skipping every dpdk case (CI sets it). */
    static final String DPDK_REQUIRED_PROPERTY = "isthmus.conformance.dpdk.required";

    StackUnderTest {
        variant = Map.copyOf(variant);
    }

    /** The stacks to run against; never empty, so a missing backend shows as a skipped test, not "no tests". */
    static List<StackUnderTest> all() {
        List<StackUnderTest> out = new ArrayList<>();
        List<NetworkStackProvider> providers = new ArrayList<>();
        ServiceLoader.load(NetworkStackProvider.class).forEach(providers::add);
        providers.sort((a, b) -> Integer.compare(b.autoPriority(), a.autoPriority()));
        for (NetworkStackProvider p : providers) {
            NetworkStackProvider.Availability a = p.availability();
            String skip = a.available() ? null : "stack " + p.name() + " is not available here: " + a.reason();
            if (p.name().equals("dpdk")) {
                if (System.getProperty(DPDK_FIXTURE_PROPERTY) == null) {
                    // The dpdk stack needs its fixture (a netns for the JVM, net_tap): the module's dpdk
                    // execution runs the suite on it in a JVM of its own; the others leave it out.
                    continue;
                }
                if (skip == null) {
                    skip = DpdkTapFixture.unavailableReason();
                }
                if (skip != null && Boolean.getBoolean(DPDK_REQUIRED_PROPERTY)) {
                    throw new IllegalStateException("-D" + DPDK_REQUIRED_PROPERTY + ": the dpdk conformance run cannot run here: " + skip);
                }
            }
            out.add(new StackUnderTest(p.name(), Map.of(), p.name(), skip));
            for (Map<String, String> v : a.available() ? p.conformanceVariants() : List.<Map<String, String>>of()) {
                out.add(new StackUnderTest(p.name(), v, p.name() + " " + variantLabel(p.name(), v), skip));
            }
        }
        String only = System.getProperty(STACKS_PROPERTY, "").trim();
        if (!only.isEmpty()) {
            Set<String> wanted = Arrays.stream(only.split(",")).map(String::trim).collect(Collectors.toSet());
            out.removeIf(s -> !wanted.contains(s.name) && !wanted.contains(s.label));
        }
        if (out.isEmpty()) {
            out.add(new StackUnderTest("none", Map.of(), "none",
                    providers.isEmpty() ? "no NetworkStackProvider on the class path"
                            : "-D" + STACKS_PROPERTY + "=" + only + " matched none of "
                            + providers.stream().map(NetworkStackProvider::name).toList()));
        }
        return out;
    }

    /**
     * A variant's label: its {@code variant} entry when it has one, else its entries with the stack's own
     * prefix dropped ({@code io_uring.sqpoll=false} shows as {@code sqpoll=false}).
     */
    static String variantLabel(String stack, Map<String, String> v) {
        if (v.containsKey("variant")) {
            return v.get("variant");
        }
        return new TreeMap<>(v).entrySet().stream()
                .map(e -> (e.getKey().startsWith(stack + ".") ? e.getKey().substring(stack.length() + 1) : e.getKey())
                        + "=" + e.getValue())
                .collect(Collectors.joining(","));
    }

    /** Aborts the calling test (reported as skipped, with the reason) unless this stack can run here. */
    void assumeAvailable() {
        Assumptions.assumeTrue(skipReason == null, () -> skipReason);
    }

    /** Options for this variant: {@code base} with the variant's properties applied. */
    StackOptions options(StackOptions base) {
        StackOptions o = base;
        for (Map.Entry<String, String> e : new TreeMap<>(variant).entrySet()) {
            o = o.withProperty(e.getKey(), e.getValue());
        }
        return o;
    }

    /** Opens the stack with {@code workers} workers and otherwise default options. */
    NetworkStack open(int workers) throws IOException {
        return open(StackOptions.defaults().withWorkers(workers));
    }

    /** Opens the stack through the public entry point, as an application would; {@link LeakCheck} checks it after the test. */
    NetworkStack open(StackOptions base) throws IOException {
        assumeAvailable();
        NetworkStack s = isDpdk() ? DpdkTapFixture.open(options(base), o -> NetworkStacks.open(name, o))
                : NetworkStacks.open(name, options(base));
        LeakCheck.opened(s);
        if (!s.name().equals(name)) {
            s.close();
            throw new AssertionError("NetworkStacks.open(\"" + name + "\") returned stack " + s.name());
        }
        return s;
    }

    /** Whether this is the userspace stack: its own address on a tap, no fds, no kernel socket options. */
    boolean isDpdk() {
        return name.equals("dpdk");
    }

    /**
     * The IPv4 address of the stack: where it listens, and what it connects to when it talks to itself.
     * 127.0.0.1 for the kernel stacks; for dpdk the address of the first stack a test opens
     * ({@link DpdkTapFixture#STACK}).
     */
    InetAddress ipv4() {
        if (isDpdk()) {
            return DpdkTapFixture.STACK;
        }
        return loopback();
    }

    /**
     * The IPv4 address the tests' JDK sockets (the stack's kernel peers) bind: 127.0.0.1 for the kernel
     * stacks; for dpdk an address of the kernel's in the fixture's namespace ({@link DpdkTapFixture#PEER}).
     */
    InetAddress peerIpv4() {
        if (isDpdk()) {
            return DpdkTapFixture.PEER;
        }
        return loopback();
    }

    private static InetAddress loopback() {
        try {
            return InetAddress.getByAddress("localhost", new byte[]{127, 0, 0, 1});
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    /** The IPv6 address, after checking that the stack and the machine have IPv6 on loopback. */
    InetAddress ipv6(NetworkStack stack) {
        Assumptions.assumeTrue(stack.capabilities().contains(Capability.IPV6), () -> label + " has no IPV6 capability");
        try {
            NetworkInterface lo = NetworkInterface.getByName("lo");
            boolean has = lo != null && lo.inetAddresses().anyMatch(a -> a instanceof Inet6Address && a.isLoopbackAddress());
            Assumptions.assumeTrue(has, "this machine has no ::1 on lo");
            return InetAddress.getByName("::1");
        } catch (SocketException | UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    /** Skips the calling test unless the stack has every capability in {@code caps}. */
    static void assumeCapabilities(NetworkStack stack, Capability... caps) {
        Set<Capability> missing = new LinkedHashSet<>(Arrays.asList(caps));
        missing.removeAll(stack.capabilities());
        Assumptions.assumeTrue(missing.isEmpty(), () -> "stack " + stack.name() + " lacks " + missing);
    }

    @Override
    public String toString() {
        return Objects.requireNonNull(label);
    }
}
