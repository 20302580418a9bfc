package io.gomq.embedded.internal;

import io.gomq.client.Message;
import io.gomq.client.Producer;
import io.gomq.client.PublishReceipt;
import io.gomq.client.Qos;
import io.gomq.core.delivery.PublishResult;
import io.gomq.core.engine.BrokerEngine;
import io.gomq.core.queue.Pacer;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * {@link Producer} on the engine. Unpaced publishes of a memory-only broker return shared,
 * already-completed futures, so the publish path allocates only the message.
 */
public final class EmbeddedProducer implements Producer {
    private static final int CACHED_RECEIPTS = 64;
    @SuppressWarnings("unchecked")
    private static final CompletableFuture<PublishReceipt>[] COMPLETED = new CompletableFuture[CACHED_RECEIPTS];

    static {
        for (int i = 0; i < CACHED_RECEIPTS; i++) {
            COMPLETED[i] = CompletableFuture.completedFuture(new PublishReceipt(i, PublishReceipt.NOT_PERSISTED));
        }
    }

    private final BrokerEngine engine;
    private final ProducerPacer pacer;
    /** The principal's topic rules, or null for trusted code; guarded by itself (callers on any thread). */
    private final io.gomq.core.auth.TopicGate gate;
    private volatile boolean closed;

    EmbeddedProducer(BrokerEngine engine, ScheduledExecutorService timer, io.gomq.core.auth.TopicGate gate) {
        this.engine = engine;
        this.gate = gate;
        this.pacer = new ProducerPacer(timer, engine.config().stuckSubscriberMs());
    }

    @Override
    public CompletableFuture<PublishReceipt> publish(Message message) {
        return publishCore(CoreMessages.toCore(message));
    }

    /** Builds the engine's message directly: one payload copy, no API message in between. */
    @Override
    public CompletableFuture<PublishReceipt> publish(String topic, String key, byte[] payload, Qos qos, boolean retain) {
        io.gomq.core.message.Message.Builder b = io.gomq.core.message.Message.builder(topic).key(key).payload(payload)
                .qos(CoreMessages.toCore(qos)).retain(retain);
        if (key != null && !key.equals(topic)) {
            b.userProperty(io.gomq.core.message.MessageProperties.KEY_PROPERTY, key); // network subscribers read the key there
        }
        return publishCore(b.build());
    }

    @Override
    public CompletableFuture<PublishReceipt> publish(String topic, String payload) {
        return publishCore(io.gomq.core.message.Message.builder(topic).payload(payload).build());
    }

    /**
     * Publishes an engine message (the launcher's and benchmarks' route, with any field the engine knows).
     *
     * @param message the message
     * @return as {@link #publish(Message)}
     */
    public CompletableFuture<PublishReceipt> publishCore(io.gomq.core.message.Message message) {
        if (closed && !engine.isClosed()) {
            return CompletableFuture.failedFuture(new io.gomq.client.ClosedException("producer is closed"));
        }
        try {
            engine.validate(message);
            if (gate != null) {
                checkWrite(message.topic());
            }
            PublishResult result = engine.publishWithResult(message, pacer);
            CompletableFuture<Void> acked = engine.acknowledgement(result); // a cluster: replicated to min-insync members
            if (acked != io.gomq.core.engine.AckGate.DONE) {
                CompletableFuture<Void> resumed = pacer.isPaused() ? pacer.resumed() : null;
                // the offset is known once the log's writer stored it: read it when acknowledged
                return ApiFailures.mapped((resumed == null ? acked : acked.thenCombine(resumed, (a, b) -> null))
                        .thenApply(v -> new PublishReceipt(result.subscribers(), result.offset())));
            }
            if (pacer.isPaused()) {
                CompletableFuture<Void> resumed = pacer.resumed();
                if (resumed != null) {
                    return resumed.thenApply(v -> new PublishReceipt(result.subscribers(), result.offset()));
                }
            }
            if (!result.persisted() && result.subscribers() < CACHED_RECEIPTS) {
                return COMPLETED[result.subscribers()];
            }
            return CompletableFuture.completedFuture(new PublishReceipt(result.subscribers(), result.offset()));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(ApiFailures.toApi(e));
        }
    }

    private void checkWrite(String topic) {
        boolean ok;
        synchronized (gate) { // never on an event loop: an in-process producer's own thread
            ok = gate.mayWrite(topic);
        }
        if (!ok) {
            throw new io.gomq.client.NotAuthorizedException("publish to " + topic + " not authorized for this producer's principal");
        }
    }

    @Override
    public void close() {
        closed = true;
    }

    /** Pauses by handing out a future that completes on resume, or after the stuck time at the latest. */
    private static final class ProducerPacer extends Pacer {
        private final ScheduledExecutorService timer;
        private final long stuckMs;
        private volatile CompletableFuture<Void> resumed;
        private volatile java.util.concurrent.ScheduledFuture<?> fallback;

        ProducerPacer(ScheduledExecutorService timer, long stuckMs) {
            this.timer = timer;
            this.stuckMs = stuckMs;
        }

        CompletableFuture<Void> resumed() {
            return resumed;
        }

        @Override
        protected void onPause() {
            CompletableFuture<Void> f = new CompletableFuture<>();
            resumed = f;
            fallback = timer.schedule(() -> {
                if (resumed == f) {
                    resume();
                }
            }, stuckMs, TimeUnit.MILLISECONDS);
        }

        @Override
        protected void onResume() {
            java.util.concurrent.ScheduledFuture<?> t = fallback;
            if (t != null) {
                t.cancel(false); // resumed in time: don't leave one timer task per pause behind
            }
            CompletableFuture<Void> f = resumed;
            if (f != null) {
                f.complete(null);
            }
        }
    }
}
