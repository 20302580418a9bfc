package io.gomq.remote.internal;

import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.gomq.client.Delivery;
import io.gomq.client.Message;

import java.util.concurrent.atomic.AtomicBoolean;

/** A PUBLISH the broker sent to a remote consumer; acknowledging it lets the broker send the next one. */
final class NetworkDelivery implements Delivery {
    private final Mqtt5Publish publish;
    private final Message message;
    private final AtomicBoolean acked = new AtomicBoolean();

    NetworkDelivery(Mqtt5Publish publish) {
        this.publish = publish;
        this.message = MqttMessages.toApi(publish);
    }

    @Override
    public Message message() {
        return message;
    }

    /** The HiveMQ client does not expose a PUBLISH's DUP flag: always false (documented on {@link Delivery#redelivered()}). */
    @Override
    public boolean redelivered() {
        return false;
    }

    /** The HiveMQ client keeps Subscription Identifiers to itself: always null (see {@link Delivery#subscriptionIds()}). */
    @Override
    public int[] subscriptionIds() {
        return null;
    }

    @Override
    public void ack() {
        if (acked.compareAndSet(false, true)) {
            publish.acknowledge(); // PUBACK / PUBREC: the broker may send one more
        }
    }

    @Override
    public String toString() {
        return "Delivery{" + message + '}';
    }
}
