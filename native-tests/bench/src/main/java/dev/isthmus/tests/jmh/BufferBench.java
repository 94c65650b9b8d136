package dev.isthmus.tests.jmh;

import dev.isthmus.stack.buffer.BufferPool;
import dev.isthmus.stack.buffer.InboundChain;
import dev.isthmus.stack.buffer.PooledBuffer;
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
 * The buffer machinery every read goes through, on a worker's pool:
 * <ul>
 *   <li>{@code poolAllocateRelease}: take a buffer from the pool and give it back;</li>
 *   <li>{@code linkBufferCycle}: what a read does with Netpoll's LinkBuffer, our {@link InboundChain}: a
 *       buffer from the pool is filled with a request (as the kernel would), appended to the chain, the
 *       application finds the end of the request with {@code indexOf}, copies it out and skips it, and the
 *       consumed buffer goes back to the pool.</li>
 * </ul>
 * Both should allocate nothing on the heap: {@code -prof gc} shows gc.alloc.rate.norm ≈ 0 B/op.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class BufferBench {

    @Param({"64", "1024"})
    public int size;

    private Arena arena;
    private BufferPool pool;
    private InboundChain chain;
    private MemorySegment message;
    private byte[] sink;

    @Setup(Level.Trial)
    public void open() {
        arena = Arena.ofConfined();
        pool = new BufferPool(arena, 16 * 1024, 64);
        chain = new InboundChain();
        byte[] m = new byte[size];
        java.util.Arrays.fill(m, (byte) 'x');
        byte[] end = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(end, 0, m, size - end.length, end.length);
        message = arena.allocate(size);
        MemorySegment.copy(MemorySegment.ofArray(m), 0, message, 0, size);
        sink = new byte[size];
    }

    @TearDown(Level.Trial)
    public void close() {
        chain.releaseAll();
        if (pool.inUse() != 0) {
            throw new IllegalStateException(pool.inUse() + " buffer(s) not returned to the pool");
        }
        arena.close();
    }

    @Benchmark
    public int poolAllocateRelease() {
        PooledBuffer b = pool.allocate();
        int id = b.id();
        pool.release(b);
        return id;
    }

    @Benchmark
    public long linkBufferCycle() {
        PooledBuffer b = pool.allocate();
        MemorySegment.copy(message, 0, b.segment(), 0, size);
        b.advanceWrite(size);
        chain.append(b);
        long end = chain.indexOf((byte) '\n', size - 1);
        if (end != size - 1) {
            throw new IllegalStateException("request end at " + end + ", expected " + (size - 1));
        }
        chain.copyTo(0, sink, 0, size);
        chain.skip(size); // the buffer is fully consumed and goes back to the pool
        return end + sink[0];
    }
}
