package dev.isthmus.tests.bench;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.io.TempDir;

class ServerSpecTest {
    @Test
    void switchesBecomeServeArguments() throws Exception {
        ServerSpec s = ServerSpec.parse("io_uring+spin-us=50+io_uring.sqpoll=true");
        assertEquals("io_uring", s.base());
        assertEquals(List.of("--spin-us", "50", "--property", "io_uring.sqpoll=true"), s.serveArguments());
        assertEquals(List.of(), ServerSpec.parse("epoll").serveArguments());
        assertTrue(ServerSpec.parse("netty-epoll").netty());
    }

    @Test
    void badSwitchesSayWhatIsWrong() {
        assertTrue(assertThrows(BenchOptions.UsageException.class, () -> ServerSpec.parse("epoll+spin"))
                .getMessage().contains("key=value"));
        assertTrue(assertThrows(BenchOptions.UsageException.class, () -> ServerSpec.parse("epoll+spin-us=-1"))
                .getMessage().contains("spin-us"));
        assertTrue(assertThrows(BenchOptions.UsageException.class, () -> ServerSpec.parse("netty-epoll+spin-us=5"))
                .getMessage().contains("Netty"));
        assertThrows(BenchOptions.UsageException.class, () -> ServerSpec.parse("+spin-us=5"));
        assertTrue(assertThrows(BenchOptions.UsageException.class, () -> ServerSpec.parse("jetty-isthmus+spin-us=5"))
                .getMessage().contains("the java.nio servers take no switches"));
    }

    @Test
    void cServersTakeNoSwitchesAndRunTheirExecutable() throws Exception {
        assertTrue(ServerSpec.parse("c-epoll").c());
        assertTrue(assertThrows(BenchOptions.UsageException.class, () -> ServerSpec.parse("c-epoll+spin-us=5"))
                .getMessage().contains("the C servers take no switches"));
        java.nio.file.Path exe = java.nio.file.Path.of("/tmp/run/c-servers/c-io_uring");
        ServerCommand c = new ServerCommand(null, 0, java.nio.file.Path.of("jfr.jfc"), "-Xmx1g",
                java.util.Map.of("c-io_uring", exe));
        assertEquals(List.of("taskset", "-c", "0", exe.toString(), "--app", "echo", "--host", "127.0.0.1", "--port", "99"),
                c.command("c-io_uring", Workload.App.ECHO, 99, 1, java.nio.file.Path.of("x.jfr")));
        assertThrows(IllegalStateException.class, () -> c.command("c-epoll", Workload.App.HTTP, 99, 1, null));
    }

    @Test
    void wrkScriptPipelinesOnlyWhenAsked() {
        assertFalse(WrkDriver.script(1).contains("request = function"));
        String s = WrkDriver.script(16);
        assertTrue(s.contains("for i = 1, 16 do") && s.contains("request = function()"), s);
        assertTrue(s.startsWith(WrkDriver.script(1)), "the report hook stays");
        assertThrows(IllegalArgumentException.class, () -> new WrkDriver(java.nio.file.Path.of("."), 0));
    }

    @Test
    void commandCarriesTheSwitches() {
        ServerCommand c = new ServerCommand(null, null, null, "", java.util.Map.of());
        List<String> cmd = c.command("epoll+spin-us=50", Workload.App.ECHO, 1234, 1, null);
        int i = cmd.indexOf("--stack");
        assertEquals("epoll", cmd.get(i + 1));
        assertTrue(cmd.containsAll(List.of("--spin-us", "50")), cmd.toString());
    }

    @Test
    void buildSwitchLaunchesAnotherCheckoutsJars(@TempDir Path checkout) throws Exception {
        Path args = checkout.resolve("native-tests/target/serve.args");
        Files.createDirectories(args.getParent());
        Files.writeString(args, "\"-m\"\n\"dev.isthmus.stack/dev.isthmus.stack.cli.Serve\"\n");
        String label = "epoll+build=" + checkout + "+spin-us=5";
        ServerSpec s = ServerSpec.parse(label);
        assertEquals(args.toAbsolutePath(), s.build());
        assertEquals(List.of("--spin-us", "5"), s.serveArguments());
        List<String> cmd = new ServerCommand(Path.of("this-build.args"), null, null, "", java.util.Map.of())
                .command(label, Workload.App.HTTP, 1234, 1, null);
        assertTrue(cmd.contains("@" + args.toAbsolutePath()), cmd.toString());
        assertTrue(!cmd.contains("@this-build.args"), cmd.toString());
        assertEquals("epoll", cmd.get(cmd.indexOf("--stack") + 1));
    }

    @Test
    void buildSwitchWithoutABuiltCheckoutSaysHowToBuildIt(@TempDir Path empty) {
        String message = assertThrows(BenchOptions.UsageException.class,
                () -> ServerSpec.parse("epoll+build=" + empty)).getMessage();
        assertTrue(message.contains("scripts/bench --help"), message);
        assertTrue(assertThrows(BenchOptions.UsageException.class,
                () -> ServerSpec.parse("epoll+build=" + empty.resolve("nope"))).getMessage().contains("not a directory"));
    }
}
