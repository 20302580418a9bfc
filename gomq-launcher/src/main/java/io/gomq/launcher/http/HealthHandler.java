package io.gomq.launcher.http;

import io.gomq.core.engine.BrokerEngine;
import io.gomq.launcher.NodeStatus;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.util.function.Supplier;

/**
 * GET /health: 200 {@code {"status":"ok",...}} while the engine runs, 503 with status
 * "closing" once it is closed, so a load balancer stops sending work. {@code sessions} counts
 * every session the broker holds (persistent ones of absent clients too), {@code connections}
 * the online ones (network and in-process clients). {@code disk} is "low" while the free space
 * of the data directory is below its reserve (the log refuses writes; reads and deliveries go
 * on), else "ok".
 */
final class HealthHandler implements ApiHandler {
    private final BrokerEngine engine;
    private final Supplier<NodeStatus> status;

    HealthHandler(BrokerEngine engine, Supplier<NodeStatus> status) {
        this.engine = engine;
        this.status = status;
    }

    /** @param tls the TLS port, {@code ws}/{@code wss} the WebSocket ports; null when off */
    record Ports(int mqtt, int http, Integer tls, Integer ws, Integer wss) {
    }

    record HealthView(String status, String role, String nodeId, Ports ports, int sessions, long connections, String disk) {
    }

    @Override
    public ApiResponse handle(ApiRequest request) {
        NodeStatus node = status.get();
        boolean closed = engine.isClosed();
        HealthView view = new HealthView(closed ? "closing" : "ok", node.role(), node.nodeId(),
                new Ports(node.mqttPort(), node.httpPort(), orNull(node.tlsPort()), orNull(node.wsPort()), orNull(node.wssPort())),
                engine.sessions().size(), engine.sessions().onlineCount(), disk());
        return ApiResponse.json(closed ? HttpResponseStatus.SERVICE_UNAVAILABLE : HttpResponseStatus.OK, view);
    }

    private static Integer orNull(int port) {
        return port < 0 ? null : port;
    }

    /** "low" while the log refuses writes for lack of disk space, else "ok" (also without a log). */
    private String disk() {
        var space = engine.diskSpace();
        return space != null && space.isLow() ? "low" : "ok";
    }
}
