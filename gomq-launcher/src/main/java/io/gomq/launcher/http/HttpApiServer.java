package io.gomq.launcher.http;

import io.gomq.core.engine.BrokerEngine;
import io.gomq.launcher.NodeStatus;
import io.gomq.launcher.config.LauncherConfig;
import io.gomq.launcher.metrics.BrokerMetrics;

import java.util.function.Supplier;

/**
 * GoMQ's HTTP API (GET /version, /messages, POST /pub) plus /health, /metrics, /topics, /cluster.
 * Stub: the HTTP engineer replaces the body; the signatures are the contract with Main.
 */
public final class HttpApiServer implements AutoCloseable {

    public HttpApiServer(BrokerEngine engine, LauncherConfig config, BrokerMetrics metrics, Supplier<NodeStatus> status) {
    }

    /** Binds and starts serving; returns the bound port (the real one when {@code port} is 0). */
    public int start(String bind, int port) {
        throw new UnsupportedOperationException("TODO(http)");
    }

    @Override
    public void close() {
    }
}
