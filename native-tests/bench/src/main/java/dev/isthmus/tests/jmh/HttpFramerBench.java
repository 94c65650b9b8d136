package dev.isthmus.tests.jmh;

import dev.isthmus.stack.buffer.BufferPool;
import dev.isthmus.stack.buffer.InboundChain;
import dev.isthmus.stack.buffer.PooledBuffer;
import dev.isthmus.stack.examples.HttpRequestFramer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP example's framer on what one read of a pipelining client brings: {@code pipeline} copies of
 * the request {@code scripts/bench} sends (31 bytes, as wrk's script writes it), in one pool buffer appended
 * to an {@link InboundChain}, framed until {@link HttpRequestFramer#NEED_MORE}. One operation is the whole
 * batch; divide by {@code pipeline} for a request. It allocates nothing: {@code -prof gc} shows
 * gc.alloc.rate.norm ≈ 0 B/op.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class HttpFramerBench {

    /** The request the bench's HTTP workload sends at its default size (Workload.HTTP_HEAD and the empty line). */
    private static final String REQUEST = "GET / HTTP/1.1\r\nHost: bench\r\n\r\n";

    @Param({"1", "16"})
    public int pipeline;

    private Arena arena;
    private BufferPool pool;
    private InboundChain chain;
    private HttpRequestFramer framer;
    private MemorySegment batch;

    @Setup(Level.Trial)
    public void open() {
        byte[] bytes = REQUEST.repeat(pipeline).getBytes(StandardCharsets.US_ASCII);
        arena = Arena.ofConfined();
        pool = new BufferPool(arena, 16 * 1024, 64);
        chain = new InboundChain();
        framer = new HttpRequestFramer();
        batch = arena.allocate(bytes.length);
        MemorySegment.copy(MemorySegment.ofArray(bytes), 0, batch, 0, bytes.length);
    }

    @TearDown(Level.Trial)
    public void close() {
        chain.releaseAll();
        arena.close();
    }

    @Benchmark
    public int frameOneRead() {
        PooledBuffer b = pool.allocate();
        MemorySegment.copy(batch, 0, b.segment(), 0, batch.byteSize());
        b.advanceWrite((int) batch.byteSize());
        chain.append(b);
        int requests = 0;
        int v;
        while ((v = framer.next(chain)) == HttpRequestFramer.REQUEST) {
            requests++;
        }
        if (v != HttpRequestFramer.NEED_MORE || requests != pipeline || chain.readableBytes() != 0) {
            throw new IllegalStateException("verdict " + v + " after " + requests + " of " + pipeline + " requests");
        }
        return requests;
    }
}
