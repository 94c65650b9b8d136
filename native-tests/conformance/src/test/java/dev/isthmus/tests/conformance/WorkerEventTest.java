package dev.isthmus.tests.conformance;

import dev.isthmus.stack.Listener;
import dev.isthmus.stack.NetworkStack;
import dev.isthmus.stack.WorkerStats;
import jdk.jfr.consumer.RecordingStream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The periodic JFR event {@code isthmus.Worker}: recorded, parsed back, and its deltas add up to the work
 * the worker did, on every stack.
 */
@ExtendWith(LeakCheck.class)
@Timeout(60)
class WorkerEventTest {
    private static final int MESSAGES = 50;
    private static final int SIZE = 1000;

    static List<StackUnderTest> stacks() {
        return StackUnderTest.all();
    }

    @ParameterizedTest(name = "[{0}] the isthmus.Worker JFR event counts the work done")
    @MethodSource("stacks")
    void eventsAddUpToTheWorkDone(StackUnderTest sut) throws Exception {
        sut.assumeAvailable();
        try (NetworkStack stack = sut.open(1); RecordingStream recording = new RecordingStream()) {
            String stackName = stack.name();
            // Summed by JFR's stream thread: the events of this stack's worker since the recording began.
            AtomicLong events = new AtomicLong();
            AtomicLong bytesRead = new AtomicLong();
            AtomicLong bytesWritten = new AtomicLong();
            AtomicLong accepted = new AtomicLong();
            AtomicLong loopTurns = new AtomicLong();
            AtomicLong polls = new AtomicLong();
            AtomicLong pollEvents = new AtomicLong();
            recording.enable("isthmus.Worker").withPeriod(Duration.ofMillis(50));
            recording.onEvent("isthmus.Worker", e -> {
                if (!stackName.equals(e.getString("stack"))) {
                    return; // another stack still open in this JVM
                }
                assertEquals(0, e.getInt("worker"));
                events.incrementAndGet();
                bytesRead.addAndGet(e.getLong("bytesRead"));
                bytesWritten.addAndGet(e.getLong("bytesWritten"));
                accepted.addAndGet(e.getLong("accepted"));
                loopTurns.addAndGet(e.getLong("loopTurns"));
                polls.addAndGet(e.getLong("polls"));
                pollEvents.addAndGet(e.getLong("pollEvents"));
            });
            recording.startAsync();
            // The first event is the baseline: what the worker did before the recording (starting up).
            Fixtures.eventually("a first isthmus.Worker event", () -> events.get() > 0);
            WorkerStats before = stack.workers().get(0).stats();
            long baseRead = bytesRead.get();
            long baseAccepted = accepted.get();
            long baseTurns = loopTurns.get();
            long basePolls = polls.get();
            long basePollEvents = pollEvents.get();
            try (Listener l = Fixtures.listen(stack, sut.ipv4(), Recorder::echo);
                 Socket s = new Socket(sut.ipv4(), ((InetSocketAddress) l.localAddress()).getPort())) {
                s.setSoTimeout(20_000);
                OutputStream out = s.getOutputStream();
                InputStream in = s.getInputStream();
                byte[] msg = new byte[SIZE];
                for (int i = 0; i < MESSAGES; i++) {
                    msg[0] = (byte) i;
                    out.write(msg);
                    assertArrayEquals(msg, in.readNBytes(SIZE), "echo " + i);
                }
            }
            Fixtures.eventually("the connection gone", () -> stack.workers().get(0).stats().connections() == 0);
            WorkerStats done = stack.workers().get(0).stats();
            assertEquals((long) MESSAGES * SIZE, done.bytesRead() - before.bytesRead(), "the stack's own count");
            // The events' deltas catch up with the worker's counters within a few periods.
            Fixtures.eventually("the events' bytes read adding up to " + done.bytesRead() + " (now " + bytesRead.get() + ")",
                    () -> bytesRead.get() == done.bytesRead() && bytesWritten.get() == done.bytesWritten());
            assertEquals(done.accepted(), accepted.get(), "connections accepted, summed over the events");
            assertEquals(1, accepted.get() - baseAccepted, "one connection accepted while recording");
            assertEquals((long) MESSAGES * SIZE, bytesRead.get() - baseRead, "bytes read while recording");
            assertTrue(loopTurns.get() - baseTurns >= MESSAGES, "loop turns: " + (loopTurns.get() - baseTurns));
            assertTrue(polls.get() - basePolls > 0, "polls: " + (polls.get() - basePolls));
            assertTrue(pollEvents.get() - basePollEvents >= MESSAGES, "poll events: " + (pollEvents.get() - basePollEvents));
        }
    }
}
