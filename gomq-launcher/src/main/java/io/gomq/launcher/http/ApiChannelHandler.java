package io.gomq.launcher.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.timeout.IdleStateEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * One connection's requests: routes each, runs blocking endpoints on the worker executor and
 * writes the replies in request order (HTTP/1.1 pipelining), honouring keep-alive.
 *
 * <p>Thread rules: every method runs on the channel's event loop; a worker only computes the
 * reply and hands it back to the event loop. While a worker has a request of this connection,
 * later requests wait in {@link #waiting} and reading pauses (autoRead off), so one client
 * cannot queue work without bound.
 *
 * <p>A streamed reply (server-sent events) takes the connection over: once its headers are
 * written the stream writes the body, and later requests on the connection are ignored.
 */
final class ApiChannelHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger LOG = LoggerFactory.getLogger(ApiChannelHandler.class);

    private final Router router;
    private final Executor workers;
    private final ArrayDeque<ApiRequest> waiting = new ArrayDeque<>();
    private boolean busy;
    /** The connection carries a streamed reply: nothing else is served on it. */
    private boolean streaming;

    ApiChannelHandler(Router router, Executor workers) {
        this.router = router;
        this.workers = workers;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest msg) {
        if (streaming) {
            return; // a client that pipelines behind an endless reply gets nothing more
        }
        if (msg.decoderResult().isFailure()) {
            write(ctx, false, ApiResponse.error(HttpResponseStatus.BAD_REQUEST, "malformed HTTP request"));
            return;
        }
        ApiRequest request;
        try {
            request = ApiRequest.from(msg, ctx.channel().remoteAddress());
        } catch (IllegalArgumentException e) {
            write(ctx, false, ApiResponse.error(HttpResponseStatus.BAD_REQUEST, "malformed request URI"));
            return;
        }
        waiting.add(request);
        drain(ctx);
    }

    private void drain(ChannelHandlerContext ctx) {
        while (!busy && !waiting.isEmpty() && ctx.channel().isActive()) {
            ApiRequest request = waiting.poll();
            Router.Endpoint endpoint;
            try {
                endpoint = router.resolve(request.method(), request.rawPath());
            } catch (ApiException e) {
                write(ctx, request.keepAlive(), e.response());
                continue;
            }
            if (!endpoint.blocking()) {
                write(ctx, request.keepAlive(), invoke(endpoint.handler(), request));
                continue;
            }
            busy = true;
            ctx.channel().config().setAutoRead(false);
            try {
                workers.execute(() -> {
                    ApiResponse response = invoke(endpoint.handler(), request);
                    try {
                        ctx.executor().execute(() -> {
                            busy = false;
                            ctx.channel().config().setAutoRead(true);
                            write(ctx, request.keepAlive(), response);
                            drain(ctx);
                        });
                    } catch (RejectedExecutionException closing) {
                        LOG.debug("HTTP reply to {} dropped: the server is closing", request);
                        abandon(response);
                    }
                });
            } catch (RejectedExecutionException e) {
                busy = false;
                ctx.channel().config().setAutoRead(true);
                write(ctx, false, ApiResponse.error(HttpResponseStatus.SERVICE_UNAVAILABLE, "server busy or closing")
                        .header(HttpHeaderNames.RETRY_AFTER.toString(), "1"));
            }
        }
    }

    /** The handler's reply; an unexpected exception is logged and becomes a bare 500. */
    static ApiResponse invoke(ApiHandler handler, ApiRequest request) {
        try {
            return handler.handle(request);
        } catch (ApiException e) {
            return e.response();
        } catch (RuntimeException | Error e) {
            LOG.error("HTTP {} failed", request, e);
            return ApiResponse.error(HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal error");
        }
    }

    private void write(ChannelHandlerContext ctx, boolean keepAlive, ApiResponse response) {
        if (!ctx.channel().isActive()) {
            abandon(response);
            return;
        }
        if (response.stream() != null) {
            startStream(ctx, response);
            return;
        }
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, response.status(),
                Unpooled.wrappedBuffer(response.body()));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, response.contentType());
        r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, response.body().length);
        for (Map.Entry<String, String> h : response.headers().entrySet()) {
            r.headers().set(h.getKey(), h.getValue());
        }
        if (keepAlive) {
            r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            ctx.writeAndFlush(r, ctx.voidPromise());
        } else {
            r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
        }
    }

    private void startStream(ChannelHandlerContext ctx, ApiResponse response) {
        streaming = true;
        busy = true; // the idle timeout no longer applies: the stream keeps the connection alive itself
        waiting.clear();
        HttpResponse r = new DefaultHttpResponse(HttpVersion.HTTP_1_1, response.status());
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, response.contentType());
        for (Map.Entry<String, String> h : response.headers().entrySet()) {
            r.headers().set(h.getKey(), h.getValue());
        }
        HttpUtil.setTransferEncodingChunked(r, true);
        ctx.writeAndFlush(r, ctx.voidPromise());
        response.stream().start(ctx.channel());
    }

    private static void abandon(ApiResponse response) {
        if (response.stream() != null) {
            response.stream().abandon();
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof IdleStateEvent && !busy) {
            ctx.close();
            return;
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // Resets and broken pipes are the client's business; anything else is worth a look.
        if (cause instanceof java.io.IOException) {
            LOG.debug("HTTP connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        } else {
            LOG.warn("HTTP connection {} failed", ctx.channel().remoteAddress(), cause);
        }
        ctx.close();
    }
}
