package io.gomq.launcher.metrics;

import io.gomq.core.codec.DecodeError;
import io.gomq.core.engine.BrokerEngine;
import io.gomq.core.engine.EngineMetrics;
import io.gomq.core.auth.TopicGate;
import io.gomq.core.engine.PublishCounters;
import io.gomq.core.log.DiskSpace;
import io.gomq.core.log.LogStats;
import io.gomq.core.log.MessageLog;
import io.gomq.launcher.limits.LimitRefusal;
import io.gomq.launcher.tls.TlsMetrics;
import io.gomq.launcher.transport.TransportMetrics;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.ToDoubleFunction;

/**
 * The broker's meters in one Prometheus registry: the engine's counters (bound as function
 * counters, read at scrape time) and the transport's own. Scraped by GET /metrics.
 *
 * <p>Names follow Prometheus conventions once exported: {@code gomq.messages.in} becomes
 * {@code gomq_messages_in_total}. Nothing here is incremented on the hot path: every meter
 * reads a {@link LongAdder} or a size when scraped.
 */
public final class BrokerMetrics {
    private static final long LOG_STATS_MAX_AGE_NANOS = 1_000_000_000L;

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final BrokerEngine engine;
    private volatile LogStats logStats;
    private volatile long logStatsAtNanos;

    public BrokerMetrics(BrokerEngine engine) {
        this(engine, null);
    }

