package io.gomq.core.session.store;

import io.gomq.core.topic.SubscriptionOptions;
import io.gomq.core.message.Message;
import io.gomq.core.message.Qos;

/**
 * Where a persistent session writes down what must survive a restart: subscriptions, the
 * QoS 1/2 exchanges in both directions, and how far it has consumed the log. Implemented over
 * the durable session store; absent for clean sessions and memory-only brokers.
 */
public interface SessionJournal {
    void created(String clientId, long committedOffset);

    void removed(String clientId);

    /**
     * The session's MQTT 5 Session Expiry Interval and when its connection ended
     * ({@code disconnectedAtMillis} -1 while connected): a restart resumes the countdown.
     */
    void expiry(String clientId, long expirySeconds, long disconnectedAtMillis);

    /**
     * The will that goes out if the session's connection ends abnormally, or that waits for its
     * delay after it did ({@code will} null: none any more). A restart sends a stored will after
     * its delay, as if the connection had ended at the restart.
     */
    void will(String clientId, Message will, long delaySeconds);

    /**
     * A shared subscription group gave this persistent member the message at {@code offset}
     * (written before it is queued). Offsets below the committed read position are taken.
     */
    void sharedAssigned(String clientId, long offset);

    void subscribed(String clientId, String filter, SubscriptionOptions options);

    void unsubscribed(String clientId, String filter);

    /**
     * An outgoing QoS 1/2 PUBLISH is about to go out with {@code packetId}. A journal may hold
     * this (and {@link #completed}) back until {@link #drained}, which the session calls at the
     * end of every drain, before its connection flushes the PUBLISHes to the network.
     * {@code qos}: a QoS 2 PUBLISH must not leave before its record is stored (a new leader
     * re-sends it with the same packet identifier, which is what keeps it exactly once); a QoS 1
     * one may (a record lost to a failover costs a redelivery).
     */
    void sent(String clientId, int packetId, long offset, Qos qos);

    /** QoS 2: PUBREC received, PUBREL sent. */
    void released(String clientId, int packetId, long offset);

    /**
     * PUBACK / PUBCOMP received. {@code readPosition}: every log record below it was either
     * completed or is still in flight; a restarted session reads the log from there.
     */
    void completed(String clientId, int packetId, long readPosition);

    /** An incoming QoS 2 message was stored before PUBREC. */
    void inboundStored(String clientId, int packetId, Message message);

    /** An incoming QoS 2 message was released on PUBREL. */
    void inboundReleased(String clientId, int packetId);

    /** Writes whatever {@link #sent} and {@link #completed} held back for {@code clientId}. */
    default void flush(String clientId) {
    }

    /**
     * The end of a drain of {@code clientId}'s session, before its connection flushes. Writes what
     * its PUBLISHes depend on at once; a journal may write the rest a little later.
     */
    default void drained(String clientId) {
        flush(clientId);
    }
}
