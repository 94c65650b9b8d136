package dev.isthmus.tests.bench;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
    }

    @Test
    void commandCarriesTheSwitches() {
        ServerCommand c = new ServerCommand(null, null, null, "");
        List<String> cmd = c.command("epoll+spin-us=50", Workload.App.ECHO, 1234, 1, null);
        int i = cmd.indexOf("--stack");
        assertEquals("epoll", cmd.get(i + 1));
        assertTrue(cmd.containsAll(List.of("--spin-us", "50")), cmd.toString());
    }
}