    /** @param transport the MQTT transport's counters, or null when there is no transport */
    public BrokerMetrics(BrokerEngine engine, TransportMetrics transport) {
        this.engine = engine;
        bindEngine(engine.metrics());
        if (engine.log() != null) {
            bindLog(engine.log());
        }
        if (transport != null) {
            bindTransport(transport);
        }
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** Prometheus text exposition format. */
    public String scrape() {
        return registry.scrape();
    }

    private void bindEngine(EngineMetrics m) {
        counter("gomq.messages.in", "messages published into the broker", m.publishes, PublishCounters::messages);
        counter("gomq.bytes.in", "payload bytes published into the broker", m.publishes, PublishCounters::bytes);
        counter("gomq.messages.out", "message copies queued to subscribers", m.publishes, PublishCounters::queued);
        counter("gomq.messages.dropped", "QoS 0 copies dropped by a full subscriber queue", m.droppedQos0, "qos", "0");
        counter("gomq.messages.dropped", "QoS 1/2 copies dropped by a full subscriber queue", m.droppedQos1, "qos", "1");
        counter("gomq.messages.skipped.offline", "QoS 0 copies not queued for offline sessions", m.skippedOffline);
        counter("gomq.messages.unrouted", "messages that matched no subscription", m.noSubscribers);
        counter("gomq.publishers.paced", "times a publisher was paced by a congested queue", m.pacedPublishers);
        counter("gomq.wills.published", "last-will messages published", m.willsPublished);
        counter("gomq.sessions.taken.over", "sessions taken over by a new connection", m.sessionsTakenOver);
        gauge("gomq.sessions", "sessions held (online and offline)", engine, e -> e.sessions().size());
        gauge("gomq.sessions.online", "sessions with a connection attached", engine, e -> e.sessions().onlineCount());
        gauge("gomq.subscriptions", "subscriptions in the topic tree", engine, e -> e.topicTree().subscriptionCount());
        gauge("gomq.retained.messages", "retained messages held", engine, e -> e.retained().size());
        gauge("gomq.queued.bytes", "payload bytes held in all subscriber queues (counted with max-queued-bytes-total)",
                engine, e -> e.queuedBytes().bytes());
        gauge("gomq.queued.bytes.limit", "max-queued-bytes-total (0: no limit)", engine, e -> e.queuedBytes().max());
        counter("gomq.queued.bytes.refusals", "copies refused by max-queued-bytes-total (held by a paced publisher,"
                + " read from the log later, or dropped and counted in gomq_messages_dropped_total)", engine,
                e -> e.queuedBytes().refusals());
        String refused = "requests refused by an abuse limit";
        counter("gomq.limit.refusals", refused, m.refusedTopicLength, "kind", "topic_length");
        counter("gomq.limit.refusals", refused, m.refusedTopicLevels, "kind", "topic_levels");
        counter("gomq.limit.refusals", refused, m.refusedSubscriptions, "kind", "subscriptions_per_session");
        counter("gomq.limit.refusals", refused, m.refusedRetained, "kind", "retained_messages");
    }

    private void bindLog(MessageLog log) {
        gauge("gomq.log.size.bytes", "bytes the durable log takes on disk", this, b -> b.logStats(log).sizeBytes());
        gauge("gomq.log.records", "records in the durable log", this, b -> b.logStats(log).recordCount());
        gauge("gomq.log.segments", "segments of the durable log", this, b -> b.logStats(log).segmentCount());
        gauge("gomq.log.end.offset", "next offset of the durable log", this, b -> b.logStats(log).endOffset());
        gauge("gomq.log.compaction.runs", "compaction runs", this, b -> b.logStats(log).compactionRuns());
        gauge("gomq.log.compaction.removed.records", "records compaction removed (superseded keys, expired tombstones)",
                this, b -> b.logStats(log).compactionRemovedRecords());
        gauge("gomq.log.compression.ratio", "raw / stored bytes of the LZ4-compressed compacted segments",
                this, b -> b.logStats(log).compressionRatio());
        gauge("gomq.log.retained.messages", "topics with a retained message in the log", this, b -> b.logStats(log).retainedCount());
        DiskSpace space = log.diskSpace();
        if (space != null) {
            gauge("gomq.disk.free.bytes", "usable bytes on the data directory's file system (last check)", space, DiskSpace::freeBytes);
            gauge("gomq.disk.reserve.bytes", "free space below which the log refuses writes", space, DiskSpace::reserveBytes);
            gauge("gomq.disk.low", "1 while the free space is below the reserve", space, s -> s.isLow() ? 1 : 0);
            counter("gomq.disk.refused.appends", "log appends refused for lack of disk space", space, DiskSpace::refusedAppends);
        }
    }

    private void bindTransport(TransportMetrics t) {
        counter("gomq.connections.accepted", "TCP connections accepted", t.connectionsAccepted);
        gauge("gomq.connections", "connections open", t.connectionsOpen, LongAdder::sum);
        counter("gomq.connects.refused", "CONNECTs answered with a refusing CONNACK", t.connectsRefused);
        counter("gomq.auth.failures", "CONNECTs with bad credentials or refused anonymous", t.authFailures);
        counter("gomq.timeouts", "connections closed without CONNECT in time", t.connectTimeouts, "kind", "connect");
        counter("gomq.timeouts", "connections closed for keep-alive silence", t.keepAliveTimeouts, "kind", "keepalive");
        counter("gomq.bytes.read", "bytes read from MQTT clients", t.bytesRead);
        counter("gomq.publishes.sent", "PUBLISH packets written to subscribers", t.publishesSent);
        counter("gomq.reads.paused", "times a connection's reads were paused", t.pausedReads);
        counter("gomq.disk.waits", "times a publisher began waiting for disk space (no PUBACK, reads paused)", t.diskFullWaits);
        counter("gomq.disk.disconnects", "connections closed for lack of disk space (after disk-full-timeout-ms, or a message the log refused after taking it)", t.diskFullDisconnects);
        for (String action : java.util.List.of(TopicGate.PUBLISH, TopicGate.SUBSCRIBE, TopicGate.RECEIVE)) {
            counter("gomq.authorization.denied", "refused by the ACL: publishes not routed, subscriptions refused, "
                    + "messages not delivered", t.authorizationDenied(action), "action", action);
        }
        for (LimitRefusal r : LimitRefusal.values()) {
            counter("gomq.limit.refusals", "requests refused by an abuse limit", t.limitRefusal(r),
                    "kind", r.name().toLowerCase(Locale.ROOT));
        }
        counter("gomq.auth.backoff.waits", "CONNECTs whose password check waited for the address's login back-off",
                t.authBackoffWaits);
        counter("gomq.publish.rate.pauses", "times a connection was paced for going over publish-rate", t.publishRatePauses);
        for (DecodeError e : DecodeError.values()) {
            counter("gomq.malformed.packets", "connections closed for a malformed packet or protocol violation",
                    t.malformed(e), "reason", e.name().toLowerCase(Locale.ROOT));
        }
        for (TransportMetrics.Violation v : TransportMetrics.Violation.values()) {
            counter("gomq.malformed.packets", "connections closed for a malformed packet or protocol violation",
                    t.violation(v), "reason", v.name().toLowerCase(Locale.ROOT));
        }
    }

    /** Refused client certificates, failed TLS handshakes, refused replication peers, certificate reloads. */
    public void bindTls(TlsMetrics t) {
        counter("gomq.tls.handshakes.failed", "TLS handshakes refused: client certificate not signed by tls-ca (or expired)",
                t.certsRejected, "reason", "cert_rejected");
        counter("gomq.tls.handshakes.failed", "TLS handshakes refused: no client certificate with tls-client-auth required",
                t.certsMissing, "reason", "cert_missing");
        counter("gomq.tls.handshakes.failed", "TLS handshakes failed otherwise (plain text on a TLS port, no common cipher)",
                t.handshakeFailures, "reason", "other");
        counter("gomq.replication.peers.refused", "replication connections refused: no certificate of the cluster CA",
                t.replicationPeersRefused);
        counter("gomq.tls.reloads", "TLS certificates reloaded from changed files", t.reloads);
    }

    /** Stats are a directory walk: one snapshot serves every log gauge of a scrape. */
    private LogStats logStats(MessageLog log) {
        long now = System.nanoTime();
        LogStats s = logStats;
        if (s == null || now - logStatsAtNanos > LOG_STATS_MAX_AGE_NANOS) {
            s = log.stats();
            logStats = s;
            logStatsAtNanos = now;
        }
        return s;
    }

    private void counter(String name, String help, LongAdder adder, String... tags) {
        counter(name, help, adder, LongAdder::sum, tags);
    }

    private <T> void counter(String name, String help, T source, java.util.function.ToLongFunction<T> value, String... tags) {
        FunctionCounter.builder(name, source, s -> value.applyAsLong(s)).description(help).tags(tags).register(registry);
    }

    private <T> void gauge(String name, String help, T obj, ToDoubleFunction<T> f) {
        Gauge.builder(name, obj, f).description(help).strongReference(true).register(registry);
    }
}
