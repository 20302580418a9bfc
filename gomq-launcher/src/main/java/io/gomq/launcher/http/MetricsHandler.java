package io.gomq.launcher.http;

import io.gomq.launcher.metrics.BrokerMetrics;
import io.netty.handler.codec.http.HttpResponseStatus;

/** GET /metrics: the Prometheus text exposition of {@link BrokerMetrics}. */
final class MetricsHandler implements ApiHandler {
    static final String PROMETHEUS_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final BrokerMetrics metrics;

    MetricsHandler(BrokerMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public ApiResponse handle(ApiRequest request) {
        return ApiResponse.text(HttpResponseStatus.OK, PROMETHEUS_TYPE, metrics.scrape());
    }
}
