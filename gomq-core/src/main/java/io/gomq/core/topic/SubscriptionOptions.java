package io.gomq.core.topic;

import io.gomq.core.message.Qos;

import java.util.Objects;

/**
 * What a subscriber asked for with one topic filter: the maximum QoS, and the MQTT 5 options
 * No Local (not its own messages), Retain As Published (keep the RETAIN flag of live messages),
 * Retain Handling (0: send retained messages on subscribe, 1: only when the subscription is
 * new, 2: never) and a Subscription Identifier (0 = none) sent back with each matching message.
 * An MQTT 3.1.1 subscription is {@link #of(Qos)}: none of the options.
 */
public record SubscriptionOptions(Qos qos, boolean noLocal, boolean retainAsPublished, int retainHandling,
                                  int subscriptionId) {
    public static final int SEND_RETAINED = 0;
    public static final int SEND_RETAINED_IF_NEW = 1;
    public static final int NO_RETAINED = 2;
    /** The largest Subscription Identifier (a variable byte integer). */
    public static final int MAX_SUBSCRIPTION_ID = 268_435_455;

    private static final SubscriptionOptions[] PLAIN = {
        new SubscriptionOptions(Qos.AT_MOST_ONCE, false, false, 0, 0),
        new SubscriptionOptions(Qos.AT_LEAST_ONCE, false, false, 0, 0),
        new SubscriptionOptions(Qos.EXACTLY_ONCE, false, false, 0, 0)
    };

    public SubscriptionOptions {
        Objects.requireNonNull(qos, "qos");
        if (retainHandling < 0 || retainHandling > 2) {
            throw new IllegalArgumentException("retain handling must be 0, 1 or 2, was " + retainHandling);
        }
        if (subscriptionId < 0 || subscriptionId > MAX_SUBSCRIPTION_ID) {
            throw new IllegalArgumentException("subscription identifier must be 0..268435455, was " + subscriptionId);
        }
    }

    /** A subscription without MQTT 5 options (shared instances). */
    public static SubscriptionOptions of(Qos qos) {
        return PLAIN[qos.ordinal()];
    }

    /** Whether any MQTT 5 option is set. */
    public boolean hasOptions() {
        return noLocal || retainAsPublished || retainHandling != 0 || subscriptionId != 0;
    }

    public SubscriptionOptions withQos(Qos q) {
        return q == qos ? this : new SubscriptionOptions(q, noLocal, retainAsPublished, retainHandling, subscriptionId);
    }

    /** The options byte as MQTT 5 lays it out (section 3.8.3.1); storage uses the same layout. */
    public int optionsByte() {
        return qos.value() | (noLocal ? 0x04 : 0) | (retainAsPublished ? 0x08 : 0) | retainHandling << 4;
    }

    /** Reads {@link #optionsByte()} back. */
    public static SubscriptionOptions fromOptionsByte(int b, int subscriptionId) {
        return new SubscriptionOptions(Qos.of(b & 0x03), (b & 0x04) != 0, (b & 0x08) != 0, (b >> 4) & 0x03, subscriptionId);
    }
}
