package io.gomq.launcher.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

import java.util.concurrent.TimeUnit;

/**
 * Netty's aggregator with the API's JSON 413. A declared Content-Length over the limit is
 * refused as soon as the headers are read, before any of the body is buffered; a chunked body
 * is refused when it crosses the limit. The connection closes after the 413, because the rest
 * of the oversized body would otherwise be read as the next request; it closes the way web
 * servers do it (a lingering close): stop sending, go on reading and discarding what the client
 * still sends for {@value #LINGER_MS} ms, then close. Closing at once would reset a client that
 * is still uploading, and it would see a broken connection instead of the 413.
 */
final class JsonObjectAggregator extends HttpObjectAggregator {
    static final long LINGER_MS = 2_000;
    JsonObjectAggregator(int maxContentLength) {
        super(maxContentLength);
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
        ApiResponse error = ApiResponse.error(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
                "request body exceeds " + maxContentLength() + " bytes");
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, error.status(),
                Unpooled.wrappedBuffer(error.body()));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, error.contentType());
        r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, error.body().length);
        r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        ctx.writeAndFlush(r).addListener(f -> lingerThenClose(ctx));
    }

    private static void lingerThenClose(ChannelHandlerContext ctx) {
        Channel ch = ctx.channel();
        if (ch instanceof DuplexChannel duplex && ch.isActive()) {
            duplex.shutdownOutput(); // the client reads the 413 and then end of stream
            ctx.executor().schedule(() -> ch.close(), LINGER_MS, TimeUnit.MILLISECONDS);
        } else {
            ch.close();
        }
    }
}
