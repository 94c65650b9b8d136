package dev.isthmus.tests.bench.netty;

import dev.isthmus.tests.bench.Workload;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * Does what our HTTP example does on the benchmark's requests, the Netty way and without an HTTP codec:
 * finds the end of each request head ({@code "\r\n\r\n"}) in the inbound {@link ByteBuf}, even when it is
 * split over reads, writes the canned reply ({@link Workload#HTTP_REPLY}) for each, and flushes once per
 * read-complete, so pipelined requests go out in one write. The figures then compare transports, not
 * parsers. Requests with a body are not understood (the benchmark sends none).
 */
public final class HelloHandler extends ChannelInboundHandlerAdapter {

    /** The reply in one direct buffer for the life of the process; each write sends a duplicate of it. */
    private static final ByteBuf REPLY = Unpooled.unreleasableBuffer(
            Unpooled.directBuffer(Workload.HTTP_REPLY.length).writeBytes(Workload.HTTP_REPLY).asReadOnly());

    // How much of "\r\n\r\n" the bytes seen so far end with: 0..3, carried across reads.
    private int matched;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf in)) {
            ctx.fireChannelRead(msg);
            return;
        }
        try {
            int m = matched;
            for (int i = in.readerIndex(), end = in.writerIndex(); i < end; i++) {
                byte b = in.getByte(i);
                // The pattern is CR LF CR LF: after a CR we want LF, after CR LF we want CR, and so on.
                if (b == '\r') {
                    m = (m == 2) ? 3 : 1;
                } else if (b == '\n' && (m == 1 || m == 3)) {
                    if (m == 3) {
                        ctx.write(REPLY.duplicate());
                        m = 0;
                    } else {
                        m = 2;
                    }
                } else {
                    m = 0;
                }
            }
            matched = m;
        } finally {
            in.release();
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.flush();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
