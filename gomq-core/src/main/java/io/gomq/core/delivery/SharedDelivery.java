package io.gomq.core.delivery;

import io.gomq.core.message.Message;
import io.gomq.core.message.Qos;
import io.gomq.core.topic.SubscriptionOptions;

/** The copy of a message one shared-subscription member gets: its granted QoS and its Subscription Identifier. */
final class SharedDelivery {
    private SharedDelivery() {
    }

    static Message copyFor(Message m, SubscriptionOptions options) {
        Message copy = m.withQos(Qos.min(m.qos(), options.qos()));
        int id = options.subscriptionId();
        return copy.withSubscriptionIds(id == 0 ? null : new int[] {id});
    }
}
