package io.gomq.client;

import java.util.List;

/**
 * One message delivered to a consumer. For QoS 1/2 with manual acknowledgement
 * ({@link ConsumerOptions#autoAck(boolean) autoAck(false)}) call {@link #ack()} once processed: until
 * then it stays in flight and is delivered again (with {@link #redelivered()} set) if the
 * consumer's persistent session resumes.
 */
public interface Delivery {

    /** {@return the message as delivered (its QoS the lower of the publisher's and the subscription's)} */
    Message message();

    /**
     * Whether it was delivered before and not acknowledged (a resumed persistent session sends
     * it again). In-process this is known. Over the network it is always {@code false}: MQTT
     * marks such a PUBLISH with its DUP flag, which the HiveMQ MQTT client the remote
     * implementation is built on does not expose; a remote consumer must treat every QoS 1
     * delivery as possibly seen before.
     *
     * @return whether it is a redelivery (always false over the network)
     */
    boolean redelivered();

    /**
     * The MQTT 5 Subscription Identifiers of the subscriptions this delivery matched. This API's
     * {@code subscribe} sets none, so both implementations return {@code null}; over the network
     * the HiveMQ MQTT client uses identifiers of its own internally and does not expose them.
     *
     * @return the identifiers, or null (always, for subscriptions made through this API)
     */
    int[] subscriptionIds();

    /** Acknowledges the delivery; idempotent, any thread. A no-op for QoS 0 and with automatic acknowledgement. */
    void ack();

    /** {@return the topic it was published to} */
    default String topic() { return message().topic(); }
    /** {@return its compaction key (the topic unless the publisher gave one)} */
    default String key() { return message().key(); }
    /** {@return the QoS it was delivered with} */
    default Qos qos() { return message().qos(); }
    /** {@return whether it is a retained message, sent because the subscription began} */
    default boolean retained() { return message().retain(); }
    /** {@return the payload (a copy)} */
    default byte[] payload() { return message().payload(); }
    /** {@return the payload decoded as UTF-8} */
    default String payloadAsString() { return message().payloadAsString(); }
    /** {@return the user properties in the publisher's order} */
    default List<UserProperty> userProperties() { return message().userProperties(); }
    /** {@return the Content Type, or null} */
    default String contentType() { return message().contentType(); }
    /** {@return the Response Topic for a request/response exchange, or null} */
    default String responseTopic() { return message().responseTopic(); }
    /** {@return the Correlation Data (a copy), or null} */
    default byte[] correlationData() { return message().correlationData(); }
}
