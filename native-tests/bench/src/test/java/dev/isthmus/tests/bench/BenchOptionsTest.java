package dev.isthmus.tests.bench;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BenchOptionsTest {

    private static String refused(String... args) {
        return assertThrows(BenchOptions.UsageException.class, () -> BenchOptions.parse(args)).getMessage();
    }

    @Test
    void defaultsAreTheDesignsMeasuringSetup() throws Exception {
        BenchOptions o = BenchOptions.parse();
        assertEquals(List.of("all"), o.stacks);
        assertEquals(1, o.workers);
        assertEquals(64, o.connections);
        assertEquals(8, o.warmupSeconds);
        assertEquals(10, o.durationSeconds);
        assertEquals(2, o.rounds);
        assertTrue(o.pinning(2));
        assertFalse(o.pinning(1));
        assertEquals(List.of(BenchOptions.Mode.HTTP, BenchOptions.Mode.PINGPONG), List.copyOf(o.modes));
    }

    @Test
    void udpModeAndItsKnobs() throws Exception {
        BenchOptions d = BenchOptions.parse("--mode", "udp");
        assertEquals(List.of(BenchOptions.Mode.UDP), List.copyOf(d.modes));
        assertEquals(16, d.flows);
        assertEquals(2, d.stepSeconds);
        assertEquals(20_000, d.rateStart);
        assertEquals(1.25, d.rateFactor);
        BenchOptions o = BenchOptions.parse("--mode", "udp", "--flows", "4", "--step-seconds", "0.5",
                "--rate-start", "1000", "--rate-factor", "2", "--size", "128");
        assertEquals(4, o.flows);
        assertEquals(0.5, o.stepSeconds);
        assertEquals(1000, o.rateStart);
        assertEquals(2, o.rateFactor);
        assertEquals(128, o.messageSize);
        assertEquals("--mode takes http, echo, pingpong or udp, was 'sctp'", refused("--mode", "sctp"));
        assertEquals("--flows must be from 1 to 4096, was 0", refused("--flows", "0"));
        assertEquals("--rate-factor must be from 1.01 to 10, was 1", refused("--rate-factor", "1"));
        assertEquals("--rate-factor must be a number, was 'fast'", refused("--rate-factor", "fast"));
        assertTrue(refused("--mode", "udp", "--size", "8").startsWith("--size for udp must be from 16"));
        assertTrue(refused("--mode", "udp", "--size", "2000").contains("1472"));
        for (String s : new String[] {"--flows", "--step-seconds", "--rate-start", "--rate-factor", "udp"}) {
            assertTrue(BenchOptions.usage().contains(s), s);
        }
    }

    @Test
    void everyKnob() throws Exception {
        BenchOptions o = BenchOptions.parse("--stacks", "epoll,io_uring", "--vs", "netty", "--mode=echo",
                "--workers", "2", "--connections", "8", "--pipeline", "4", "--duration", "2.5s", "--warmup", "0",
                "--rounds", "3", "--size", "1024", "--rate", "50000", "--no-pin", "--driver", "wrk", "--port", "9000");
        assertEquals(List.of("epoll", "io_uring"), o.stacks);
        assertTrue(o.vsNetty);
        assertEquals(List.of(BenchOptions.Mode.ECHO), List.copyOf(o.modes));
        assertEquals(2.5, o.durationSeconds);
        assertEquals(50_000, o.rate);
        assertFalse(o.pinning(8));
        assertEquals(BenchOptions.Driver.WRK, o.driver);
    }

    @Test
    void badInputSaysWhatWasWrong() {
        assertTrue(refused("--connections", "0").contains("--connections must be from 1"));
        assertTrue(refused("--workers", "two").contains("--workers must be a whole number, was 'two'"));
        assertTrue(refused("--mode", "quic").contains("--mode takes http, echo, pingpong or udp, was 'quic'"));
        assertTrue(refused("--driver", "ab").contains("--driver must be builtin or wrk"));
        assertTrue(refused("--vs", "nginx").contains("--vs knows netty, c and nio, was 'nginx'"));
        assertTrue(refused("--no-syscalls=yes").contains("--no-syscalls takes no value"));
        assertTrue(refused("--vs", "c,rust").contains("was 'rust'"));
        assertTrue(refused("--frobnicate", "1").contains("unknown option '--frobnicate'"));
        assertTrue(refused("--duration").contains("--duration needs a value"));
        assertTrue(refused("--duration", "-1").contains("--duration must be from"));
        assertTrue(refused("--stacks", "nio,,epoll").contains("empty name"));
        assertTrue(refused("--request-size", "40").contains("--request-size"));
        assertTrue(refused("--total", "60", "--duration", "5").contains("not both"));
        assertTrue(refused("--pin=yes").contains("--pin takes no value"));
        assertTrue(refused("stray").contains("unexpected argument 'stray'"));
    }

    @Test
    void vsTakesNettyCOrBoth() throws Exception {
        BenchOptions c = BenchOptions.parse("--vs", "c");
        assertTrue(c.vsC);
        assertFalse(c.vsNetty);
        BenchOptions both = BenchOptions.parse("--vs=netty,c");
        assertTrue(both.vsC && both.vsNetty);
        BenchOptions twice = BenchOptions.parse("--vs", "netty", "--vs", "c");
        assertTrue(twice.vsC && twice.vsNetty);
        assertFalse(BenchOptions.parse().vsC);
        BenchOptions nio = BenchOptions.parse("--vs", "nio,netty");
        assertTrue(nio.vsNio && nio.vsNetty && !nio.vsC);
        assertFalse(BenchOptions.parse().vsNio);
    }

    @Test
    void syscallsAreCountedUnlessTurnedOff() throws Exception {
        assertTrue(BenchOptions.parse().syscalls);
        assertFalse(BenchOptions.parse("--no-syscalls").syscalls);
    }

    @Test
    void cSourcesDefaultToTheCheckoutAndTheScriptsSetThem() throws Exception {
        assertEquals(java.nio.file.Path.of("native-tests/bench/src/main/c"), BenchOptions.parse().cSources);
        assertEquals(java.nio.file.Path.of("/x/c"), BenchOptions.parse("--c-sources", "/x/c").cSources);
        assertTrue(refused("--c-sources", " ").contains("must not be empty"));
        // The scripts' paths are not part of the command shown in the results.
        assertEquals("scripts/bench --vs c", Bench.userCommand(new String[]{"--serve-argfile", "a", "--c-sources=/x",
                "--vs", "c"}));
    }

    @Test
    void slicesInterleaveWrksHttpRunsInWholeSeconds() throws Exception {
        assertEquals(1, BenchOptions.parse().slices);
        BenchOptions o = BenchOptions.parse("--driver", "wrk", "--mode", "http", "--slices", "5", "--duration", "5");
        assertEquals(5, o.slices);
        assertEquals(1, o.sliceSeconds());
        assertEquals(2, BenchOptions.parse("--driver", "wrk", "--mode", "http", "--slices", "4", "--duration", "9")
                .sliceSeconds()); // wrk runs whole seconds: 9 / 4 -> 2
        assertTrue(refused("--slices", "2", "--mode", "http").contains("--slices interleaves wrk's http runs"));
        assertTrue(refused("--slices", "2", "--driver", "wrk").contains("--driver wrk --mode http")); // default modes: http,pingpong
        assertTrue(refused("--slices", "2", "--driver", "wrk", "--mode", "http", "--total", "60").contains("not --total"));
        assertTrue(refused("--slices", "6", "--driver", "wrk", "--mode", "http", "--duration", "5")
                .contains("gives slices under wrk's shortest run, 1 s: give at least 6 s"));
        assertTrue(refused("--slices", "0").contains("--slices must be from 1"));
    }

    @Test
    void pipelineIsAcceptedWithWrk() throws Exception {
        BenchOptions o = BenchOptions.parse("--driver", "wrk", "--pipeline", "16");
        assertEquals(16, o.pipeline);
        assertEquals(BenchOptions.Driver.WRK, o.driver);
    }

    @Test
    void usageNamesEverySwitch() {
        String u = BenchOptions.usage();
        for (String s : List.of("--stacks", "--vs netty", "--vs c", "c-epoll", "c-io_uring", "--mode", "--workers", "--connections", "--pipeline",
                "--duration", "--warmup", "--total", "--rounds", "--slices", "--request-size", "--size", "--rate", "--pin",
                "--client-stack", "--driver", "--port", "--jmh", "--vs nio", "--no-syscalls", "raw_syscalls:sys_enter",
                "dev.isthmus.nio.channels.IsthmusSelectorProvider", "dev.isthmus.nio.channels.IsthmusAsynchronousChannelProvider")) {
            assertTrue(u.contains(s), s);
        }
        for (String s : NioServers.vsNio()) { // every server --vs nio adds, by name
            assertTrue(u.contains(s), s);
        }
    }
}
