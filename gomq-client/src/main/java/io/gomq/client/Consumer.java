package io.gomq.client;

import java.time.Duration;
import java.util.Collection;
import java.util.List;

/**
 * A subscriber: one MQTT session. Deliveries go either to a handler (one call at a time) or to
 * {@link #poll}; the first subscribe fixes which. A consumer that does not keep up is
 * back-pressured: the broker holds at most the session's in-flight window for it and queues the
 * rest on its side, bounded by its limits.
 */
public interface Consumer extends AutoCloseable {

    /**
     * The session's client identifier.
     *
     * @return the id given in {@link ConsumerOptions#clientId}, or the unique one assigned
     */
    String clientId();

    /**
     * Subscribes and delivers to {@code handler}.
     *
     * @param filters topic filters; {@code +} and {@code #} wildcards allowed
     * @param qos     the most QoS the consumer wants per message
     * @param handler runs for each delivery, one call at a time
     * @return the granted QoS per filter, in the order of {@code filters}
     */
    List<Qos> subscribe(Collection<String> filters, Qos qos, MessageHandler handler);

    /**
     * Subscribes for {@link #poll}/{@link MessageStream} consumption.
     *
     * @param filters topic filters; {@code +} and {@code #} wildcards allowed
     * @param qos     the most QoS the consumer wants per message
     * @return the deliveries as a blocking stream
     */
    MessageStream subscribe(Collection<String> filters, Qos qos);

    /**
     * Removes subscriptions.
     *
     * @param filters the filters as they were subscribed
     */
    void unsubscribe(Collection<String> filters);

    /**
     * Joins the shared subscription {@code $share/GROUP/FILTER} of each filter: each matching
     * message goes to one member of the group (network clients included), round robin over the
     * members that keep up.
     *
     * @param group   the share name
     * @param filters topic filters; {@code +} and {@code #} wildcards allowed
     * @param qos     the most QoS the consumer wants per message
     * @param handler runs for each delivery this member gets
     * @return the granted QoS per filter
     */
    default List<Qos> subscribeShared(String group, Collection<String> filters, Qos qos, MessageHandler handler) {
        return subscribe(filters.stream().map(f -> "$share/" + group + "/" + f).toList(), qos, handler);
    }

    /**
     * Waits up to {@code timeout} for the next delivery; null on timeout or after close. Call
     * from one thread at a time.
     *
     * @param timeout how long to wait
     * @return the delivery, or null
     */
    Delivery poll(Duration timeout);

    /**
     * Deliveries whose handler threw (the message counts as handled).
     *
     * @return how many since the consumer was created
     */
    long handlerErrors();

    /** {@return whether the consumer is closed} */
    boolean isClosed();

    /** Leaves: a clean session ends, a persistent one keeps its subscriptions and queue. */
    @Override
    void close();
}
