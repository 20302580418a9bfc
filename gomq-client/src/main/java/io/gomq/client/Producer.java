package io.gomq.client;

import java.util.concurrent.CompletableFuture;

/**
 * Publishes messages. Thread-safe: many threads may share one.
 *
 * <p>The returned future completes when the broker has accepted the message per its QoS: routed
 * (QoS 0; over the network: written to the connection), acknowledged by the broker (QoS 1 PUBACK,
 * QoS 2 PUBCOMP), which it does only once the message is in the log when it must be durable. When
 * a subscriber queue the message reached is congested the broker holds the acknowledgement back
 * until there is room: a producer that waits for its futures is paced and loses nothing.
 */
public interface Producer extends AutoCloseable {

    /**
     * Publishes a message, with any MQTT 5 properties.
     *
     * @param message the message
     * @return completes when the message is accepted per its QoS, or fails with the reason
     */
    CompletableFuture<PublishReceipt> publish(Message message);

    /**
     * Publishes a payload.
     *
     * @param topic   the topic name (no wildcards)
     * @param key     compaction key; null means the topic (the MQTT default)
     * @param payload the bytes
     * @param qos     the delivery guarantee
     * @param retain  whether the broker keeps it as the topic's retained message
     * @return completes when the message is accepted per its QoS, or fails with the reason
     */
    default CompletableFuture<PublishReceipt> publish(String topic, String key, byte[] payload, Qos qos, boolean retain) {
        return publish(Message.builder(topic).key(key).payload(payload).qos(qos).retain(retain).build());
    }

    /**
     * Publishes a UTF-8 text at QoS 0, not retained.
     *
     * @param topic   the topic name (no wildcards)
     * @param payload the text
     * @return completes when the message is routed
     */
    default CompletableFuture<PublishReceipt> publish(String topic, String payload) {
        return publish(Message.builder(topic).payload(payload).build());
    }

    /** Stops publishing; publishes after close fail. */
    @Override
    void close();
}
