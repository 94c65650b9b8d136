package dev.isthmus.tests.bench;

import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProcStatTest {

    // A real line's shape (proc(5)): pid, (comm), state, then fields 4.. ; utime = 1234, stime = 567.
    private static final String LINE = "4242 (java) S 1 4242 4242 0 -1 4194560 51234 0 12 0 1234 567 0 0 20 0 27 0"
            + " 123456 9876543210 45678 18446744073709551615 1 1 0 0 0 0 16800975 3 1073745144 0 0 0 17 1 0 0 0 0 0"
            + " 0 0 0 0 0 0 0 0\n";

    @Test
    void readsUtimeAndStime() {
        ProcStat s = ProcStat.parse(LINE);
        assertEquals(1234, s.userTicks());
        assertEquals(567, s.systemTicks());
    }

    @Test
    void commWithSpacesAndParenthesesDoesNotShiftTheFields() {
        ProcStat s = ProcStat.parse(LINE.replace("(java)", "(my (odd) name)"));
        assertEquals(1234, s.userTicks());
        assertEquals(567, s.systemTicks());
    }

    @Test
    void differencesInNanoseconds() {
        ProcStat a = new ProcStat(100, 50);
        ProcStat b = new ProcStat(350, 60);
        assertEquals(2_500_000_000L, b.userNanosSince(a, 100));
        assertEquals(100_000_000L, b.systemNanosSince(a, 100));
    }

    @Test
    void badLinesAreRefusedWithTheLine() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ProcStat.parse("garbage"));
        assertTrue(e.getMessage().contains("garbage"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ProcStat.parse("1 (x) S 1 2 3"));
        assertThrows(IllegalArgumentException.class, () -> ProcStat.parse(LINE.replace(" 1234 ", " x ")));
    }

    @Test
    void readsThisProcessAndFailsForAGoneOne() throws IOException {
        ProcStat s = ProcStat.read(ProcessHandle.current().pid());
        assertTrue(s.userTicks() + s.systemTicks() > 0, "a JVM that ran tests has used some CPU");
        IOException e = assertThrows(IOException.class, () -> ProcStat.read(Integer.MAX_VALUE));
        assertTrue(e.getMessage().contains("is gone"), e.getMessage());
        assertTrue(ProcStat.ticksPerSecond() > 0);
    }
}
