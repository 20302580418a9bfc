package io.gomq.launcher.http;

import io.gomq.core.engine.BrokerClosedException;
import io.gomq.core.engine.BrokerEngine;
import io.gomq.core.message.Message;
import io.gomq.core.message.Qos;
import io.gomq.core.session.Session;
import io.gomq.core.session.SessionLimitException;
import io.gomq.core.session.SessionOutput;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Messages published per topic, counted while someone looks (GET /rates): a QoS 0 session of
 * the engine subscribed to {@code #} counts each message's topic. It starts at the first request
 * and ends {@value #IDLE_SECONDS} s after the last, so a broker without a console pays nothing;
 * while it runs, every publish has one more (QoS 0) subscriber. At most {@value #MAX_TOPICS}
 * topics are counted one by one; the rest add to {@code others}.
 *
 * <p>Thread rules: one thread of its own owns the session (drain, publish); {@link #snapshot}
 * and the start and stop run on the API's workers (they take the engine's locks), synchronized.
 */
final class TopicRates implements SessionOutput, AutoCloseable {
    static final int MAX_TOPICS = 1000;
    static final long IDLE_SECONDS = 60;
    static final String CLIENT_ID = "gomq-console-rates";
    private static final int DRAIN_BUDGET = 1024;
    private static final Logger LOG = LoggerFactory.getLogger(TopicRates.class);

    private final BrokerEngine engine;
    private final ScheduledExecutorService owner = Executors.newSingleThreadScheduledExecutor(
            new DefaultThreadFactory("gomq-http-topic-rates", true));
    private final Runnable drainTask = this::drain;
    private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();
    private final AtomicLong others = new AtomicLong();
    private volatile Session session;
    /** Guarded by this. */
    private long sinceMillis;
    private long lastAskedNanos;
    private boolean closed;

    TopicRates(BrokerEngine engine) {
        this.engine = engine;
        owner.scheduleWithFixedDelay(this::stopWhenIdle, IDLE_SECONDS, IDLE_SECONDS / 4, TimeUnit.SECONDS);
    }

    record TopicCount(String topic, long messages) {
    }

    /** {@code since}: when counting began (epoch ms); counts only grow while it stays the same. */
    record RatesView(long since, long timestamp, List<TopicCount> topics, long others) {
    }

    /** The counts so far of the topics {@code listed} accepts; starts counting when it is not running. Worker thread. */
    synchronized RatesView snapshot(java.util.function.Predicate<String> listed) {
        lastAskedNanos = System.nanoTime();
        if (session == null && !closed) {
            start();
        }
        List<TopicCount> topics = counts.entrySet().stream()
                .filter(e -> listed.test(e.getKey()))
                .map(e -> new TopicCount(e.getKey(), e.getValue().get()))
                .sorted(java.util.Comparator.comparing(TopicCount::topic)).toList();
        return new RatesView(sinceMillis, System.currentTimeMillis(), topics, others.get());
    }

    private void start() {
        try {
            Session s = engine.connect(CLIENT_ID, true, 0, null, 0, this).session();
            session = s;
            sinceMillis = System.currentTimeMillis();
            wakeup(); // a wakeup before session was set found nothing to drain: ask again
            engine.subscribe(s, List.of("#"), List.of(Qos.AT_MOST_ONCE));
        } catch (BrokerClosedException | SessionLimitException e) {
            LOG.info("topic rates not counted: {}", e.getMessage());
        }
    }

    private synchronized void stopWhenIdle() {
        if (session != null && System.nanoTime() - lastAskedNanos > TimeUnit.SECONDS.toNanos(IDLE_SECONDS)) {
            stop();
        }
    }

    private void stop() {
        Session s = session;
        session = null;
        if (s != null && !engine.isClosed()) {
            engine.disconnect(s, this, true);
        }
        counts.clear();
        others.set(0);
    }

    @Override
    public synchronized void close() {
        closed = true;
        stop();
        owner.shutdownNow();
    }

    // ---- SessionOutput: the owner thread ----

    @Override
    public void publish(Message message, int packetId, boolean dup) {
        AtomicLong n = counts.get(message.topic());
        if (n == null && counts.size() < MAX_TOPICS) {
            n = counts.computeIfAbsent(message.topic(), t -> new AtomicLong());
        }
        (n != null ? n : others).incrementAndGet();
    }

    @Override
    public void pubRel(int packetId) {
        // QoS 0 only: never called
    }

    @Override
    public void wakeup() {
        try {
            owner.execute(drainTask);
        } catch (RejectedExecutionException closing) {
            // closed: nothing left to count
        }
    }

    @Override
    public CompletableFuture<Void> takenOver() {
        // a client took this id: counting resumes under it at the next request only if it leaves
        session = null;
        CompletableFuture<Void> letGo = new CompletableFuture<>();
        try {
            owner.execute(() -> letGo.complete(null)); // behind a drain that may still run
        } catch (RejectedExecutionException closing) {
            letGo.complete(null);
        }
        return letGo;
    }

    private void drain() {
        Session s = session;
        if (s != null && s.output() == this && s.drain(DRAIN_BUDGET)) {
            wakeup();
        }
    }
}
