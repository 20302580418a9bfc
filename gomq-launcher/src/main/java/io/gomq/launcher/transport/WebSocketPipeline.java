package io.gomq.launcher.transport;

import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;

import java.util.List;

/**
 * The handlers that carry MQTT over WebSocket (MQTT 3.1.1 section 6): the HTTP upgrade, then
 * binary frames in and out. They sit in front of the same {@link MqttFrameDecoder} and
 * {@link MqttConnection} as a plain TCP connection, so codec, limits, metrics and sessions are
 * identical:
 *
 * <pre>
 * [tls] → http → handshake (bounded aggregator) → {@link WebSocketUpgradeGate} → websocket
 *       → {@link WebSocketFrames} → decoder → mqtt
 * </pre>
 *
 * The aggregator and the HTTP codec leave the pipeline with the handshake (Netty removes them).
 */
final class WebSocketPipeline {
    /** What the client may offer; Netty answers with the first one it offered that is here. */
    static final List<String> SUBPROTOCOLS = List.of("mqtt", "mqttv3.1");
    /** An upgrade request has no body; headers are bounded by the HTTP codec (8 KiB). */
    private static final int MAX_HANDSHAKE_BODY_BYTES = 1024;

    private WebSocketPipeline() {
    }

    /**
     * @param path           the one path clients connect to ({@code /mqtt})
     * @param maxFrameBytes  the largest frame payload: the MQTT max packet size
     * @param handshakeMs    a started handshake that does not finish within this closes (the
     *                       connection's CONNECT timeout still covers a socket that never sends one)
     */
    static void addTo(ChannelPipeline p, String path, int maxFrameBytes, long handshakeMs, TransportMetrics metrics) {
        p.addLast("http", new HttpServerCodec());
        p.addLast("handshake", new HttpObjectAggregator(MAX_HANDSHAKE_BODY_BYTES));
        p.addLast("upgrade-gate", new WebSocketUpgradeGate(path, SUBPROTOCOLS));
        p.addLast("websocket", new WebSocketServerProtocolHandler(WebSocketServerProtocolConfig.newBuilder()
                .websocketPath(path)
                .checkStartsWith(true) // the gate has checked the path; this lets "/mqtt?token=..." through as well
                .subprotocols(String.join(",", SUBPROTOCOLS))
                .maxFramePayloadLength(maxFrameBytes)
                .handshakeTimeoutMillis(handshakeMs)
                .build()));
        p.addLast("ws-frames", new WebSocketFrames(metrics));
    }
}
