package io.gomq.core.delivery;

import io.gomq.core.engine.EngineMetrics;
import io.gomq.core.message.Message;
import io.gomq.core.message.Qos;
import io.gomq.core.queue.OfferResult;
import io.gomq.core.queue.Pacer;
import io.gomq.core.queue.SubscriberQueue;
import io.gomq.core.retained.RetainedStore;
import io.gomq.core.session.Session;
import io.gomq.core.topic.Targets;
import io.gomq.core.topic.TopicTree;

/**
 * Fans one published message out to every matching session's queue.
 *
 * <p>Runs on the publisher's thread, takes no lock and allocates nothing in steady state: the
 * match is cached by the topic tree, the message is shared (downgraded copies are cached on
 * the message), queues are lock-free.
 */
public final class Router {
    private final TopicTree<Session> tree;
    private final RetainedStore retained;
    private final EngineMetrics metrics;

    public Router(TopicTree<Session> tree, RetainedStore retained, EngineMetrics metrics) {
        this.tree = tree;
        this.retained = retained;
        this.metrics = metrics;
    }

    /**
     * Routes {@code message} (topic already validated). If a queue it lands in is congested,
     * {@code pacer} (may be null) is paused and registered there. Returns the number of queues
     * it was placed in.
     */
    public int route(Message message, Pacer pacer) {
        metrics.messagesIn.increment();
        metrics.bytesIn.add(message.payloadSize());
        Message live = message;
        if (message.retain()) {
            retained.put(message);
            live = message.withRetain(false); // MQTT 3.3.1.3: live copies go out with RETAIN 0
        }
        Targets<Session> targets = tree.match(message.topic());
        int n = targets.size();
        if (n == 0) {
            metrics.noSubscribers.increment();
            return 0;
        }
        int queued = 0;
        for (int i = 0; i < n; i++) {
            Session session = targets.subscriber(i);
            Message copy = live.withQos(targets.granted(i));
            if (copy.qos() == Qos.AT_MOST_ONCE && !session.isOnline()) {
                metrics.skippedOffline.increment();
                continue;
            }
            SubscriberQueue queue = session.queue();
            OfferResult result = queue.offer(copy);
            if (result == OfferResult.DROPPED) {
                (copy.qos() == Qos.AT_MOST_ONCE ? metrics.droppedQos0 : metrics.droppedQos1).increment();
                continue;
            }
            queued++;
            if (result == OfferResult.ACCEPTED_CONGESTED && pacer != null && pacer.pause()) {
                metrics.pacedPublishers.increment();
                queue.addPaced(pacer);
            }
        }
        metrics.deliveriesQueued.add(queued);
        return queued;
    }
}
