package io.gomq.embedded;

import io.gomq.core.concurrent.FieldHandles;
import io.gomq.core.message.Message;
import io.gomq.core.message.MessageProperties;
import io.gomq.core.message.Qos;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One message delivered to an in-process consumer. For QoS 1/2 with manual acknowledgement
 * call {@link #ack()} once processed: until then it stays in flight and is delivered again
 * (with {@link #redelivered()} set) if the consumer's persistent session resumes.
 */
public final class Delivery {
    private final Message message;
    private final int packetId;
    private final boolean redelivered;
    private final InProcessConnection connection;
    private static final VarHandle ACKED =
            FieldHandles.of(MethodHandles.lookup(), Delivery.class, "acked", int.class);

    @SuppressWarnings("unused") // through ACKED; an int, not an AtomicBoolean: one object less per delivery
    private volatile int acked;

    Delivery(Message message, int packetId, boolean redelivered, InProcessConnection connection) {
        this.message = message;
        this.packetId = packetId;
        this.redelivered = redelivered;
        this.connection = connection;
    }

    /** {@return the message as the broker holds it} */
    public Message message() { return message; }
    /** {@return the topic it was published to} */
    public String topic() { return message.topic(); }
    /** {@return its compaction key (the topic unless the publisher gave one)} */
    public String key() { return message.key(); }
    /** {@return the QoS it was delivered with: the lower of the publisher's and the subscription's} */
    public Qos qos() { return message.qos(); }
    /** {@return whether it is a retained message, sent because the subscription began} */
    public boolean retained() { return message.retain(); }
    /** {@return whether it was delivered before and not acknowledged} */
    public boolean redelivered() { return redelivered; }
    /** {@return the payload (a copy)} */
    public byte[] payload() { return message.payloadBytes(); }
    /** {@return the publisher's MQTT 5 properties (user properties, content type, response topic, ...); empty for most messages} */
    public MessageProperties properties() { return message.properties(); }
    /** {@return the user properties in the publisher's order} */
    public java.util.List<MessageProperties.UserProperty> userProperties() { return message.properties().userProperties(); }
    /** {@return the Content Type, or null} */
    public String contentType() { return message.properties().contentType(); }
    /** {@return the Response Topic for a request/response exchange, or null} */
    public String responseTopic() { return message.properties().responseTopic(); }
    /** {@return the Correlation Data (a copy), or null} */
    public byte[] correlationData() { return message.properties().correlationData(); }
    /** {@return the identifiers of the subscriptions this delivery matched (MQTT 5), or null} */
    public int[] subscriptionIds() { int[] ids = message.subscriptionIds(); return ids == null ? null : ids.clone(); }
    /** {@return the payload decoded as UTF-8} */
    public String payloadAsString() { return message.payloadAsString(); }
    int packetId() { return packetId; }

    /** Acknowledges the delivery; idempotent, any thread. A no-op for QoS 0. */
    public void ack() {
        if (packetId != 0 && ACKED.compareAndSet(this, 0, 1)) {
            connection.acknowledge(this);
        }
    }

    @Override
    public String toString() {
        return "Delivery{" + message + (redelivered ? ", redelivered" : "") + '}';
    }
}
