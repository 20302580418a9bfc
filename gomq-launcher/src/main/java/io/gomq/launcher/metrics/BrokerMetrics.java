package io.gomq.launcher.metrics;

import io.gomq.core.engine.BrokerEngine;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * The broker's meters in one Prometheus registry: the engine's counters (bound as function
 * counters, read at scrape time) and the transport's own. Scraped by GET /metrics.
 */
public final class BrokerMetrics {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    public BrokerMetrics(BrokerEngine engine) {
        // TODO(transport): bind engine.metrics(), sessions, log stats; transport counters
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** Prometheus text exposition format. */
    public String scrape() {
        return registry.scrape();
    }
}
