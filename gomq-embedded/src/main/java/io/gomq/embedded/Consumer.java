package io.gomq.embedded;

import io.gomq.core.message.Qos;

import java.time.Duration;
import java.util.Collection;
import java.util.List;

/**
 * An in-process subscriber: one MQTT session. Deliveries go either to a handler (on the
 * broker's dispatcher threads, one at a time) or to {@link #poll}; the first subscribe fixes
 * which.
 */
public interface Consumer extends AutoCloseable {

    String clientId();

    /** Subscribes and delivers to {@code handler}. Returns the granted QoS per filter. */
    List<Qos> subscribe(Collection<String> filters, Qos qos, MessageHandler handler);

    /** Subscribes for {@link #poll}/{@link MessageStream} consumption. */
    MessageStream subscribe(Collection<String> filters, Qos qos);

    void unsubscribe(Collection<String> filters);

    /**
     * Joins the shared subscription {@code $share/GROUP/FILTER} of each filter: each matching
     * message goes to one member of the group (network clients included), round robin over the
     * members that keep up. Returns the granted QoS per filter.
     */
    default List<Qos> subscribeShared(String group, Collection<String> filters, Qos qos, MessageHandler handler) {
        return subscribe(filters.stream().map(f -> io.gomq.core.topic.Topics.SHARE_PREFIX + group + "/" + f).toList(),
                qos, handler);
    }

    /**
     * Waits up to {@code timeout} for the next delivery; null on timeout or after close. Call
     * from one thread at a time (that thread runs the session's QoS bookkeeping).
     */
    Delivery poll(Duration timeout);

    /** Deliveries dropped by the handler throwing (the message counts as handled). */
    long handlerErrors();

    /** Leaves: a clean session ends, a persistent one keeps its subscriptions and queue. */
    @Override
    void close();
}
