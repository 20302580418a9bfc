package io.gomq.launcher.http;

import io.gomq.core.auth.TopicGate;
import io.gomq.core.engine.BrokerEngine;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The open live tails (GET /tail) of one HTTP API: at most {@value #MAX_VIEWERS} at a time, so
 * their buffers stay bounded in total, and the messages dropped for viewers that did not keep
 * up (counted here for /stats and /metrics). Thread-safe.
 */
final class TailViewers {
    static final int MAX_VIEWERS = 32;
    /** Each tail is an MQTT session of its own; the prefix tells them apart in /sessions. */
    static final String CLIENT_ID_PREFIX = "gomq-console-tail-";

    private final BrokerEngine engine;
    private final Executor workers;
    private final Set<TailStream> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger count = new AtomicInteger();
    private final AtomicLong ids = new AtomicLong();
    private final LongAdder dropped = new LongAdder();

    /** @param workers where a tail subscribes and unsubscribes (the engine's calls may take locks) */
    TailViewers(BrokerEngine engine, Executor workers) {
        this.engine = engine;
        this.workers = workers;
    }

    /**
     * A new tail of {@code filter}, or null when {@value #MAX_VIEWERS} are open.
     *
     * @param gate the viewer's read rules (null: none)
     */
    TailStream open(String filter, TopicGate gate) {
        int n;
        do {
            n = count.get();
            if (n >= MAX_VIEWERS) {
                return null;
            }
        } while (!count.compareAndSet(n, n + 1));
        TailStream stream = new TailStream(engine, CLIENT_ID_PREFIX + ids.incrementAndGet(), filter, gate, workers, this);
        open.add(stream);
        return stream;
    }

    /** A tail ended; idempotent per tail. */
    void closed(TailStream stream) {
        if (open.remove(stream)) {
            count.decrementAndGet();
        }
    }

    void dropped() {
        dropped.increment();
    }

    long droppedCount() {
        return dropped.sum();
    }

    int size() {
        return count.get();
    }

    /** Ends every tail's subscription (the server closes). The calling thread; may take the engine's locks. */
    void closeAll() {
        for (TailStream s : open) {
            s.close();
        }
    }
}
