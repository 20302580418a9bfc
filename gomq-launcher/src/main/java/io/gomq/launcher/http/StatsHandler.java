package io.gomq.launcher.http;

import io.gomq.core.engine.BrokerEngine;
import io.gomq.core.engine.EngineMetrics;

/**
 * GET /stats: the broker's running totals as JSON for a console that draws rates from two
 * samples: {@code {"timestamp":1700000000000,"messagesIn":10,"bytesIn":1234,"messagesOut":9,
 * "dropped":0,"unrouted":1,"sessions":3,"online":2,"subscriptions":4,"retained":1,
 * "tailViewers":1,"tailDropped":0,"pid":4242}}. Counters only grow (until a restart); {@code dropped}
 * counts subscriber queue overflows, {@code tailDropped} messages live tails (GET /tail) missed,
 * {@code pid} is the broker's process (for tools that read its memory and CPU from /proc).
 *
 * <p>Thread rules: a worker thread (the subscription count takes the topic tree's lock and the
 * online count visits every session).
 */
final class StatsHandler implements ApiHandler {
    private static final long PID = ProcessHandle.current().pid();
    private final BrokerEngine engine;
    private final TailViewers tails;

    StatsHandler(BrokerEngine engine, TailViewers tails) {
        this.engine = engine;
        this.tails = tails;
    }

    record StatsView(long timestamp, long messagesIn, long bytesIn, long messagesOut, long dropped, long unrouted,
                     int sessions, long online, long subscriptions, long retained, int tailViewers, long tailDropped,
                     long pid) {
    }

    @Override
    public ApiResponse handle(ApiRequest request) {
        EngineMetrics m = engine.metrics();
        return ApiResponse.ok(new StatsView(System.currentTimeMillis(), m.publishes.messages(), m.publishes.bytes(),
                m.publishes.queued(), m.droppedQos0.sum() + m.droppedQos1.sum(), m.noSubscribers.sum(),
                engine.sessions().size(), engine.sessions().onlineCount(), engine.topicTree().subscriptionCount(),
                engine.retained().size(), tails.size(), tails.droppedCount(), PID));
    }
}
