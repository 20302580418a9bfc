package io.gomq.core.topic;

import io.gomq.core.message.Qos;

import java.util.Arrays;

/**
 * The result of matching one topic: each subscriber once, at the highest QoS any of its
 * matching subscriptions granted. Immutable, shared by every publish to the same topic until
 * the subscriptions change.
 */
public final class Targets<S> {
    private static final Targets<?> NONE = new Targets<>(new Object[0], new Qos[0]);

    private final Object[] subscribers;
    private final Qos[] granted;

    Targets(Object[] subscribers, Qos[] granted) {
        this.subscribers = subscribers;
        this.granted = granted;
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
