package io.gomq.launcher.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * Lets only a WebSocket upgrade of the MQTT path, offering an MQTT subprotocol (or none, as
 * lenient clients do), on to Netty's handshake; anything else on the port gets a short 404 or
 * 400 and the connection closes. Leaves the pipeline once it passed a request on.
 *
 * <p>Design note: Netty's handshaker would accept an unknown subprotocol (answering without
 * one) and pass a request for another path down the pipeline; MQTT wants neither.
 * Runs on the channel's event loop only.
 */
final class WebSocketUpgradeGate extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(WebSocketUpgradeGate.class);

    private final String path;
    private final List<String> subprotocols;

    WebSocketUpgradeGate(String path, List<String> subprotocols) {
        this.path = path;
        this.subprotocols = subprotocols;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullHttpRequest req)) {
            ctx.fireChannelRead(msg);
            return;
        }
        Refusal refusal = refusal(req);
        if (refusal == null) {
            ctx.pipeline().remove(this);
            ctx.fireChannelRead(req);
            return;
        }
        LOG.debug("refusing {} {} from {}: {}", req.method(), req.uri(), ctx.channel().remoteAddress(), refusal.reason());
        req.release();
        ByteBuf body = ByteBufUtil.writeUtf8(ctx.alloc(), refusal.reason() + "\n");
        FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, refusal.status(), body);
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.TEXT_PLAIN)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes())
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
    }

    private record Refusal(HttpResponseStatus status, String reason) {
        static Refusal badRequest(String reason) {
            return new Refusal(HttpResponseStatus.BAD_REQUEST, reason);
        }
    }

    /** Why {@code req} is not an MQTT WebSocket upgrade, or null when it is one. */
    private Refusal refusal(FullHttpRequest req) {
        if (req.decoderResult().isFailure()) {
            return Refusal.badRequest("bad HTTP request");
        }
        String uri = req.uri();
        int query = uri.indexOf('?');
        if (!path.equals(query < 0 ? uri : uri.substring(0, query))) {
            return new Refusal(HttpResponseStatus.NOT_FOUND, "no WebSocket at " + uri + "; MQTT over WebSocket is at " + path);
        }
        if (!HttpMethod.GET.equals(req.method())
                || !req.headers().containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true)
                || !req.headers().containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE, true)) {
            return Refusal.badRequest("not a WebSocket upgrade (GET with Upgrade: websocket)");
        }
        List<String> offered = req.headers().getAll(HttpHeaderNames.SEC_WEBSOCKET_PROTOCOL);
        if (offered.isEmpty()) {
            return null;
        }
        for (String header : offered) {
            for (String p : header.split(",")) {
                if (subprotocols.contains(p.trim())) {
                    return null;
                }
            }
        }
        return Refusal.badRequest("no supported subprotocol in " + offered + "; expected one of " + subprotocols);
    }
}
