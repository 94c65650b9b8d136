package dev.isthmus.tests.bench;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** perf stat's CSV output ({@code -x ,}) as perf 6.1 writes it with {@code -o FILE} and {@code --control}. */
class PerfStatOutputTest {

    private static final String EVENT = SyscallCounter.EVENT;

    private static String refused(String text) {
        return assertThrows(IllegalArgumentException.class, () -> PerfStatOutput.count(text, EVENT)).getMessage();
    }

    @Test
    void theCountOfTheEventsLine() {
        String text = """
                # started on Mon Nov 30 17:00:39 2026

                Events disabled
                Events enabled
                709227,,raw_syscalls:sys_enter,999692569,100.00,,
                Events disabled
                """;
        assertEquals(709_227, PerfStatOutput.count(text, EVENT));
    }

    @Test
    void otherEventsAreNotTakenForIt() {
        String text = "12,,raw_syscalls:sys_exit,1000,100.00,,\n34,,raw_syscalls:sys_enter,1000,100.00,,\n";
        assertEquals(34, PerfStatOutput.count(text, EVENT));
    }

    @Test
    void notCountedOrNotSupportedIsNoFigure() {
        assertEquals("perf stat says <not counted> for raw_syscalls:sys_enter",
                refused("<not counted>,,raw_syscalls:sys_enter,0,100.00,,\n"));
        assertEquals("perf stat says <not supported> for raw_syscalls:sys_enter",
                refused("<not supported>,,raw_syscalls:sys_enter,0,100.00,,\n"));
    }

    @Test
    void noLineOrNoNumberSaysWhatPerfWrote() {
        assertEquals("perf stat wrote no count for raw_syscalls:sys_enter: (nothing)", refused(""));
        assertEquals("perf stat wrote no count for raw_syscalls:sys_enter: '# started on x | Events enabled'",
                refused("# started on x\nEvents enabled\n"));
        assertEquals("perf stat's count for raw_syscalls:sys_enter is not a number: '1.5e3'",
                refused("1.5e3,,raw_syscalls:sys_enter,0,100.00,,\n"));
        assertEquals("perf stat's count for raw_syscalls:sys_enter is not a number: '-4'",
                refused("-4,,raw_syscalls:sys_enter,0,100.00,,\n"));
    }
}
