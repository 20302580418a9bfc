package io.gomq.embedded;

import io.gomq.core.message.Message;
import io.gomq.core.message.Qos;

import java.util.concurrent.CompletableFuture;

/**
 * Publishes into the broker from the host JVM. Thread-safe: many threads may share one.
 *
 * <p>The returned future completes when the message is accepted per its QoS: routed (QoS 0),
 * or appended to the log first when the broker persists it (QoS 1/2 for persistent sessions,
 * and retained messages). When a subscriber queue the message reached is congested, the future
 * completes once that queue has room again (at most after the configured stuck time): a
 * producer that waits for its futures is paced and loses nothing.
 */
public interface Producer extends AutoCloseable {

    /**
     * Publishes a message built with {@link Message#builder}, with any MQTT 5 properties.
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
     * @param qos     0, 1 or 2
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

    @Override
    void close();
}
