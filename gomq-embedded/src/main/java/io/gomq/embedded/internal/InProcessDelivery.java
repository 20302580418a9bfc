package io.gomq.embedded.internal;

import io.gomq.client.Delivery;
import io.gomq.client.Message;
import io.gomq.client.Qos;
import io.gomq.client.UserProperty;
import io.gomq.core.concurrent.FieldHandles;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.List;

/**
 * A {@link Delivery} of the engine's message to an in-process consumer. The API's
 * {@link Message} is made only when asked for: the accessors a handler usually calls read the
 * engine's message directly.
 */
public final class InProcessDelivery implements Delivery {
    private static final VarHandle ACKED =
            FieldHandles.of(MethodHandles.lookup(), InProcessDelivery.class, "acked", int.class);

    private final io.gomq.core.message.Message message;
    private final int packetId;
    private final boolean redelivered;
    private final InProcessConnection connection;
    private Message converted;

    @SuppressWarnings("unused") // through ACKED; an int, not an AtomicBoolean: one object less per delivery
    private volatile int acked;

    InProcessDelivery(io.gomq.core.message.Message message, int packetId, boolean redelivered, InProcessConnection connection) {
        this.message = message;
        this.packetId = packetId;
        this.redelivered = redelivered;
        this.connection = connection;
    }

    @Override
    public Message message() {
        Message m = converted;
        if (m == null) {
            m = CoreMessages.toApi(message);
            converted = m; // racy but idempotent: equal values
        }
        return m;
    }

    /** {@return the engine's message, for in-module code and tests} */
    public io.gomq.core.message.Message coreMessage() { return message; }
    @Override public String topic() { return message.topic(); }
    @Override public String key() { return message.key(); }
    @Override public Qos qos() { return CoreMessages.toApi(message.qos()); }
    @Override public boolean retained() { return message.retain(); }
    @Override public boolean redelivered() { return redelivered; }
    @Override public byte[] payload() { return message.payloadBytes(); }
    @Override public String payloadAsString() { return message.payloadAsString(); }
    @Override public List<UserProperty> userProperties() { return message().userProperties(); }
    @Override public String contentType() { return message.properties().contentType(); }
    @Override public String responseTopic() { return message.properties().responseTopic(); }
    @Override public byte[] correlationData() { return message.properties().correlationData(); }
    @Override public int[] subscriptionIds() { int[] ids = message.subscriptionIds(); return ids == null ? null : ids.clone(); }
    io.gomq.core.message.Qos coreQos() { return message.qos(); }
    int packetId() { return packetId; }

    @Override
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
