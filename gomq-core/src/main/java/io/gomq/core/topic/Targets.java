package io.gomq.core.topic;

import io.gomq.core.message.Qos;

import java.util.Arrays;

/**
 * The result of matching one topic: each subscriber once, at the highest QoS any of its
 * matching subscriptions granted. Immutable, shared by every publish to the same topic until
 * the subscriptions change.
 *
 * <p>MQTT 5 options, merged over a subscriber's matching subscriptions: the QoS its own
 * messages get ({@link #grantedToOrigin}: only subscriptions without No Local count; null =
 * none), Retain As Published (any of them), and every Subscription Identifier. When no matching
 * subscription has an option, the option arrays are null and cost nothing.
 */
public final class Targets<S> {
    private static final Targets<?> NONE = new Targets<>(new Object[0], new Qos[0], null, null, null);

    private final Object[] subscribers;
    private final Qos[] granted;
    private final Qos[] grantedToOrigin;
    private final boolean[] retainAsPublished;
    private final int[][] subscriptionIds;

    Targets(Object[] subscribers, Qos[] granted, Qos[] grantedToOrigin, boolean[] retainAsPublished,
            int[][] subscriptionIds) {
        this.subscribers = subscribers;
        this.granted = granted;
        this.grantedToOrigin = grantedToOrigin;
        this.retainAsPublished = retainAsPublished;
        this.subscriptionIds = subscriptionIds;
    }

    /** Whether any target has an MQTT 5 subscription option. */
    public boolean hasOptions() {
        return grantedToOrigin != null;
    }

    /** The QoS for a message this subscriber published itself: null when every matching subscription is No Local. */
    public Qos grantedToOrigin(int i) {
        return grantedToOrigin == null ? granted[i] : grantedToOrigin[i];
    }

    public boolean retainAsPublished(int i) {
        return retainAsPublished != null && retainAsPublished[i];
    }

    /** The Subscription Identifiers of the matching subscriptions, or null. Do not modify. */
    public int[] subscriptionIds(int i) {
        return subscriptionIds == null ? null : subscriptionIds[i];
    }

    @SuppressWarnings("unchecked")
    static <S> Targets<S> none() {
        return (Targets<S>) NONE;
    }

    public int size() {
        return subscribers.length;
    }

    @SuppressWarnings("unchecked")
    public S subscriber(int i) {
        return (S) subscribers[i];
    }

    public Qos granted(int i) {
        return granted[i];
    }

    @Override
    public String toString() {
        return "Targets" + Arrays.toString(subscribers) + Arrays.toString(granted);
    }
}
